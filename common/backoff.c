/* backoff: exponential retry delays with jitter. Pure; no clock, no timer. */
#include "backoff.h"

void
backoff_init(struct backoff *b, uint64_t seed)
{
	b->base_ms = 1000;
	b->max_ms = 30000;
	b->give_up = 10;
	b->failures = 0;
	b->rng = seed ? seed : 0x9e3779b97f4a7c15ULL;
}

int64_t
backoff_nominal(const struct backoff *b, unsigned n)
{
	int64_t d = b->base_ms > 0 ? b->base_ms : 1;

	while (n-- > 1 && d < b->max_ms)
		d *= 2;
	return d < b->max_ms ? d : b->max_ms;
}

static uint64_t
xorshift(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

int64_t
backoff_next(struct backoff *b)
{
	int64_t d;
	double f;

	if (b->failures < 0xffffffffu)
		b->failures++;
	d = backoff_nominal(b, b->failures);
	/* A factor in [0.8, 1.2] so that many clients do not retry in step. */
	f = 0.8 + 0.4 * (double)(xorshift(&b->rng) >> 11) / 9007199254740992.0;
	return (int64_t)((double)d * f);
}

void
backoff_reset(struct backoff *b)
{
	b->failures = 0;
}

int
backoff_exhausted(const struct backoff *b)
{
	return b->give_up != 0 && b->failures >= b->give_up;
}

void
backoff_keep_trying(struct backoff *b)
{
	if (backoff_exhausted(b))
		b->failures = b->give_up - 1;
}
