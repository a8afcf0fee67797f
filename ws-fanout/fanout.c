/*
 * fanout: the room events to subscribers: each update to every
 * subscriber of its game, FANOUT_SLICE of them at a time with the games
 * taking turns, resets and notices; and the room and client lists that
 * this walks. Writes through wswrite.c; no lws calls but want_write.
 */
#include <limits.h>
#include <stdlib.h>

#include <libwebsockets.h>

#include "conn.h"
#include "link.h"
#include "log.h"
#include "timeutil.h"

static struct subs *
room_subs(struct room *r)
{
	struct subs *sb = room_user(r);

	if (sb == NULL && (sb = calloc(1, sizeof(*sb))) != NULL)
		room_set_user(r, sb);
	return sb;
}

/* Queues m for c; a full queue turns into a resync. */
void
fanout_push(struct server *s, struct client *c, struct msg *m)
{
	if (c->need_snapshot || c->q.resync || c->close_code)
		return;
	if (wswrite_can_direct(c) && wswrite_direct(s, c, &m, 1, CHUNK) == 1)
		return;
	if (clientq_push(&c->q, m, s->cfg.client_queue, &s->budget) == -1) {
		s->cfg.metrics->resyncs++;
		log_debug("client resync", "game=%s", room_id(c->room));
	}
	s->cfg.metrics->queued_bytes = s->budget.used;
	want_write(c);
}

/*
 * Pushes sb's update to up to budget more of its subscribers; returns
 * nonzero once every one has it.
 */
static int
fanout_slice(struct server *s, struct subs *sb, unsigned long budget)
{
	struct client *c;

	for (c = sb->fo_next; c != NULL && budget > 0; c = c->rnext, budget--)
		fanout_push(s, c, sb->fo_msg);
	sb->fo_next = c;
	if (c != NULL)
		return 0;
	hist_observe(&s->cfg.metrics->fanout, time_now_us() - sb->fo_start_us);
	msg_unref(sb->fo_msg);
	sb->fo_msg = NULL;
	return 1;
}

/* Ends sb's fan-out now: before the next message for its clients. */
static void
fanout_finish(struct server *s, struct subs *sb)
{
	if (sb != NULL && sb->fo_msg != NULL)
		(void)fanout_slice(s, sb, ULONG_MAX);
}

static void
fanout_queue(struct server *s, struct subs *sb)
{
	sb->fo_queued = 1;
	LINK_APPEND(s->fo_head, s->fo_tail, sb, fo_qnext);
}

/*
 * One slice of every fan-out under way per loop turn, in turn: a game
 * with thousands of subscribers takes many turns, and the updates of
 * the other games go out between them, with input and sockets served
 * in between too.
 */
static void
on_fanout(uv_idle_t *h)
{
	struct server *s = h->data;
	struct subs *sb, *last = s->fo_tail;

	while ((sb = s->fo_head) != NULL) {
		s->fo_head = sb->fo_qnext;
		if (s->fo_head == NULL)
			s->fo_tail = NULL;
		sb->fo_qnext = NULL;
		sb->fo_queued = 0;
		if (sb->fo_msg != NULL && !fanout_slice(s, sb, FANOUT_SLICE))
			fanout_queue(s, sb);
		if (sb == last)
			break;
	}
	if (s->fo_head == NULL)
		uv_idle_stop(h);
}

/*
 * An update goes at once to the first FANOUT_SLICE subscribers and to
 * the rest in turn with the other games' (on_fanout).
 */
static void
room_update(void *arg, struct room *r, struct msg *m)
{
	struct server *s = arg;
	struct subs *sb = room_user(r);

	if (sb == NULL || sb->head == NULL)
		return;
	fanout_finish(s, sb);
	sb->fo_start_us = time_now_us();
	if (m->ingest_us > 0)
		hist_observe(&s->cfg.metrics->hold, sb->fo_start_us -
		    m->ingest_us);
	sb->fo_msg = msg_ref(m);
	sb->fo_next = sb->head;
	if (fanout_slice(s, sb, FANOUT_SLICE) || sb->fo_queued)
		return;
	fanout_queue(s, sb);
	uv_idle_start(&s->fanout, on_fanout);
}

static void
room_reset(void *arg, struct room *r)
{
	struct server *s = arg;
	struct subs *sb = room_user(r);
	struct client *c;

	log_info("new epoch", "game=%s epoch=%lld", room_id(r),
	    (long long)room_epoch(r));
	if (sb == NULL)
		return;
	/* Every subscriber gets a snapshot instead. */
	msg_unref(sb->fo_msg);
	sb->fo_msg = NULL;
	sb->fo_next = NULL;
	for (c = sb->head; c != NULL; c = c->rnext) {
		if (c->close_code)
			continue;
		clientq_clear(&c->q, &s->budget);
		c->q.resync = 0;
		c->need_snapshot = 1;
		want_write(c);
	}
	s->cfg.metrics->queued_bytes = s->budget.used;
}

static void
room_notice(void *arg, struct room *r, struct msg *m)
{
	struct server *s = arg;
	struct client *c;
	struct subs *sb;

	/* After the updates under way, for every client alike. */
	if (r == NULL) {
		while (s->fo_head != NULL)
			on_fanout(&s->fanout);
		for (c = s->all; c != NULL; c = c->anext)
			if (c->room != NULL)
				fanout_push(s, c, m);
		return;
	}
	if ((sb = room_user(r)) == NULL)
		return;
	fanout_finish(s, sb);
	for (c = sb->head; c != NULL; c = c->rnext)
		fanout_push(s, c, m);
}

void
fanout_attach(struct server *s)
{
	struct rooms_sink sink;

	sink.on_update = room_update;
	sink.on_reset = room_reset;
	sink.on_notice = room_notice;
	sink.arg = s;
	rooms_set_sink(s->cfg.rooms, &sink);
}

void
fanout_link(struct server *s, struct client *c)
{
	struct subs *sb;

	c->anext = s->all;
	if (s->all != NULL)
		s->all->aprev = c;
	s->all = c;
	s->nclients++;
	if (s->nclients > s->trim_peak)
		s->trim_peak = s->nclients;
	if (c->room != NULL && (sb = room_subs(c->room)) != NULL) {
		c->rnext = sb->head;
		if (sb->head != NULL)
			sb->head->rprev = c;
		sb->head = c;
		sb->n++;
	}
}

void
fanout_unlink(struct server *s, struct client *c)
{
	struct subs *sb;

	DLINK_UNLINK_HEAD(s->all, c, aprev, anext);
	s->nclients--;
	/*
	 * Once more than half of a crowd of clients has gone (a game ended,
	 * a burst of reconnects passed), the next sweep hands the freed
	 * pages back to the kernel: glibc keeps them otherwise.
	 */
	if (s->trim_peak >= TRIM_MIN_CLIENTS && s->nclients * 2 < s->trim_peak) {
		s->trim_peak = s->nclients;
		s->trim_due = 1;
	}
	if (c->room != NULL && (sb = room_user(c->room)) != NULL) {
		if (sb->fo_next == c)
			sb->fo_next = c->rnext;
		DLINK_UNLINK_HEAD(sb->head, c, rprev, rnext);
		sb->n--;
	}
}

void
fanout_cancel(struct server *s)
{
	struct subs *sb;

	while ((sb = s->fo_head) != NULL) {
		s->fo_head = sb->fo_qnext;
		msg_unref(sb->fo_msg);
		sb->fo_msg = NULL;
		sb->fo_next = NULL;
		sb->fo_qnext = NULL;
		sb->fo_queued = 0;
	}
	s->fo_tail = NULL;
	uv_idle_stop(&s->fanout);
}
