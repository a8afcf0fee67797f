/*
 * test_tap_history: kalshi-tap's quote history: write order across
 * markets, the per-market bound dropping the oldest, clearing one market
 * leaving the others, and max 0 holding nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "t.h"
#include "kalshi-tap/history.h"

/* The held lines, in write order, joined into buf. */
static const char *
all(const struct history *h, char *buf, size_t len)
{
	const struct hline *e;
	size_t off = 0;

	buf[0] = '\0';
	for (e = h->first; e != NULL && off + e->len < len; e = e->next) {
		memcpy(buf + off, e->line, e->len);
		off += e->len;
		buf[off] = '\0';
	}
	return buf;
}

/* The chain c oldest first, joined into buf. */
static const char *
chain(const struct hchain *c, char *buf, size_t len)
{
	const struct hline *e;
	size_t off = 0;

	buf[0] = '\0';
	for (e = c->oldest; e != NULL && off + e->len < len; e = e->cnext) {
		memcpy(buf + off, e->line, e->len);
		off += e->len;
		buf[off] = '\0';
	}
	return buf;
}

int
main(void)
{
	struct history h;
	struct hchain a = { 0 }, b = { 0 };
	char buf[256];

	history_init(&h, 3);
	T_EQ_INT(history_add(&h, &a, "a1", 2), 0);
	T_EQ_INT(history_add(&h, &b, "b1", 2), 0);
	T_EQ_INT(history_add(&h, &a, "a2", 2), 0);
	T_EQ_INT(history_add(&h, &a, "a3", 2), 0);
	T_EQ_STR(all(&h, buf, sizeof(buf)), "a1b1a2a3");
	/* Past the bound: a's oldest goes, b's line stays in its place. */
	T_EQ_INT(history_add(&h, &a, "a4", 2), 1);
	T_EQ_INT(a.n, 3);
	T_EQ_STR(all(&h, buf, sizeof(buf)), "b1a2a3a4");
	T_EQ_STR(chain(&a, buf, sizeof(buf)), "a2a3a4");
	T_EQ_STR(chain(&b, buf, sizeof(buf)), "b1");

	/* Dropping the first and the last of the list keeps it linked. */
	history_drop_oldest(&h, &b);
	T_EQ_INT(b.n, 0);
	T_CHECK(b.oldest == NULL && b.newest == NULL);
	T_EQ_STR(all(&h, buf, sizeof(buf)), "a2a3a4");
	T_EQ_INT(history_add(&h, &b, "b2", 2), 0);
	history_clear(&h, &a);
	T_EQ_INT(a.n, 0);
	T_EQ_STR(all(&h, buf, sizeof(buf)), "b2");
	T_CHECK(h.first == h.last && h.first->prev == NULL);
	history_drop_oldest(&h, &a);	/* empty: no-op */
	history_clear(&h, &b);
	T_CHECK(h.first == NULL && h.last == NULL);

	/* max 0 holds nothing. */
	history_init(&h, 0);
	T_EQ_INT(history_add(&h, &a, "x", 1), 0);
	T_CHECK(h.first == NULL && a.n == 0);
	return t_done("tap_history");
}
