/*
 * clientq: a singly linked FIFO of message references. Each item costs
 * one small allocation; the message bytes are shared with other clients.
 */
#include <stdlib.h>

#include "clientq.h"
#include "link.h"

struct clientq_item {
	struct clientq_item	*next;
	struct msg		*m;
};

void
clientq_init(struct clientq *q)
{
	q->head = q->tail = NULL;
	q->bytes = 0;
	q->count = 0;
	q->resync = 0;
}

void
clientq_clear(struct clientq *q, struct clientq_budget *b)
{
	struct clientq_item *it, *next;

	for (it = q->head; it != NULL; it = next) {
		next = it->next;
		msg_unref(it->m);
		free(it);
	}
	if (b != NULL)
		b->used -= q->bytes < b->used ? q->bytes : b->used;
	q->head = q->tail = NULL;
	q->bytes = 0;
	q->count = 0;
}

int
clientq_push(struct clientq *q, struct msg *m, size_t limit,
    struct clientq_budget *b)
{
	struct clientq_item *it;
	size_t sz = m->len;

	if (q->resync)
		return -1;
	if ((limit && q->bytes + sz > limit) ||
	    (b != NULL && b->max && b->used + sz > b->max) ||
	    (it = malloc(sizeof(*it))) == NULL) {
		clientq_clear(q, b);
		q->resync = 1;
		return -1;
	}
	it->m = msg_ref(m);
	LINK_APPEND(q->head, q->tail, it, next);
	q->bytes += sz;
	q->count++;
	if (b != NULL)
		b->used += sz;
	return 0;
}

struct msg *
clientq_peek(const struct clientq *q)
{
	return q->head != NULL ? q->head->m : NULL;
}

size_t
clientq_peekn(const struct clientq *q, struct msg **out, size_t n)
{
	const struct clientq_item *it;
	size_t i = 0;

	for (it = q->head; it != NULL && i < n; it = it->next)
		out[i++] = it->m;
	return i;
}

struct msg *
clientq_pop(struct clientq *q, struct clientq_budget *b)
{
	struct clientq_item *it = q->head;
	struct msg *m;

	if (it == NULL)
		return NULL;
	q->head = it->next;
	if (q->head == NULL)
		q->tail = NULL;
	m = it->m;
	free(it);
	q->bytes -= m->len;
	q->count--;
	if (b != NULL)
		b->used -= m->len < b->used ? m->len : b->used;
	return m;
}
