/*
 * cache: the refresh schedule of live-games. Pure: no clock, no I/O,
 * no timers; main's loop asks it and acts.
 */
#include "cache.h"

void
cache_init(struct cache *c, int64_t ttl_ms, int64_t max_stale_ms)
{
	c->ttl_ms = ttl_ms;
	c->max_stale_ms = max_stale_ms;
	c->started_ms = c->done_ms = c->good_ms = 0;
	c->next_ms = 0;
	c->refreshing = 0;
	c->have_good = 0;
	c->have_any = 0;
}

int
cache_due(const struct cache *c, int64_t now)
{
	return !c->refreshing && (!c->have_any || now >= c->next_ms);
}

enum cache_do
cache_on_request(const struct cache *c, int64_t now)
{
	if (!c->have_any)
		return CACHE_WAIT;
	if (now - c->done_ms < 2 * c->ttl_ms)
		return CACHE_SERVE;
	/* Idle for a while: what we hold is old; a refresh is due or runs. */
	return CACHE_WAIT;
}

void
cache_started(struct cache *c, int64_t now)
{
	c->refreshing = 1;
	c->started_ms = now;
}

void
cache_finished(struct cache *c, int64_t now, int ok, int64_t retry_ms)
{
	int64_t gap = c->ttl_ms;

	if (!ok && retry_ms > gap)
		gap = retry_ms;
	c->refreshing = 0;
	c->done_ms = now;
	c->have_any = 1;
	if (ok) {
		c->good_ms = now;
		c->have_good = 1;
	}
	/* From the start, so two refreshes are always a TTL apart. */
	c->next_ms = c->started_ms + gap;
	if (c->next_ms < now)
		c->next_ms = now;
}

int
cache_gone(const struct cache *c, int64_t now)
{
	return !c->have_good || now - c->good_ms > c->max_stale_ms;
}

int64_t
cache_until_due(const struct cache *c, int64_t now)
{
	if (!c->have_any || now >= c->next_ms)
		return 0;
	return c->next_ms - now;
}
