/*
 * ws-load-hist: exact percentiles over a bounded sample array.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ws-load-hist.h"

void
samples_init(struct samples *s, size_t max)
{
	memset(s, 0, sizeof(*s));
	s->max = max;
}

void
samples_fini(struct samples *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

void
samples_add(struct samples *s, int64_t us)
{
	uint32_t *v;
	size_t cap;

	if (us < 0) {
		s->neg++;
		us = 0;
	}
	if (us > UINT32_MAX)
		us = UINT32_MAX;
	if (s->n == s->cap) {
		if (s->n >= s->max) {
			s->dropped++;
			return;
		}
		cap = s->cap ? s->cap * 2 : 4096;
		if (cap > s->max)
			cap = s->max;
		if ((v = realloc(s->v, cap * sizeof(*v))) == NULL) {
			s->dropped++;
			return;
		}
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = (uint32_t)us;
	s->sorted = 0;
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

uint32_t
samples_quantile(struct samples *s, double q)
{
	size_t rank;

	if (s->n == 0)
		return 0;
	if (!s->sorted) {
		qsort(s->v, s->n, sizeof(*s->v), cmp_u32);
		s->sorted = 1;
	}
	rank = (size_t)(q * (double)s->n + 0.999999);
	if (rank < 1)
		rank = 1;
	if (rank > s->n)
		rank = s->n;
	return s->v[rank - 1];
}

int
samples_json(struct samples *s, char *buf, size_t len)
{
	return snprintf(buf, len, "{\"n\":%zu,\"p50\":%u,\"p90\":%u,"
	    "\"p99\":%u,\"max\":%u}", s->n, samples_quantile(s, 0.5),
	    samples_quantile(s, 0.9), samples_quantile(s, 0.99),
	    samples_quantile(s, 1.0));
}
