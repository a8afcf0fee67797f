/*
 * ws-load-hist: latency samples for ws-load, kept exactly (a sorted
 * array at report time) up to a ceiling, then reported as
 * p50/p90/p99/max. Pure.
 */
#ifndef WS_LOAD_HIST_H
#define WS_LOAD_HIST_H

#include <stddef.h>
#include <stdint.h>

struct samples {
	uint32_t	*v;		/* microseconds, clamped */
	size_t		 n, cap, max;
	unsigned long long dropped;	/* past max */
	int64_t		 neg;		/* negative values clamped to 0 */
	int		 sorted;
};

void	samples_init(struct samples *s, size_t max);
void	samples_fini(struct samples *s);
void	samples_add(struct samples *s, int64_t us);
/* Value at quantile q in [0, 1] (nearest rank); 0 when empty. */
uint32_t samples_quantile(struct samples *s, double q);
/* Appends {"n":..,"p50":..,"p90":..,"p99":..,"max":..} to buf. */
int	samples_json(struct samples *s, char *buf, size_t len);

#endif
