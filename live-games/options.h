/*
 * options: live-games' command line: the option table, --help, and the
 * checks that make a bad value a usage error (exit 64). It must not open
 * anything but what --trust-proxy parses.
 */
#ifndef LIVE_OPTIONS_H
#define LIVE_OPTIONS_H

#include <stdint.h>

#include "proxyaddr.h"

#define LIVE_USAGE "live-games [-hqVv] [-d conninfo] [-e url] [-G count] " \
	"[-l [host:]port] [--cache-ttl duration] [--cors-origin origin] " \
	"[--init-db] [--max-pending n] [--max-pending-per-ip n] " \
	"[--max-stale duration] [--ready-fd fd] " \
	"[--request-timeout duration] [--tls-cert file --tls-key file] " \
	"[--trust-proxy cidr[,cidr ...]]"

struct live_opts {
	const char	*db;		/* borrowed (argv or environment) */
	const char	*cors;
	const char	*espn;
	const char	*tls_cert;
	const char	*tls_key;
	char		*iface;		/* owned: free() it; NULL: every one */
	int		 init_db;
	int		 ready_fd;
	int		 port;
	int64_t		 ttl;
	int64_t		 max_stale;
	int64_t		 req_timeout;
	int		 have_trust;
	struct proxyaddr trust;
	unsigned	 give_up;
	unsigned	 max_pending;
	unsigned	 max_pending_ip;
};

/*
 * Fills o from argv (defaults first). Exits 0 for --help and --version,
 * 64 with a message for a bad option.
 */
void	live_options(struct live_opts *o, int argc, char **argv);

#endif
