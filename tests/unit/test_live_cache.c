/*
 * test_live_cache: the refresh schedule. Whatever the request rate,
 * refreshes start at least a TTL apart; requests wait only when what is
 * held is missing or old; the last good list turns into "gone" after
 * max_stale.
 */
#include <stdlib.h>

#include "t.h"
#include "live-games/cache.h"

/*
 * Simulates a client asking every `every` ms for `secs` seconds, each
 * refresh taking `dur` ms and failing when fail is set. Returns the
 * number of refreshes started; *waits counts requests that had to wait.
 */
static int
storm(int64_t ttl, int64_t every, int64_t dur, int secs, int fail,
    long *waits, int64_t *min_gap)
{
	struct cache c;
	int64_t now, end_at = -1, last_start = -1;
	int starts = 0;

	cache_init(&c, ttl, 300000);
	*waits = 0;
	*min_gap = 1LL << 60;
	for (now = 1000; now < 1000 + secs * 1000LL; now += every) {
		if (c.refreshing && now >= end_at)
			cache_finished(&c, end_at, !fail, 0);
		if (cache_due(&c, now)) {
			cache_started(&c, now);
			end_at = now + dur;
			if (last_start >= 0 && now - last_start < *min_gap)
				*min_gap = now - last_start;
			last_start = now;
			starts++;
		}
		if (cache_on_request(&c, now) == CACHE_WAIT)
			(*waits)++;
	}
	return starts;
}

int
main(void)
{
	struct cache c;
	long waits;
	int64_t gap;
	int n;

	/* 1000 requests a second for a minute, TTL 15 s: 4 refreshes. */
	n = storm(15000, 1, 20, 60, 0, &waits, &gap);
	T_EQ_INT(n, 4);
	T_CHECK(gap >= 15000);
	/* Only the very first refresh is waited for (20 ms of requests). */
	T_EQ_INT(waits, 20);
	/* One request a second: the same 4 refreshes. */
	n = storm(15000, 1000, 20, 60, 0, &waits, &gap);
	T_EQ_INT(n, 4);
	T_EQ_INT(waits, 1);
	/* Failing upstream: still never more often than the TTL. */
	n = storm(10000, 1, 20, 60, 1, &waits, &gap);
	T_EQ_INT(n, 6);
	T_CHECK(gap >= 10000);

	/* Nothing yet: wait; after a refresh: serve; idle long: wait again. */
	cache_init(&c, 15000, 60000);
	T_EQ_INT(cache_on_request(&c, 0), CACHE_WAIT);
	T_CHECK(cache_due(&c, 0));
	cache_started(&c, 0);
	T_CHECK(!cache_due(&c, 5));
	cache_finished(&c, 50, 1, 0);
	T_EQ_INT(cache_on_request(&c, 60), CACHE_SERVE);
	T_CHECK(!cache_due(&c, 14999));
	T_CHECK(cache_due(&c, 15000));
	T_EQ_INT(cache_until_due(&c, 10000), 5000);
	/* Due and refreshing, but what we hold is recent: served at once. */
	T_EQ_INT(cache_on_request(&c, 20000), CACHE_SERVE);
	T_EQ_INT(cache_on_request(&c, 40000), CACHE_WAIT);

	/* Backoff after failures stretches the gap beyond the TTL. */
	cache_started(&c, 40000);
	cache_finished(&c, 40010, 0, 45000);
	T_CHECK(!cache_due(&c, 80000));
	T_CHECK(cache_due(&c, 85000));
	/* The last good list (at 50 ms) is gone after max_stale. */
	T_CHECK(!cache_gone(&c, 60050));
	T_CHECK(cache_gone(&c, 60051));
	cache_init(&c, 15000, 60000);
	T_CHECK(cache_gone(&c, 0));
	return t_done("test_live_cache");
}
