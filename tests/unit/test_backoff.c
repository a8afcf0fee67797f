/* Unit tests for common/backoff.c: the 1, 2, 4 ... 30 s schedule. */
#include <stdlib.h>

#include "backoff.h"
#include "t.h"

int
main(void)
{
	static const int64_t want[] = { 1000, 2000, 4000, 8000, 16000, 30000,
	    30000, 30000, 30000, 30000 };
	struct backoff b;
	unsigned i;
	int64_t d, lo = 0, hi = 0;

	backoff_init(&b, 42);
	for (i = 0; i < 10; i++)
		T_EQ_INT(backoff_nominal(&b, i + 1), want[i]);
	for (i = 0; i < 10; i++) {
		T_EQ_INT(backoff_exhausted(&b), 0);
		d = backoff_next(&b);
		/* Jitter stays within 20% of the nominal delay. */
		T_CHECK(d >= want[i] * 8 / 10 && d <= want[i] * 12 / 10);
	}
	T_EQ_INT(b.failures, 10);
	T_EQ_INT(backoff_exhausted(&b), 1);
	backoff_reset(&b);
	T_EQ_INT(backoff_exhausted(&b), 0);
	d = backoff_next(&b);
	T_CHECK(d >= 800 && d <= 1200);

	/* The jitter really varies. */
	for (i = 0; i < 200; i++) {
		backoff_reset(&b);
		d = backoff_next(&b);
		if (i == 0 || d < lo)
			lo = d;
		if (i == 0 || d > hi)
			hi = d;
	}
	T_CHECK(hi - lo > 200);

	/* give_up 0 never gives up; a custom base and ceiling. */
	backoff_init(&b, 7);
	b.give_up = 0;
	b.base_ms = 100;
	b.max_ms = 500;
	for (i = 0; i < 100; i++)
		d = backoff_next(&b);
	T_EQ_INT(backoff_exhausted(&b), 0);
	T_CHECK(d <= 600);
	T_EQ_INT(backoff_nominal(&b, 3), 400);
	T_EQ_INT(backoff_nominal(&b, 4), 500);
	backoff_keep_trying(&b);	/* never exhausted: no-op */
	T_EQ_INT(b.failures, 100);

	/* Kept trying: every later failure is exhausted again, at the cap. */
	backoff_init(&b, 9);
	b.give_up = 3;
	for (i = 0; i < 3; i++)
		d = backoff_next(&b);
	T_EQ_INT(backoff_exhausted(&b), 1);
	for (i = 0; i < 5; i++) {
		backoff_keep_trying(&b);
		T_EQ_INT(backoff_exhausted(&b), 0);
		d = backoff_next(&b);
		T_EQ_INT(backoff_exhausted(&b), 1);
		T_CHECK(d >= 3200 && d <= 4800);
	}
	return t_done("backoff");
}
