/*
 * link: the linked-list steps the tools spell the same way, as macros
 * over the caller's own pointers (any struct, any field names): appending
 * to a singly linked queue (head, tail, next), appending to and unlinking
 * from a doubly linked list (head, tail or none, prev, next), pushing to
 * and unlinking from a list linked by the address of the pointer to each
 * element (next, prevp), with or without its length. The lists stay
 * plain pointers, NULL when empty, so a zeroed, copied or moved struct
 * holds a valid empty list (unlike the heads of <sys/queue.h>). Every
 * argument is evaluated more than once: pass plain lvalues. Allocates
 * and frees nothing.
 */
#ifndef COURTSIDE_LINK_H
#define COURTSIDE_LINK_H

#include <stddef.h>

/* e, at the end of the queue head..tail. */
#define LINK_APPEND(head, tail, e, next) do {				\
	(e)->next = NULL;						\
	if ((tail) != NULL)						\
		(tail)->next = (e);					\
	else								\
		(head) = (e);						\
	(tail) = (e);							\
} while (0)

/* e, at the end of the doubly linked head..tail. */
#define DLINK_APPEND(head, tail, e, prev, next) do {			\
	(e)->next = NULL;						\
	(e)->prev = (tail);						\
	LINK_APPEND(head, tail, e, next);				\
} while (0)

/* e, out of a doubly linked list with a head and no tail; e's own links
 * left as they are. */
#define DLINK_UNLINK_HEAD(head, e, prev, next) do {			\
	if ((e)->prev != NULL)						\
		(e)->prev->next = (e)->next;				\
	else								\
		(head) = (e)->next;					\
	if ((e)->next != NULL)						\
		(e)->next->prev = (e)->prev;				\
} while (0)

/* e, out of the doubly linked head..tail; e's own links left as they are. */
#define DLINK_UNLINK(head, tail, e, prev, next) do {			\
	if ((e)->next == NULL)						\
		(tail) = (e)->prev;					\
	DLINK_UNLINK_HEAD(head, e, prev, next);				\
} while (0)

/* e, at the front of the list head, linked by next and prevp. */
#define PLINK_PUSH(head, e, next, prevp) do {				\
	(e)->next = (head);						\
	if ((head) != NULL)						\
		(head)->prevp = &(e)->next;				\
	(head) = (e);							\
	(e)->prevp = &(head);						\
} while (0)

/* e, out of a list where *prevp points at e; e's links then cleared. */
#define PLINK_UNLINK(e, next, prevp) do {				\
	*(e)->prevp = (e)->next;					\
	if ((e)->next != NULL)						\
		(e)->next->prevp = (e)->prevp;				\
	(e)->next = NULL;						\
	(e)->prevp = NULL;						\
} while (0)

/*
 * The same two for a list that keeps its length in n, each a no-op when
 * e is already where it asks (in a list: e->prevp set; out: NULL).
 */
#define PLINK_ADD(head, n, e, next, prevp) do {			\
	if ((e)->prevp == NULL) {					\
		PLINK_PUSH(head, e, next, prevp);			\
		(n)++;							\
	}								\
} while (0)
#define PLINK_DEL(n, e, next, prevp) do {				\
	if ((e)->prevp != NULL) {					\
		PLINK_UNLINK(e, next, prevp);				\
		(n)--;							\
	}								\
} while (0)

#endif
