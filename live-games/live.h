/*
 * live: the application behind GET /api/live/games. Owns the cache, the
 * ESPN fetches, the Postgres connection and the encoded bodies; answers
 * requests for server.c. It decides; fetch.c, db.c and server.c do I/O.
 */
#ifndef LIVE_LIVE_H
#define LIVE_LIVE_H

#include <stdint.h>
#include <uv.h>
#include "errbuf.h"
#include "route.h"
#include "server.h"

#define LIVE_MAX_GAMES	64	/* per scoreboard day */

struct live_cfg {
	const char	*espn_base;	/* ".../sports/basketball/nba" */
	const char	*user_agent;
	const char	*conninfo;	/* libpq; "" for libpq's defaults */
	int64_t		 ttl_ms;
	int64_t		 max_stale_ms;
	int64_t		 fetch_timeout_ms;
	int64_t		 db_timeout_ms;
	unsigned	 give_up;	/* ESPN failures in a row; 0 never */
	/* ESPN gave up: the caller stops the loop and exits 69. */
	void		(*on_fatal)(void *arg);
	void		*arg;
};

/* Returns a new application on loop (connecting to Postgres), or NULL. */
struct live *live_new(uv_loop_t *loop, const struct live_cfg *cfg,
	    struct errbuf *err);
/* server.c's on_request; arg is the struct live. */
int	live_on_request(void *arg, enum route route, long long waited_ms,
	    struct resp *r);
/* The server whose parked requests a refresh wakes. Borrowed. */
void	live_set_server(struct live *l, struct server *s);
/* Starts the first refresh, so the first request finds a list. */
void	live_start(struct live *l);
/* Stops timers and transfers, drops the connection, frees. NULL ok. */
void	live_free(struct live *l);

#endif
