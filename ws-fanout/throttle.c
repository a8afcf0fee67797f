/*
 * throttle: the generic cell rate algorithm. tat is the theoretical
 * arrival time of the next message at exactly the rate; a message may go
 * once it is no more than burst ahead of it. Nothing allocated.
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
	t->burst_us = t->interval_us;
	t->tat_us = 0;
	t->started = 0;
}

int64_t
throttle_wait(const struct throttle *t, int64_t first_us, int64_t now_us)
{
	int64_t due;

	if (!t->started)
		return 0;
	due = t->tat_us - t->burst_us;
	if (first_us >= due || now_us >= due)
		return 0;
	return due - now_us;
}

void
throttle_sent(struct throttle *t, int64_t first_us)
{
	int64_t from = (!t->started || first_us > t->tat_us) ? first_us :
	    t->tat_us;

	t->tat_us = from + t->interval_us;
	t->started = 1;
}
