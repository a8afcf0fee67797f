/*
 * throttle: at most n messages per window, leading edge. Updates that
 * arrive closer together than window / n are merged: a message whose
 * first update arrived at least one interval after the previous
 * message's goes out at once; one that arrived sooner waits for the
 * interval to pass. Intervals are measured between arrival times (the
 * previous message's, or its due time when it had to wait), so time
 * spent processing does not turn into a lasting delay for a feed that
 * runs at exactly the rate. Pure; microseconds of a monotonic clock.
 */
#ifndef FANOUT_THROTTLE_H
#define FANOUT_THROTTLE_H

#include <stdint.h>

#define THROTTLE_MAX_N	1000

struct throttle {
	int64_t	interval_us;
	int64_t	tolerance_us;	/* how early a message may go */
	int64_t	last_us;	/* the previous message's arrival or due time */
	int	started;
};

/* n messages per window_us; n is clamped into [1, THROTTLE_MAX_N]. */
void	throttle_init(struct throttle *t, unsigned n, int64_t window_us);
/*
 * Microseconds until a message whose first update arrived at first_us
 * may go, at now_us (0: now).
 */
int64_t	throttle_wait(const struct throttle *t, int64_t first_us,
	    int64_t now_us);
/* Records that message as sent. */
void	throttle_sent(struct throttle *t, int64_t first_us);

#endif
