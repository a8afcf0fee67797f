/*
 * throttle: a rate of n messages per window, enforced as a rate (a token
 * bucket of two, in GCRA form) rather than as a minimum spacing. A feed
 * that ticks at the rate, early or late by up to one interval, never
 * waits; a faster one is held to the rate and its updates are merged by
 * the caller meanwhile. Any window holds at most n + 1 messages. Pure;
 * microseconds of a monotonic clock; one timestamp per room.
 */
#ifndef FANOUT_THROTTLE_H
#define FANOUT_THROTTLE_H

#include <stdint.h>

#define THROTTLE_MAX_N	1000

struct throttle {
	int64_t	interval_us;	/* window / n: one message's cost */
	int64_t	burst_us;	/* how far ahead of the rate a message may go */
	int64_t	tat_us;		/* when the rate would allow the next one */
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
/*
 * Records that message as sent. It is charged at its arrival (or when it
 * became due), so time the caller took to send it is not a delay that
 * later messages inherit.
 */
void	throttle_sent(struct throttle *t, int64_t first_us);

#endif
