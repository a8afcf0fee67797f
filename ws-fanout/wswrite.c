/*
 * wswrite: what goes out on one subscriber's WebSocket: the direct
 * sendmsg fast path (frame headers shared in each message's headroom),
 * lws_write for the rest, long messages in CHUNK fragments, pings and
 * our own close frame. Decides nothing about who gets what (fanout.c).
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <libwebsockets.h>

#include "conn.h"
#include "deflate.h"
#include "log.h"
#include "timeutil.h"

/*
 * Nothing of c's stream may be ahead of a frame written straight to its
 * socket: no queued message, no fragmented one in progress, no snapshot
 * or close due, and nothing lws holds back from a short write (its own
 * pong or close frames included).
 */
int
wswrite_can_direct(const struct client *c)
{
	return c->live && c->q.head == NULL && c->cur == NULL &&
	    !c->need_snapshot && !c->q.resync && !c->close_code &&
	    !lws_partial_buffered(c->wsi);
}

/*
 * Hands the unsent tail of a frame to lws, which keeps it and writes it
 * before anything else on the connection (its pongs and close frames
 * too), so the stream stays whole. A failure leaves a broken frame on
 * the wire: the connection is dropped.
 */
static void
hand_tail(struct client *c, unsigned char *p, size_t n)
{
	if (lws_write(c->wsi, p, n, LWS_WRITE_RAW) < 0) {
		c->close_code = LWS_CLOSE_STATUS_GOINGAWAY;
		lws_set_timeout(c->wsi, PENDING_TIMEOUT_WS_PONG_CHECK_GET_PONG,
		    LWS_TO_KILL_ASYNC);
	}
}

/*
 * The compressed variant is built the first time a subscriber that
 * negotiated permessage-deflate needs m; every later one gets the same
 * bytes. A message under the threshold, or one deflate would not
 * shrink, goes plain (RSV1 clear).
 */
struct msg *
wswrite_pick(struct server *s, const struct client *c, struct msg *m)
{
	struct metrics *mt = s->cfg.metrics;

	if (!c->pmd || s->deflater == NULL || m->rsv1 ||
	    m->len < s->cfg.deflate_min)
		return m;
	if (!m->z_done) {
		m->z_done = 1;
		if ((m->z = deflater_msg(s->deflater, m)) != NULL) {
			mt->deflated++;
			mt->deflate_in += m->len;
			mt->deflate_out += m->z->len;
		}
		mt->deflate_mem = deflater_mem(s->deflater);
	}
	return m->z != NULL ? m->z : m;
}

/*
 * The fast path: writes up to n queued-or-new messages (each at most
 * limit bytes) to c's socket with one sendmsg, bypassing lws's
 * one-write-per-writable-callback. Returns how many messages left
 * (whole, or with their tail handed to lws); the rest stay the caller's.
 * The tail lws keeps is at most limit bytes.
 */
size_t
wswrite_direct(struct server *s, struct client *c, struct msg **ms, size_t n,
    size_t limit)
{
	struct iovec iov[16];
	struct msg *pk[16];
	struct msghdr mh;
	size_t i, k, total, done;
	ssize_t w;
	int fd;

	/* Under TLS the socket carries records: everything through lws. */
	if (s->cfg.tls_cert != NULL ||
	    (fd = (int)lws_get_socket_fd(c->wsi)) < 0)
		return 0;
	if (n > sizeof(iov) / sizeof(iov[0]))
		n = sizeof(iov) / sizeof(iov[0]);
	for (k = 0; k < n; k++) {
		pk[k] = wswrite_pick(s, c, ms[k]);
		if (pk[k]->len > limit ||
		    (iov[k].iov_base = msg_frame(pk[k], &total)) == NULL)
			break;
		iov[k].iov_len = total;
	}
	if (k == 0)
		return 0;
	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = iov;
	mh.msg_iovlen = k;
	do
		w = sendmsg(fd, &mh, MSG_NOSIGNAL | MSG_DONTWAIT);
	while (w == -1 && errno == EINTR);
	/* EAGAIN, or an error lws will see for itself: queue as before. */
	if (w <= 0)
		return 0;
	done = (size_t)w;
	for (i = 0; i < k && done > 0; i++) {
		if (done < iov[i].iov_len) {
			hand_tail(c, (unsigned char *)iov[i].iov_base + done,
			    iov[i].iov_len - done);
			done = 0;
		} else
			done -= iov[i].iov_len;
		wswrite_count(s, pk[i]);
	}
	return i;
}

void
wswrite_count(struct server *s, const struct msg *m)
{
	struct metrics *mt = s->cfg.metrics;

	mt->msgs_sent++;
	mt->bytes_sent += m->len;
	switch (m->kind) {
	case MSG_SNAPSHOT:
		mt->snapshots_sent++;
		break;
	case MSG_UPDATE:
		mt->updates_sent++;
		if (m->ingest_us)
			hist_observe(&mt->age, time_now_us() - m->ingest_us);
		break;
	case MSG_NOTICE:
		mt->notices_sent++;
		break;
	}
}

/*
 * A fragment of a compressed message, framed here (lws_write cannot set
 * RSV1): RSV1 on the first frame only (RFC 7692 §6.1).
 */
static int
write_raw_fragment(struct server *s, struct client *c, size_t n, int fin)
{
	unsigned char *p = s->scratch + LWS_PRE;
	size_t hl = n < 126 ? 2 : 4;	/* n <= CHUNK < 65536 */

	memcpy(p, msg_payload(c->cur) + c->cur_off, n);
	p -= hl;
	p[0] = (unsigned char)((fin ? 0x80 : 0) |
	    (c->cur_off == 0 ? 0x41 : 0x00));
	if (hl == 2)
		p[1] = (unsigned char)n;
	else {
		p[1] = 126;
		p[2] = (unsigned char)(n >> 8);
		p[3] = (unsigned char)n;
	}
	return lws_write(c->wsi, p, hl + n, LWS_WRITE_RAW) < 0 ? -1 : 0;
}

/* Writes the next fragment of c->cur; the last one completes it. */
static int
write_chunk(struct server *s, struct client *c)
{
	struct msg *m = c->cur;
	size_t n = m->len - c->cur_off;
	int flags;

	if (n > CHUNK)
		n = CHUNK;
	flags = c->cur_off == 0 ? LWS_WRITE_TEXT : LWS_WRITE_CONTINUATION;
	if (c->cur_off + n < m->len)
		flags |= LWS_WRITE_NO_FIN;
	if (m->rsv1) {
		if (write_raw_fragment(s, c, n, c->cur_off + n == m->len) < 0)
			return -1;
	} else {
		memcpy(s->scratch + LWS_PRE, msg_payload(m) + c->cur_off, n);
		if (lws_write(c->wsi, s->scratch + LWS_PRE, n,
		    (enum lws_write_protocol)flags) < 0)
			return -1;
	}
	c->cur_off += n;
	if (c->cur_off == m->len) {
		wswrite_count(s, m);
		msg_unref(m);
		c->cur = NULL;
	}
	return 0;
}

/*
 * A message over CHUNK (a snapshot, mostly) goes out whole in one write
 * when the socket takes it, its tail (no more than the client's queue
 * limit) left to lws; else, or when larger, in CHUNK fragments, one per
 * writable callback.
 */
static int
write_msg(struct server *s, struct client *c, struct msg *m)
{
	unsigned char *f;
	size_t total;

	if (m->len > CHUNK && !lws_partial_buffered(c->wsi) &&
	    wswrite_direct(s, c, &m, 1, s->cfg.client_queue) == 1)
		return 0;
	m = wswrite_pick(s, c, m);
	if (m->rsv1 && m->len <= CHUNK) {
		/* Framed in its headroom, RSV1 set: lws writes it as is. */
		if ((f = msg_frame(m, &total)) == NULL ||
		    lws_write(c->wsi, f, total, LWS_WRITE_RAW) < 0)
			return -1;
		wswrite_count(s, m);
		return 0;
	}
	if (m->len > CHUNK) {
		c->cur = msg_ref(m);
		c->cur_off = 0;
		return write_chunk(s, c);
	}
	if (lws_write(c->wsi, msg_payload(m), m->len, LWS_WRITE_TEXT) < 0)
		return -1;
	wswrite_count(s, m);
	return 0;
}

/*
 * Writes the close frame ourselves: returning -1 after lws_close_reason()
 * from a writeable callback closes without one in lws 4.1.
 */
static int
send_close(struct client *c)
{
	unsigned char buf[LWS_PRE + 2];

	buf[LWS_PRE] = (unsigned char)(c->close_code >> 8);
	buf[LWS_PRE + 1] = (unsigned char)(c->close_code & 0xff);
	(void)lws_write(c->wsi, buf + LWS_PRE, 2,
	    (enum lws_write_protocol)4);	/* LWS_WRITE_CLOSE, internal */
	return -1;
}

int
wswrite_writable(struct server *s, struct client *c)
{
	unsigned char ping[LWS_PRE + 4];
	struct msg *m, *ms[16];
	size_t n;
	int rc = 0;

	if (!c->live)
		return -1;
	if (c->want_ping) {
		c->want_ping = 0;
		c->ping_sent_ms = (int64_t)uv_now(s->loop);
		pong_wait(s, c);
		log_debug("ping", "game=%s", c->room ? room_id(c->room) : "-");
		/* lws 4.1 hides an empty pong from us: give it a payload. */
		memcpy(ping + LWS_PRE, "ping", 4);
		if (lws_write(c->wsi, ping + LWS_PRE, 4, LWS_WRITE_PING) < 0)
			return -1;
		goto more;
	}
	if (c->cur != NULL) {
		if (write_chunk(s, c) == -1)
			return -1;
		goto more;
	}
	if (c->room != NULL && (c->need_snapshot || c->q.resync)) {
		if ((m = room_snapshot(c->room, c->q.resync)) == NULL)
			return -1;
		msg_ref(m);
		c->need_snapshot = 0;
		c->q.resync = 0;
	} else if (c->q.head != NULL && !lws_partial_buffered(c->wsi) &&
	    (n = wswrite_direct(s, c, ms, clientq_peekn(&c->q, ms,
	    sizeof(ms) / sizeof(ms[0])), CHUNK)) > 0) {
		/* Several queued messages went out in one write. */
		while (n-- > 0)
			msg_unref(clientq_pop(&c->q, &s->budget));
		s->cfg.metrics->queued_bytes = s->budget.used;
		goto more;
	} else if ((m = clientq_pop(&c->q, &s->budget)) == NULL) {
		if (c->close_code)
			return send_close(c);
		return 0;
	}
	s->cfg.metrics->queued_bytes = s->budget.used;
	rc = write_msg(s, c, m);
	msg_unref(m);
	if (rc == -1)
		return -1;
more:
	if (c->cur != NULL || c->q.head != NULL || c->need_snapshot ||
	    c->q.resync || c->close_code)
		want_write(c);
	return 0;
}
