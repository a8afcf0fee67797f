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

int
main(void)
{
	test_queue();
	test_throttle();
	return t_done("test_fanout_queue");
}
