/*
 * test_fanout_queue: a subscriber's queue (limit, global budget, resync)
 * and the per-room throttle (leading edge, a rate with a burst of two).
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
	int64_t now = 1000000, first, sent_at[200];
	int i, k, sent = 0, most = 0, in_window;

	throttle_init(&t, 10, 1000000);
	T_EQ_INT(t.interval_us, 100000);
	/* Leading edge. */
	T_EQ_INT(throttle_wait(&t, now, now), 0);
	throttle_sent(&t, now);
	/* A second one 50 ms later goes too: a burst of two. */
	T_EQ_INT(throttle_wait(&t, now + 50000, now + 50000), 0);
	throttle_sent(&t, now + 50000);
	/* A third 10 ms later waits until the rate allows it (100 ms). */
	T_EQ_INT(throttle_wait(&t, now + 60000, now + 60000), 40000);
	T_EQ_INT(throttle_wait(&t, now + 60000, now + 100000), 0);
	throttle_sent(&t, now + 60000);
	/* It was charged from when it became due, not from its arrival. */
	T_EQ_INT(t.tat_us, now + 300000);
	/* A quiet spell: at once, and the schedule restarts. */
	T_EQ_INT(throttle_wait(&t, now + 900000, now + 900000), 0);
	throttle_sent(&t, now + 900000);
	T_EQ_INT(t.tat_us, now + 1000000);

	/*
	 * A feed at exactly the rate, each tick 20 ms early or late in
	 * turn (the worst case: 60 ms then 140 ms apart), is never held.
	 */
	throttle_init(&t, 10, 1000000);
	for (i = 0; i < 1000; i++) {
		first = now + (int64_t)i * 100000 + (i % 2 ? 20000 : -20000);
		T_EQ_INT(throttle_wait(&t, first, first), 0);
		throttle_sent(&t, first);
	}
	/* Nor with irregular jitter of up to +-50 ms. */
	throttle_init(&t, 10, 1000000);
	for (i = 0; i < 1000; i++) {
		first = now + (int64_t)i * 100000 +
		    ((i * 7919) % 101 - 50) * 1000;
		T_EQ_INT(throttle_wait(&t, first, first), 0);
		throttle_sent(&t, first);
	}
	/*
	 * A flood gets the rate over a long run, and no second holds more
	 * than n + 1 messages.
	 */
	throttle_init(&t, 10, 1000000);
	for (now = 0; now < 10000000; now += 1000)
		if (throttle_wait(&t, now, now) == 0) {
			throttle_sent(&t, now);
			if (sent < 200)
				sent_at[sent] = now;
			sent++;
		}
	T_CHECK(sent <= 102);
	T_CHECK(sent >= 99);
	for (i = 0; i < sent && i < 200; i++) {
		in_window = 0;
		for (k = i; k < sent && k < 200 &&
		    sent_at[k] < sent_at[i] + 1000000; k++)
			in_window++;
		if (in_window > most)
			most = in_window;
	}
	T_EQ_INT(most, 11);
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
