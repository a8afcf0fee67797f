/*
 * test_containers: common/buf (the ceiling, the sticky failure),
 * common/jsonw (escapes, integers, six decimals), common/hmap (map and
 * u64 set through growth and deletes), common/fnv (the published
 * FNV-1a 64 test vectors), common/vec (doubling from the first
 * capacity, never shrinking, refusing a size past SIZE_MAX; vec_grow_new
 * zeroed; vec_free_all), common/link (queues and lists through appends and unlinks at
 * either end), common/strcopy (truncated, always terminated) and
 * common/digits (only '0' to '9', for exactly n bytes).
 */
#include <math.h>
#include <stdlib.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "digits.h"
#include "fnv.h"
#include "hmap.h"
#include "jsonw.h"
#include "link.h"
#include "strcopy.h"
#include "t.h"
#include "vec.h"

static void
test_buf(void)
{
	struct buf b;
	int i;

	buf_init(&b, 8);
	T_EQ_INT(buf_adds(&b, "abcd"), 0);
	T_EQ_INT(buf_addf(&b, "%d", 123), 0);
	T_EQ_STR(b.p, "abcd123");
	T_EQ_INT(buf_adds(&b, "xy"), -1);	/* past max */
	T_EQ_INT(b.failed, 1);
	T_EQ_INT(buf_adds(&b, ""), -1);	/* sticky */
	T_EQ_STR(b.p, "abcd123");
	buf_reset(&b);
	T_EQ_INT(b.failed, 0);
	T_EQ_INT(buf_adds(&b, "12345678"), 0);
	T_EQ_INT(b.len, 8);
	buf_fini(&b);
	/* The memory keeps under the ceiling too: max bytes and the NUL. */
	buf_init(&b, 1000);
	for (i = 0; i < 100; i++)
		T_EQ_INT(buf_adds(&b, "0123456789"), 0);
	T_EQ_INT(b.len, 1000);
	T_EQ_INT(b.cap, 1001);
	T_EQ_INT(buf_adds(&b, "x"), -1);
	buf_fini(&b);
	T_CHECK(b.p == NULL);
}

/* jsonw writer f's output for v, in a fresh unbounded buffer. */
static int
fixed6_is(double v, const char *want)
{
	struct buf b;
	int ok;

	buf_init(&b, 0);
	jsonw_fixed6(&b, v);
	ok = b.p != NULL && strcmp(b.p, want) == 0;
	if (!ok)
		fprintf(stderr, "fixed6(%.17g) = %s, want %s\n", v,
		    b.p ? b.p : "(null)", want);
	buf_fini(&b);
	return ok;
}

static void
test_jsonw(void)
{
	struct buf b;

	buf_init(&b, 0);
	jsonw_str(&b, "a\"b\\c\n\x01" "d");
	T_EQ_STR(b.p, "\"a\\\"b\\\\c\\u000a\\u0001d\"");
	buf_reset(&b);
	jsonw_str(&b, "");
	jsonw_str(&b, "caf\xc3\xa9");
	T_EQ_STR(b.p, "\"\"\"caf\xc3\xa9\"");
	buf_reset(&b);
	jsonw_i64(&b, 0);
	buf_adds(&b, " ");
	jsonw_i64(&b, -42);
	buf_adds(&b, " ");
	jsonw_i64(&b, INT64_MIN);
	buf_adds(&b, " ");
	jsonw_i64(&b, INT64_MAX);
	T_EQ_STR(b.p, "0 -42 -9223372036854775808 9223372036854775807");
	buf_fini(&b);
	T_CHECK(fixed6_is(0.54, "0.54"));
	T_CHECK(fixed6_is(0.54000000000000004, "0.54"));
	T_CHECK(fixed6_is(1, "1"));
	T_CHECK(fixed6_is(0, "0"));
	T_CHECK(fixed6_is(-0.0000001, "0"));
	T_CHECK(fixed6_is(-0.5, "-0.5"));
	T_CHECK(fixed6_is(0.1234567, "0.123457"));
	T_CHECK(fixed6_is(0.000001, "0.000001"));
	T_CHECK(fixed6_is(NAN, "null"));
	T_CHECK(fixed6_is(INFINITY, "null"));
	/* A ceiling hit inside a string fails the whole value. */
	buf_init(&b, 4);
	T_EQ_INT(jsonw_str(&b, "abcdef"), -1);
	T_EQ_INT(b.failed, 1);
	buf_fini(&b);
}

static void
test_hmap(void)
{
	static char keys[500][8];
	struct hmap m = { 0 };
	struct u64set s = { 0 };
	int i, bad = 0;

	T_CHECK(hmap_get(&m, "x", 1) == NULL);
	for (i = 0; i < 500; i++) {
		snprintf(keys[i], sizeof(keys[i]), "k%d", i);
		T_EQ_INT(hmap_put(&m, keys[i], &keys[i]), 0);
	}
	T_EQ_INT(m.n, 500);
	for (i = 0; i < 500; i += 2)
		hmap_del(&m, keys[i]);
	T_EQ_INT(m.n, 250);
	for (i = 0; i < 500; i++)
		if ((hmap_get(&m, keys[i], strlen(keys[i])) != NULL) != (i & 1))
			bad++;
	T_EQ_INT(bad, 0);
	/* A prefix of a key is another key; klen counts, not the NUL. */
	T_CHECK(hmap_get(&m, "k11x", 3) == &keys[11]);
	T_CHECK(hmap_get(&m, "k1", 2) == &keys[1]);
	T_EQ_INT(hmap_put(&m, keys[1], NULL), 0);	/* replaced */
	T_EQ_INT(m.n, 250);
	hmap_fini(&m);
	T_CHECK(hmap_get(&m, "k1", 2) == NULL);

	/* Hashes: 0 and 1 stand in for 2 and 3 (the set's own markers). */
	for (i = 0; i < 300; i++)
		T_EQ_INT(u64set_add(&s, (uint64_t)i * 7 + 4), 0);
	u64set_del(&s, 4);
	u64set_del(&s, 7 * 7 + 4);
	T_EQ_INT(u64set_has(&s, 4), 0);
	T_EQ_INT(u64set_has(&s, 11), 1);
	T_EQ_INT(u64set_has(&s, 7 * 7 + 4), 0);
	T_EQ_INT(u64set_has(&s, 299 * 7 + 4), 1);
	T_EQ_INT(u64set_has(&s, 5), 0);
	T_EQ_INT(s.n, 298);
	T_EQ_INT(u64set_add(&s, 0), 0);
	T_EQ_INT(u64set_has(&s, 2), 1);
	u64set_fini(&s);
}

static void
test_fnv(void)
{
	/* The FNV-1a 64 vectors of the reference implementation. */
	T_CHECK(fnv1a64("", 0, FNV1A64_BASIS) == 0xcbf29ce484222325ULL);
	T_CHECK(fnv1a64("a", 1, FNV1A64_BASIS) == 0xaf63dc4c8601ec8cULL);
	T_CHECK(fnv1a64("foobar", 6, FNV1A64_BASIS) == 0x85944171f73967e8ULL);
	/* Folding in two steps is folding once. */
	T_CHECK(fnv1a64("bar", 3, fnv1a64("foo", 3, FNV1A64_BASIS)) ==
	    0x85944171f73967e8ULL);
}

static void
test_vec(void)
{
	int *v = NULL;
	size_t cap = 0;

	T_EQ_INT(vec_grow(&v, &cap, 1, sizeof(*v), 16), 0);
	T_EQ_INT((int)cap, 16);
	v[15] = 7;
	T_EQ_INT(vec_grow(&v, &cap, 16, sizeof(*v), 16), 0);	/* room */
	T_EQ_INT((int)cap, 16);
	T_EQ_INT(vec_grow(&v, &cap, 17, sizeof(*v), 16), 0);
	T_EQ_INT((int)cap, 32);
	T_EQ_INT(v[15], 7);
	T_EQ_INT(vec_grow(&v, &cap, 100, sizeof(*v), 16), 0);
	T_EQ_INT((int)cap, 128);
	T_EQ_INT(vec_grow(&v, &cap, 5, sizeof(*v), 16), 0);	/* no shrink */
	T_EQ_INT((int)cap, 128);
	T_EQ_INT(vec_grow(&v, &cap, SIZE_MAX / 2, sizeof(*v), 16), -1);
	T_EQ_INT((int)cap, 128);
	T_EQ_INT(v[15], 7);
	free(v);
}

/* vec_grow_new: the pointer array grown from 16, each element zeroed. */
static void
test_vec_grow_new(void)
{
	struct el { int a; char s[8]; } **els = NULL, *e;
	size_t n, cap = 0;

	for (n = 0; n < 17; n++) {
		T_CHECK((e = vec_grow_new(&els, &cap, n, sizeof(*e))) != NULL);
		T_CHECK(e->a == 0 && e->s[7] == '\0');
		e->a = (int)n;
		els[n] = e;
		T_EQ_INT((int)cap, n < 16 ? 16 : 32);
	}
	T_EQ_INT(els[0]->a, 0);
	T_EQ_INT(els[16]->a, 16);
	vec_free_all(&els, &n);		/* ASan: nothing leaks */
	T_CHECK(els == NULL && n == 0);
	vec_free_all(&els, &n);		/* empty: a no-op */
}

struct node {
	struct node	*next, *prev, **prevp;
	int		 v;
};

/* The values from head on, by next, as digits. */
static const char *
walk(const struct node *head)
{
	static char out[16];
	size_t n = 0;

	for (; head != NULL && n < sizeof(out) - 1; head = head->next)
		out[n++] = (char)('0' + head->v);
	out[n] = '\0';
	return out;
}

static void
test_link(void)
{
	struct node a = { .v = 1 }, b = { .v = 2 }, c = { .v = 3 };
	struct node *head = NULL, *tail = NULL;
	size_t n;

	LINK_APPEND(head, tail, &a, next);
	LINK_APPEND(head, tail, &b, next);
	T_EQ_STR(walk(head), "12");
	T_CHECK(tail == &b && b.next == NULL);

	head = tail = NULL;
	DLINK_APPEND(head, tail, &a, prev, next);
	DLINK_APPEND(head, tail, &b, prev, next);
	DLINK_APPEND(head, tail, &c, prev, next);
	T_EQ_STR(walk(head), "123");
	T_CHECK(c.prev == &b && a.prev == NULL);
	DLINK_UNLINK(head, tail, &b, prev, next);	/* middle */
	T_EQ_STR(walk(head), "13");
	T_CHECK(c.prev == &a);
	DLINK_UNLINK(head, tail, &c, prev, next);	/* tail */
	T_CHECK(tail == &a && a.next == NULL);
	DLINK_UNLINK(head, tail, &a, prev, next);	/* last one */
	T_CHECK(head == NULL && tail == NULL);

	head = tail = NULL;
	DLINK_APPEND(head, tail, &a, prev, next);
	DLINK_APPEND(head, tail, &b, prev, next);
	DLINK_UNLINK_HEAD(head, &a, prev, next);	/* head */
	T_CHECK(head == &b && b.prev == NULL);

	head = NULL;
	PLINK_PUSH(head, &a, next, prevp);
	PLINK_PUSH(head, &b, next, prevp);
	PLINK_PUSH(head, &c, next, prevp);
	T_EQ_STR(walk(head), "321");
	PLINK_UNLINK(&b, next, prevp);
	T_EQ_STR(walk(head), "31");
	T_CHECK(b.next == NULL && b.prevp == NULL && a.prevp == &c.next);
	PLINK_UNLINK(&c, next, prevp);
	T_CHECK(head == &a && a.prevp == &head);
	PLINK_UNLINK(&a, next, prevp);
	T_CHECK(head == NULL);

	/* Counted: twice in or twice out counts once. */
	n = 0;
	PLINK_ADD(head, n, &a, next, prevp);
	PLINK_ADD(head, n, &b, next, prevp);
	PLINK_ADD(head, n, &a, next, prevp);
	T_EQ_INT(n, 2);
	T_EQ_STR(walk(head), "21");
	PLINK_DEL(n, &a, next, prevp);
	PLINK_DEL(n, &a, next, prevp);
	T_EQ_INT(n, 1);
	T_EQ_STR(walk(head), "2");
	PLINK_DEL(n, &b, next, prevp);
	T_CHECK(head == NULL && n == 0);
}

static void
test_strcopy(void)
{
	char d[4];

	strcopy(d, sizeof(d), "ab");
	T_EQ_STR(d, "ab");
	strcopy(d, sizeof(d), "abcdef");
	T_EQ_STR(d, "abc");
	strcopy(d, sizeof(d), NULL);
	T_EQ_STR(d, "");
	strcopy_n(d, sizeof(d), "xyz", 2);
	T_EQ_STR(d, "xy");
	d[0] = 'q';
	strcopy(d, 0, "abc");	/* no room: nothing written */
	T_CHECK(d[0] == 'q');
}

static void
test_digits(void)
{
	T_CHECK(digits_only("0123456789", 10));
	T_CHECK(digits_only("", 0));
	T_CHECK(digits_only("12x", 2));	/* only the n bytes count */
	T_CHECK(!digits_only("12x", 3));
	T_CHECK(!digits_only("-1", 2));
	T_CHECK(!digits_only("1 ", 2));
	T_CHECK(!digits_only("/:", 1));	/* the bytes either side of '0'..'9' */
	T_CHECK(!digits_only(":", 1));
	T_CHECK(!digits_only("1\0002", 3));
}

int
main(void)
{
	test_buf();
	test_jsonw();
	test_hmap();
	test_fnv();
	test_vec();
	test_vec_grow_new();
	test_link();
	test_strcopy();
	test_digits();
	return t_done("containers");
}
