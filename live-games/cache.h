/*
 * cache: when live-games refreshes its list and when a request waits for
 * it. Pure: the caller passes the monotonic time and starts the work.
 * ESPN and Postgres are asked at most once per TTL whatever the request
 * rate: a refresh starts only when due, and never while one runs.
 */
#ifndef LIVE_CACHE_H
#define LIVE_CACHE_H

#include <stdint.h>

struct cache {
	int64_t	ttl_ms;		/* 10000 .. 30000 */
	int64_t	max_stale_ms;	/* last good list kept this long */
	int64_t	started_ms;	/* last refresh started (monotonic) */
	int64_t	done_ms;	/* last refresh finished */
	int64_t	good_ms;	/* last refresh that succeeded */
	int64_t	next_ms;	/* earliest start of the next refresh */
	int	refreshing;
	int	have_good;
	int	have_any;	/* some body (good, stale or 503) exists */
};

enum cache_do {
	CACHE_SERVE,		/* answer from the current body now */
	CACHE_WAIT,		/* park the request until the refresh ends */
};

void	cache_init(struct cache *c, int64_t ttl_ms, int64_t max_stale_ms);
/* 1 when a refresh may start now. */
int	cache_due(const struct cache *c, int64_t now);
/*
 * What to do with a request at now. A body from the last TTL, or from
 * a refresh that just ended (less than two TTLs ago), is served at once
 * even while the next refresh runs; an older one (idle for a while, or
 * nothing yet) waits for the refresh the caller starts when cache_due.
 */
enum cache_do cache_on_request(const struct cache *c, int64_t now);
void	cache_started(struct cache *c, int64_t now);
/*
 * A refresh ended at now. retry_ms (>= 0) pushes the next one further
 * than the TTL after a failure (backoff); the TTL is the floor.
 */
void	cache_finished(struct cache *c, int64_t now, int ok, int64_t retry_ms);
/* 1 when the last good list is too old to serve, even as stale. */
int	cache_gone(const struct cache *c, int64_t now);
/* ms until the next refresh may start (0 when due). */
int64_t	cache_until_due(const struct cache *c, int64_t now);

#endif
