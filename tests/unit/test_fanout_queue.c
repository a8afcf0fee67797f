/*
 * test_fanout_queue: a subscriber's queue (limit, global budget, resync)
 * and the per-room throttle (leading edge, interval, tolerance).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "t.h"
#include "ws-fanout/clientq.h"
#include "ws-fanout/throttle.h"

static void
test_queue(void)
{
	struct clientq_budget b = { 0, 0 };
	struct clientq q, q2;
	struct msg *m100, *m10, *got;
	char body[100];
	int i;

	memset(body, 'x', sizeof(body));
	m100 = msg_new(MSG_UPDATE, 16, body, 100);
	m10 = msg_new(MSG_UPDATE, 16, body, 10);
	T_CHECK(m100 != NULL && m10 != NULL);
	if (m100 == NULL || m10 == NULL)
		return;
	clientq_init(&q);
	/* Shared: queued messages hold references, not copies. */
	T_EQ_INT(clientq_push(&q, m100, 250, &b), 0);
	T_EQ_INT(clientq_push(&q, m100, 250, &b), 0);
	T_EQ_INT(m100->refs, 3);
	T_EQ_INT(q.bytes, 200);
	T_EQ_INT(b.used, 200);
	got = clientq_pop(&q, &b);
	T_CHECK(got == m100);
	msg_unref(got);
	T_EQ_INT(b.used, 100);
	T_EQ_INT(clientq_push(&q, m100, 250, &b), 0);
	T_EQ_INT(clientq_push(&q, m10, 250, &b), 0);
	/* Past the limit: the queue is dropped, the client resyncs. */
	T_EQ_INT(clientq_push(&q, m100, 250, &b), -1);
	T_EQ_INT(q.resync, 1);
	T_EQ_INT(q.count, 0);
	T_EQ_INT(q.bytes, 0);
	T_EQ_INT(b.used, 0);
	T_EQ_INT(m100->refs, 1);
	T_CHECK(clientq_peek(&q) == NULL);
	/* While resyncing nothing is queued. */
	T_EQ_INT(clientq_push(&q, m10, 250, &b), -1);
	T_EQ_INT(q.count, 0);
	q.resync = 0;

	/* The global budget resyncs whoever would pass it. */
	b.max = 150;
	clientq_init(&q2);
	T_EQ_INT(clientq_push(&q, m100, 0, &b), 0);
	T_EQ_INT(clientq_push(&q2, m10, 0, &b), 0);
	T_EQ_INT(clientq_push(&q2, m100, 0, &b), -1);
	T_EQ_INT(q2.resync, 1);
	T_EQ_INT(b.used, 100);
	for (i = 0; i < 3; i++)
		clientq_push(&q, m10, 0, &b);
	T_EQ_INT(q.count, 4);
	T_EQ_INT(b.used, 130);
	clientq_clear(&q, &b);
	clientq_clear(&q2, &b);
	T_EQ_INT(b.used, 0);
	T_EQ_INT(m10->refs, 1);
	msg_unref(m100);
	msg_unref(m10);
}

static void
test_throttle(void)
{
	struct throttle t;
	int64_t now = 1000000, first;
	int i, sent = 0;

	throttle_init(&t, 10, 1000000);
	T_EQ_INT(t.interval_us, 100000);
	/* Leading edge. */
	T_EQ_INT(throttle_wait(&t, now, now), 0);
	throttle_sent(&t, now);
	/* 50 ms later: wait until 90 ms (a tenth early is allowed). */
	T_EQ_INT(throttle_wait(&t, now + 50000, now + 50000), 40000);
	T_EQ_INT(throttle_wait(&t, now + 50000, now + 90000), 0);
	throttle_sent(&t, now + 50000);
	/* It counted from its due time, not its arrival. */
	T_EQ_INT(t.last_us, now + 100000);
	/* A quiet spell: at once, and the schedule restarts. */
	T_EQ_INT(throttle_wait(&t, now + 500000, now + 500000), 0);
	throttle_sent(&t, now + 500000);
	T_EQ_INT(t.last_us, now + 500000);

	/* A feed at exactly the rate with +-3 ms jitter is never held. */
	throttle_init(&t, 10, 1000000);
	for (i = 0; i < 1000; i++) {
		first = now + (int64_t)i * 100000 + ((i * 7919) % 7 - 3) * 1000;
		T_EQ_INT(throttle_wait(&t, first, first), 0);
		throttle_sent(&t, first);
	}
	/* A flood gets no more than the rate over a long run. */
	throttle_init(&t, 10, 1000000);
	for (now = 0; now < 10000000; now += 1000)
		if (throttle_wait(&t, now, now) == 0) {
			throttle_sent(&t, now);
			sent++;
		}
	T_CHECK(sent <= 101);
	T_CHECK(sent >= 99);
}

/* clientq_peekn: the oldest messages in order, borrowed, at most n. */
static void
test_peekn(void)
{
	struct clientq q;
	struct msg *a, *b, *out[4];

	a = msg_new(MSG_UPDATE, 16, "a", 1);
	b = msg_new(MSG_UPDATE, 16, "bb", 2);
	T_CHECK(a != NULL && b != NULL);
	if (a == NULL || b == NULL)
		goto out;
	clientq_init(&q);
	T_EQ_INT(clientq_peekn(&q, out, 4), 0);
	T_EQ_INT(clientq_push(&q, a, 0, NULL), 0);
	T_EQ_INT(clientq_push(&q, b, 0, NULL), 0);
	T_EQ_INT(clientq_push(&q, a, 0, NULL), 0);
	T_EQ_INT(clientq_peekn(&q, out, 2), 2);
	T_CHECK(out[0] == a && out[1] == b);
	T_EQ_INT(clientq_peekn(&q, out, 4), 3);
	T_CHECK(out[2] == a);
	/* Peeking takes nothing: the queue and the references stay. */
	T_EQ_INT(q.count, 3);
	T_EQ_INT(a->refs, 3);
	msg_unref(clientq_pop(&q, NULL));
	T_EQ_INT(clientq_peekn(&q, out, 4), 2);
	T_CHECK(out[0] == b && out[1] == a);
	clientq_clear(&q, NULL);
	T_EQ_INT(a->refs, 1);
out:
	msg_unref(a);
	msg_unref(b);
}

/* msg_frame: the RFC 6455 header of each length class, in the headroom. */
static void
test_frame(void)
{
	static const size_t lens[] = { 0, 125, 126, 65535, 65536 };
	static const size_t hls[] = { 2, 2, 4, 4, 10 };
	unsigned char *p, *big;
	struct msg *m;
	size_t i, total;

	if ((big = calloc(1, 65536)) == NULL) {
		T_CHECK(0);
		return;
	}
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		if ((m = msg_new(MSG_UPDATE, 16, big, lens[i])) == NULL) {
			T_CHECK(0);
			continue;
		}
		p = msg_frame(m, &total);
		T_CHECK(p == msg_payload(m) - hls[i]);
		T_EQ_INT(total, hls[i] + lens[i]);
		T_EQ_INT(p[0], 0x81);
		if (hls[i] == 2)
			T_EQ_INT(p[1], lens[i]);
		else if (hls[i] == 4) {
			T_EQ_INT(p[1], 126);
			T_EQ_INT(p[2] << 8 | p[3], lens[i]);
		} else {
			T_EQ_INT(p[1], 127);
			T_EQ_INT(p[7] << 16 | p[8] << 8 | p[9], lens[i]);
			T_EQ_INT(p[2] | p[3] | p[4] | p[5] | p[6], 0);
		}
		msg_unref(m);
	}
	/* Too little headroom for a 4-byte header. */
	if ((m = msg_new(MSG_UPDATE, 3, big, 200)) != NULL) {
		T_CHECK(msg_frame(m, &total) == NULL);
		msg_unref(m);
	}
	free(big);
}

int
main(void)
{
	test_frame();
	test_queue();
	test_peekn();
	test_throttle();
	return t_done("test_fanout_queue");
}
