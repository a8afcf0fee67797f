/*
 * history: the per-market chains of quote lines held for resync, on one
 * list in write order. Pure: allocates and frees lines, never logs.
 */
#include <stdlib.h>
#include <string.h>

#include "history.h"
#include "link.h"

void
history_init(struct history *h, size_t max)
{
	h->first = h->last = NULL;
	h->max = max;
}

void
history_drop_oldest(struct history *h, struct hchain *c)
{
	struct hline *e = c->oldest;

	if (e == NULL)
		return;
	c->oldest = e->cnext;
	if (c->oldest == NULL)
		c->newest = NULL;
	c->n--;
	DLINK_UNLINK(h->first, h->last, e, prev, next);
	free(e);
}

void
history_clear(struct history *h, struct hchain *c)
{
	while (c->oldest != NULL)
		history_drop_oldest(h, c);
}

int
history_add(struct history *h, struct hchain *c, const char *s, size_t len)
{
	struct hline *e;
	int dropped = 0;

	if (h->max == 0)
		return 0;
	if ((e = malloc(sizeof(*e) + len)) == NULL)
		return -1;
	memcpy(e->line, s, len);
	e->len = len;
	DLINK_APPEND(h->first, h->last, e, prev, next);
	LINK_APPEND(c->oldest, c->newest, e, cnext);
	c->n++;
	while (c->n > h->max) {
		history_drop_oldest(h, c);
		dropped++;
	}
	return dropped;
}
