/*
 * tap: the kalshi-tap engine. Discovers markets over REST, follows them
 * over the WebSocket (or by REST polling without a key, or while the
 * WebSocket keeps failing), and writes market, quote, trade and source
 * lines. main() fills the config and calls tap_run.
 */
#ifndef TAP_H
#define TAP_H

#include <stddef.h>
#include <stdint.h>

#include "kalshi_sign.h"

#define TAP_MAX_LIST	64	/* --market / --series entries */

struct tap_cfg {
	const char	*ws_url;
	const char	*rest_url;
	const char	*markets[TAP_MAX_LIST];
	size_t		 n_markets;
	const char	*series[TAP_MAX_LIST];
	size_t		 n_series;
	int64_t		 poll_ms;	/* REST polling period */
	int64_t		 discover_ms;	/* market discovery period */
	int64_t		 dead_ms;	/* silence that ends a connection */
	int64_t		 ping_ms;	/* our pings while connected */
	int64_t		 fallback_ms;	/* WS failing this long: poll too */
	unsigned	 give_up;	/* failures in a row before exit 69 */
	size_t		 max_history;	/* quote lines held per market */
	const char	*state;		/* quote lines kept across runs, or NULL */
	const char	*ca_file;	/* extra trust anchors, or NULL */
	const char	*output;
	const char	*replay;	/* recorded WS frames instead of Kalshi */
	double		 speed;		/* replay pacing; 0 = no pacing */
	int		 ready_fd;
	struct kalshi_key *key;		/* borrowed; NULL: REST polling */
	const char	*key_id;
};

/* Runs until stopped or given up. Returns the process exit code. */
int	tap_run(const struct tap_cfg *cfg);

#endif
