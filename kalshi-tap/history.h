/*
 * history: the quote lines kalshi-tap wrote, held for resending to a new
 * consumer. One list of every line in write order (struct history) and a
 * chain per market, oldest first (struct hchain), bounded per chain.
 * Pure: no I/O, no logging, no globals; the caller logs what it drops.
 */
#ifndef TAP_HISTORY_H
#define TAP_HISTORY_H

#include <stddef.h>

/* One held line: on the history's list and on its market's chain. */
struct hline {
	struct hline	*prev, *next;	/* every chain, in write order */
	struct hline	*cnext;		/* the same chain, newer */
	size_t		 len;
	char		 line[];
};

struct history {
	struct hline	*first, *last;
	size_t		 max;		/* lines per chain; 0 holds none */
};

struct hchain {
	struct hline	*oldest, *newest;
	size_t		 n;
};

/* An empty history holding at most max lines per chain. */
void	history_init(struct history *h, size_t max);

/*
 * Holds a copy of s (len bytes) at the new end of c, dropping c's oldest
 * lines past h->max. Returns how many it dropped, or -1 when out of
 * memory (nothing held, nothing dropped). Borrows s.
 */
int	history_add(struct history *h, struct hchain *c, const char *s,
	    size_t len);

/* Frees c's oldest line (none: no-op). */
void	history_drop_oldest(struct history *h, struct hchain *c);

/* Frees every line of c; c is empty after. */
void	history_clear(struct history *h, struct hchain *c);

#endif
