/*
 * history: the per-market chains of quote lines held for resync, on one
 * list in write order. Pure: allocates and frees lines, never logs.
 */
#include <stdlib.h>
#include <string.h>

#include "history.h"

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
	if (e->prev != NULL)
		e->prev->next = e->next;
	else
		h->first = e->next;
	if (e->next != NULL)
		e->next->prev = e->prev;
	else
		h->last = e->prev;
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
	e->cnext = NULL;
	e->next = NULL;
	e->prev = h->last;
	if (h->last != NULL)
		h->last->next = e;
	else
		h->first = e;
	h->last = e;
	if (c->newest != NULL)
		c->newest->cnext = e;
	else
		c->oldest = e;
	c->newest = e;
	c->n++;
	while (c->n > h->max) {
		history_drop_oldest(h, c);
		dropped++;
	}
	return dropped;
}
