/*
 * backoff: retry delays with jitter, 1, 2, 4, 8, 16, 30, 30 ... seconds,
 * and a give-up count (DESIGN.md, Reliability rules). Pure: the caller
 * owns the clock and the timer.
 */
#ifndef COURTSIDE_BACKOFF_H
#define COURTSIDE_BACKOFF_H

#include <stdint.h>

struct backoff {
	int64_t		base_ms;	/* first delay, default 1000 */
	int64_t		max_ms;		/* ceiling, default 30000 */
	unsigned	give_up;	/* failures in a row before giving up; 0 never */
	unsigned	failures;	/* failures in a row so far */
	uint64_t	rng;		/* jitter state */
};

/* Defaults from DESIGN.md: 1 s, 30 s, give up after 10. */
void	backoff_init(struct backoff *b, uint64_t seed);
/*
 * Records one more failure and returns the delay before the next try, in
 * ms: the nominal delay scaled by a random factor in [0.8, 1.2], capped at
 * max_ms * 1.2.
 */
int64_t	backoff_next(struct backoff *b);
/* The nominal (unjittered) delay for the n-th failure in a row, n >= 1. */
int64_t	backoff_nominal(const struct backoff *b, unsigned n);
/* A success: the next failure starts over at base_ms. */
void	backoff_reset(struct backoff *b);
/* 1 once failures reached give_up (and give_up is not 0). */
int	backoff_exhausted(const struct backoff *b);
/*
 * Exhausted, but something else carries the caller (another feed works,
 * there is state to serve): keep retrying at the ceiling. Holds failures
 * one short of give_up, so that the next failure is exhausted again and
 * the caller decides anew. No-op when not exhausted.
 */
void	backoff_keep_trying(struct backoff *b);

#endif
