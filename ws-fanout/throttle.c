/*
 * throttle: one timestamp per room; nothing allocated.
 */
#include "throttle.h"

void
throttle_init(struct throttle *t, unsigned n, int64_t window_us)
{
	if (n < 1)
		n = 1;
	if (n > THROTTLE_MAX_N)
		n = THROTTLE_MAX_N;
	t->interval_us = window_us / n;
	t->tolerance_us = t->interval_us / 10;
	t->last_us = 0;
	t->started = 0;
}

int64_t
throttle_wait(const struct throttle *t, int64_t first_us, int64_t now_us)
{
	int64_t due;

	if (!t->started)
		return 0;
	due = t->last_us + t->interval_us - t->tolerance_us;
	if (first_us >= due || now_us >= due)
		return 0;
	return due - now_us;
}

void
throttle_sent(struct throttle *t, int64_t first_us)
{
	int64_t due = t->last_us + t->interval_us;

	t->last_us = (!t->started || first_us >= due) ? first_us : due;
	t->started = 1;
}
