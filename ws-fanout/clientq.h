/*
 * clientq: one subscriber's queue of shared messages waiting for the
 * socket, with a byte limit per client and a budget shared by all
 * clients. Past either, the queue is emptied and the client is marked
 * for a resync (a fresh snapshot when it can take one). Pure.
 */
#ifndef FANOUT_CLIENTQ_H
#define FANOUT_CLIENTQ_H

#include <stddef.h>

#include "msg.h"

struct clientq_budget {
	size_t	used;		/* bytes queued over all clients */
	size_t	max;		/* 0: no global limit */
};

struct clientq_item;

struct clientq {
	struct clientq_item	*head, *tail;
	size_t			 bytes;
	unsigned		 count;
	int			 resync;	/* queue was dropped */
};

void	clientq_init(struct clientq *q);
/* Drops every message; returns the budget's share. */
void	clientq_clear(struct clientq *q, struct clientq_budget *b);
/*
 * Queues a reference to m (takes a new reference). When the client's
 * queue would pass limit bytes or the budget its max, the queue is
 * cleared instead, q->resync is set and -1 returned. While resync is
 * set, pushes are refused (-1) without counting again. ENOMEM also
 * resyncs. Returns 0 when queued.
 */
int	clientq_push(struct clientq *q, struct msg *m, size_t limit,
	    struct clientq_budget *b);
/* The oldest message (borrowed), or NULL. */
struct msg *clientq_peek(const struct clientq *q);
/* Fills out[] with the oldest n messages at most (borrowed); returns the count. */
size_t	clientq_peekn(const struct clientq *q, struct msg **out, size_t n);
/* Removes the oldest and returns it (the caller owns the reference). */
struct msg *clientq_pop(struct clientq *q, struct clientq_budget *b);

#endif
