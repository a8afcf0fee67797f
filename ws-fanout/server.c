/*
 * server: libwebsockets (libuv foreign loop) glue for ws-fanout. Each
 * room message is written as the same bytes to every subscriber: the
 * frame header goes into the message's headroom, which is safe to share
 * because every subscriber gets an identical, unmasked header and writes
 * happen one at a time on this thread. A subscriber with nothing pending
 * is written to directly (one sendmsg, not lws's poll-then-write round per
 * message); lws keeps any short write's tail. No protocol encoding here.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/stat.h>
#include <time.h>

#include <libwebsockets.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "log.h"
#include "clientq.h"
#include "listen.h"
#include "server.h"
#include "wspath.h"
#include "timeutil.h"

#define IP_BUCKETS	256
/*
 * Messages longer than this go out as fragments of this size, copied
 * through one scratch buffer: lws keeps the unsent tail of a partial
 * write per connection, so this bounds that copy (a whole snapshot per
 * slow client otherwise).
 */
#define CHUNK		(32 * 1024)
/*
 * Subscribers an update goes to before the other games get a turn:
 * about 2 ms of loopback sends here (9 us each), so a game with 10k
 * subscribers delays a small game's update by a slice, not by 90 ms.
 */
#define FANOUT_SLICE	256
#define CLOSE_UNKNOWN	4404
#define TRIM_MIN_CLIENTS 64	/* a crowd worth trimming after */

struct ipent {
	struct ipent	*next;
	unsigned	 n;
	char		 ip[64];
};

/*
 * A room's subscribers, newest first, and the update being fanned out to
 * them: m goes to next and every one after it. A client that joins
 * meanwhile goes in front of the cursor; its snapshot has the update.
 */
struct subs {
	struct client	*head;
	unsigned long	 n;
	struct msg	*fo_msg;
	struct client	*fo_next;
	struct subs	*fo_qnext;	/* rooms with a fan-out under way */
	int		 fo_queued;
};

struct client {
	struct lws	*wsi;
	struct client	*rnext, *rprev;	/* the room's subscribers */
	struct client	*anext, *aprev;	/* every client */
	struct room	*room;
	struct ipent	*ip;
	struct clientq	 q;
	struct msg	*cur;		/* a long message being fragmented */
	size_t		 cur_off;
	int64_t		 last_pong_ms;
	int64_t		 ping_sent_ms;
	size_t		 rx_len;
	unsigned short	 close_code;
	unsigned	 live:1, need_snapshot:1, want_ping:1,
			 awaiting_pong:1;
};

struct pss {
	struct client	 c;
	unsigned char	*body;		/* plain HTTP answer */
	size_t		 body_len;
};

struct server {
	uv_loop_t		*loop;
	struct lws_context	*ctx;
	struct server_cfg	 cfg;
	struct client		*all;
	unsigned long		 nclients;
	struct ipent		*ipt[IP_BUCKETS];
	struct clientq_budget	 budget;
	struct msg		**since_buf;
	unsigned char		*scratch;	/* LWS_PRE + CHUNK */
	uv_timer_t		 sweep;
	uv_timer_t		 grace;
	uv_idle_t		 fanout;	/* turns through fo_head */
	struct subs		*fo_head, *fo_tail;
	unsigned long		 trim_peak;	/* most clients since a trim */
	int			 trim_due;
	int			 stopping;
	int			 timers_open;
	void			(*done)(void *);
	void			*done_arg;
};

static const char placeholder_html[] =
    "<!doctype html>\n<html><head><meta charset=\"utf-8\">"
    "<title>courtside</title></head>\n<body><h1>courtside ws-fanout</h1>\n"
    "<p>Live games stream at <code>/ws/live/{game_id}</code>. "
    "The viewer page is not installed (see <code>--www</code>).</p>\n"
    "</body></html>\n";

static void	on_grace(uv_timer_t *);

static unsigned
ip_hash(const char *s)
{
	unsigned h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h % IP_BUCKETS;
}

static struct ipent *
ip_find(struct server *s, const char *ip)
{
	struct ipent *e;

	for (e = s->ipt[ip_hash(ip)]; e != NULL; e = e->next)
		if (strcmp(e->ip, ip) == 0)
			return e;
	return NULL;
}

static struct ipent *
ip_take(struct server *s, const char *ip)
{
	struct ipent *e = ip_find(s, ip);
	unsigned h;

	if (e == NULL) {
		if ((e = calloc(1, sizeof(*e))) == NULL)
			return NULL;
		snprintf(e->ip, sizeof(e->ip), "%s", ip);
		h = ip_hash(ip);
		e->next = s->ipt[h];
		s->ipt[h] = e;
	}
	e->n++;
	return e;
}

static void
ip_release(struct server *s, struct ipent *e)
{
	struct ipent **pp;

	if (e == NULL || --e->n > 0)
		return;
	for (pp = &s->ipt[ip_hash(e->ip)]; *pp != NULL; pp = &(*pp)->next)
		if (*pp == e) {
			*pp = e->next;
			free(e);
			return;
		}
}

static void
peer_ip(struct lws *wsi, char *buf, size_t len)
{
	if (lws_get_peer_simple(wsi, buf, len) == NULL)
		snprintf(buf, len, "?");
}

static struct subs *
room_subs(struct room *r)
{
	struct subs *sb = room_user(r);

	if (sb == NULL && (sb = calloc(1, sizeof(*sb))) != NULL)
		room_set_user(r, sb);
	return sb;
}

static void
want_write(struct client *c)
{
	lws_callback_on_writable(c->wsi);
}

static void	count_sent(struct server *, const struct msg *);

/*
 * Heap bytes in use: what the allocator has handed out and not had back,
 * whatever it keeps mapped. -1 where the C library cannot say (or a
 * sanitizer's allocator stands in for it and glibc sees none of it).
 */
static long long
heap_in_use(void)
{
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HEAP_UNKNOWN 1
#endif
#endif
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 33) && \
    !defined(__SANITIZE_ADDRESS__) && !defined(HEAP_UNKNOWN)
	struct mallinfo2 mi = mallinfo2();
	size_t held = mi.uordblks + mi.hblkhd;

	return (long long)held;
#else
	return -1;
#endif
}

/* Returns the allocator's free pages to the kernel, where it can. */
static void
heap_trim(void)
{
#ifdef __GLIBC__
	malloc_trim(0);
#endif
}

/*
 * Nothing of c's stream may be ahead of a frame written straight to its
 * socket: no queued message, no fragmented one in progress, no snapshot
 * or close due, and nothing lws holds back from a short write (its own
 * pong or close frames included).
 */
static int
can_send_direct(const struct client *c)
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
 * The fast path: writes up to n queued-or-new messages (each at most
 * limit bytes) to c's socket with one sendmsg, bypassing lws's
 * one-write-per-writable-callback. Returns how many messages left
 * (whole, or with their tail handed to lws); the rest stay the caller's.
 * The tail lws keeps is at most limit bytes.
 */
static size_t
send_direct(struct server *s, struct client *c, struct msg **ms, size_t n,
    size_t limit)
{
	struct iovec iov[16];
	struct msghdr mh;
	size_t i, k, total, done;
	ssize_t w;
	int fd;

	if ((fd = (int)lws_get_socket_fd(c->wsi)) < 0)
		return 0;
	if (n > sizeof(iov) / sizeof(iov[0]))
		n = sizeof(iov) / sizeof(iov[0]);
	for (k = 0; k < n; k++) {
		if (ms[k]->len > limit ||
		    (iov[k].iov_base = msg_frame(ms[k], &total)) == NULL)
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
		count_sent(s, ms[i]);
	}
	return i;
}

/* Queues m for c; a full queue turns into a resync. */
static void
push(struct server *s, struct client *c, struct msg *m)
{
	if (c->need_snapshot || c->q.resync || c->close_code)
		return;
	if (can_send_direct(c) && send_direct(s, c, &m, 1, CHUNK) == 1)
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
		push(s, c, sb->fo_msg);
	sb->fo_next = c;
	if (c != NULL)
		return 0;
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
	sb->fo_qnext = NULL;
	if (s->fo_tail != NULL)
		s->fo_tail->fo_qnext = sb;
	else
		s->fo_head = sb;
	s->fo_tail = sb;
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
void
server_room_update(struct server *s, struct room *r, struct msg *m)
{
	struct subs *sb = room_user(r);

	if (sb == NULL || sb->head == NULL)
		return;
	fanout_finish(s, sb);
	sb->fo_msg = msg_ref(m);
	sb->fo_next = sb->head;
	if (fanout_slice(s, sb, FANOUT_SLICE) || sb->fo_queued)
		return;
	fanout_queue(s, sb);
	uv_idle_start(&s->fanout, on_fanout);
}

void
server_room_reset(struct server *s, struct room *r)
{
	struct subs *sb = room_user(r);
	struct client *c;

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

void
server_room_notice(struct server *s, struct room *r, struct msg *m)
{
	struct client *c;
	struct subs *sb;

	/* After the updates under way, for every client alike. */
	if (r == NULL) {
		while (s->fo_head != NULL)
			on_fanout(&s->fanout);
		for (c = s->all; c != NULL; c = c->anext)
			if (c->room != NULL)
				push(s, c, m);
		return;
	}
	if ((sb = room_user(r)) == NULL)
		return;
	fanout_finish(s, sb);
	for (c = sb->head; c != NULL; c = c->rnext)
		push(s, c, m);
}

static void
client_link(struct server *s, struct client *c)
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

static void
client_unlink(struct server *s, struct client *c)
{
	struct subs *sb;

	if (c->aprev != NULL)
		c->aprev->anext = c->anext;
	else
		s->all = c->anext;
	if (c->anext != NULL)
		c->anext->aprev = c->aprev;
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
		if (c->rprev != NULL)
			c->rprev->rnext = c->rnext;
		else
			sb->head = c->rnext;
		if (c->rnext != NULL)
			c->rnext->rprev = c->rprev;
		sb->n--;
	}
}

/* Reads the request path and query of the upgrade. */
static enum wspath_result
request_path(struct lws *wsi, struct wspath *wp)
{
	char path[256], query[512], frag[256];
	size_t qlen = 0;
	int i, n;

	memset(wp, 0, sizeof(*wp));
	if (lws_hdr_copy(wsi, path, sizeof(path), WSI_TOKEN_GET_URI) <= 0)
		return WSPATH_NOT_FOUND;
	query[0] = '\0';
	for (i = 0; i < 16; i++) {
		n = lws_hdr_copy_fragment(wsi, frag, sizeof(frag),
		    WSI_TOKEN_HTTP_URI_ARGS, i);
		if (n < 0)
			break;
		if (qlen + (size_t)n + 2 >= sizeof(query))
			break;
		if (qlen > 0)
			query[qlen++] = '&';
		memcpy(query + qlen, frag, (size_t)n);
		qlen += (size_t)n;
		query[qlen] = '\0';
	}
	return wspath_parse(path, query, wp);
}

/*
 * Refuses an upgrade with a JSON body. Written raw: lws' own status
 * helpers answer HTTP/1.0 at this stage, which some clients reject.
 */
static int
refuse(struct lws *wsi, unsigned status, const char *reason, const char *msg)
{
	unsigned char buf[LWS_PRE + 512];
	char body[160];
	int n, b;

	b = snprintf(body, sizeof(body), "{\"error\":\"%s\",\"status\":%u}\n",
	    msg, status);
	n = snprintf((char *)buf + LWS_PRE, sizeof(buf) - LWS_PRE,
	    "HTTP/1.1 %u %s\r\ncontent-type: application/json\r\n"
	    "content-length: %d\r\ncache-control: no-store\r\n"
	    "connection: close\r\n\r\n%s", status, reason, b, body);
	if (n < 0 || (size_t)n >= sizeof(buf) - LWS_PRE)
		return -1;
	if (lws_write(wsi, buf + LWS_PRE, (size_t)n, LWS_WRITE_HTTP) < 0)
		return -1;
	return 1;
}

static int
confirm_upgrade(struct server *s, struct lws *wsi)
{
	struct metrics *mt = s->cfg.metrics;
	struct wspath wp;
	struct ipent *e;
	char ip[64];

	peer_ip(wsi, ip, sizeof(ip));
	if (request_path(wsi, &wp) == WSPATH_NOT_FOUND) {
		mt->rejected[REJECT_NOT_FOUND]++;
		return refuse(wsi, 404, "Not Found", "not found");
	}
	if (s->stopping || s->nclients >= s->cfg.max_conns) {
		mt->rejected[REJECT_LIMIT]++;
		log_debug("connection refused", "reason=limit ip=%s", ip);
		return refuse(wsi, 503, "Service Unavailable",
		    s->stopping ? "shutting down" : "too many connections");
	}
	if ((e = ip_find(s, ip)) != NULL && e->n >= s->cfg.max_per_ip) {
		mt->rejected[REJECT_PER_IP]++;
		log_debug("connection refused", "reason=per_ip ip=%s", ip);
		return refuse(wsi, 429, "Too Many Requests",
		    "too many connections from this address");
	}
	return 0;
}

/* Small frames must not wait for Nagle and the peer's delayed ACK. */
static void
tune_socket(struct server *s, struct lws *wsi)
{
	int fd = (int)lws_get_socket_fd(wsi), v = s->cfg.sndbuf, one = 1;

	if (fd < 0)
		return;
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (v > 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v));
}

static void
established(struct server *s, struct lws *wsi, struct client *c)
{
	struct metrics *mt = s->cfg.metrics;
	struct wspath wp;
	struct msg *m;
	char ip[64];
	int n, i;

	memset(c, 0, sizeof(*c));
	c->wsi = wsi;
	clientq_init(&c->q);
	c->live = 1;
	c->last_pong_ms = (int64_t)uv_now(s->loop);
	peer_ip(wsi, ip, sizeof(ip));
	c->ip = ip_take(s, ip);
	mt->conns_total++;
	mt->conns_open++;
	tune_socket(s, wsi);
	if (request_path(wsi, &wp) != WSPATH_OK ||
	    (c->room = rooms_find(s->cfg.rooms, wp.game_id)) == NULL) {
		mt->rejected[REJECT_UNKNOWN_GAME]++;
		client_link(s, c);
		m = rooms_unknown_game_msg(LWS_PRE, wp.game_id,
		    time_now_us() / 1000);
		if (m != NULL) {
			clientq_push(&c->q, m, 0, NULL);
			msg_unref(m);
		}
		c->close_code = CLOSE_UNKNOWN;
		want_write(c);
		return;
	}
	client_link(s, c);
	c->need_snapshot = 1;
	if (wp.has_since && (n = room_since(c->room, wp.since_epoch,
	    wp.since_seq, s->since_buf, s->cfg.history)) >= 0) {
		c->need_snapshot = 0;
		mt->resumes++;
		for (i = 0; i < n; i++)
			push(s, c, s->since_buf[i]);
	}
	/*
	 * A new socket has room: the snapshot goes out now, not a loop turn
	 * later after a writable event (two epoll_ctl calls saved too).
	 */
	if (c->need_snapshot && !lws_partial_buffered(wsi) &&
	    (m = room_snapshot(c->room, 0)) != NULL &&
	    send_direct(s, c, &m, 1, s->cfg.client_queue) == 1) {
		c->need_snapshot = 0;
		if (c->q.head == NULL)
			return;
	}
	want_write(c);
}

static void
closed(struct server *s, struct client *c)
{
	if (!c->live)
		return;
	c->live = 0;
	clientq_clear(&c->q, &s->budget);
	msg_unref(c->cur);
	c->cur = NULL;
	s->cfg.metrics->queued_bytes = s->budget.used;
	client_unlink(s, c);
	ip_release(s, c->ip);
	c->ip = NULL;
	s->cfg.metrics->conns_open--;
	if (s->stopping && s->nclients == 0 && s->done != NULL &&
	    s->ctx != NULL)
		uv_timer_start(&s->grace, on_grace, 0, 0);
}

static void
count_sent(struct server *s, const struct msg *m)
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
	memcpy(s->scratch + LWS_PRE, msg_payload(m) + c->cur_off, n);
	if (lws_write(c->wsi, s->scratch + LWS_PRE, n,
	    (enum lws_write_protocol)flags) < 0)
		return -1;
	c->cur_off += n;
	if (c->cur_off == m->len) {
		count_sent(s, m);
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
	if (m->len > CHUNK && !lws_partial_buffered(c->wsi) &&
	    send_direct(s, c, &m, 1, s->cfg.client_queue) == 1)
		return 0;
	if (m->len > CHUNK) {
		c->cur = msg_ref(m);
		c->cur_off = 0;
		return write_chunk(s, c);
	}
	if (lws_write(c->wsi, msg_payload(m), m->len, LWS_WRITE_TEXT) < 0)
		return -1;
	count_sent(s, m);
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

static int
writable(struct server *s, struct client *c)
{
	unsigned char ping[LWS_PRE + 4];
	struct msg *m, *ms[16];
	size_t n;
	int rc = 0;

	if (!c->live)
		return -1;
	if (c->want_ping) {
		c->want_ping = 0;
		c->awaiting_pong = 1;
		c->ping_sent_ms = (int64_t)uv_now(s->loop);
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
	    (n = send_direct(s, c, ms, clientq_peekn(&c->q, ms,
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

static int
receive(struct server *s, struct lws *wsi, struct client *c, size_t len)
{
	if (lws_is_first_fragment(wsi))
		c->rx_len = 0;
	c->rx_len += len;
	c->last_pong_ms = (int64_t)uv_now(s->loop);
	if (c->rx_len > s->cfg.max_client_msg ||
	    (size_t)lws_remaining_packet_payload(wsi) + c->rx_len >
	    s->cfg.max_client_msg) {
		s->cfg.metrics->rejected[REJECT_TOO_BIG]++;
		lws_close_reason(wsi, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE,
		    NULL, 0);
		return -1;
	}
	return 0;
}

/* Plain HTTP: headers now, the body when writable. */
static int
respond(struct lws *wsi, struct pss *p, unsigned status, const char *ctype,
    const char *body, size_t len)
{
	unsigned char hdr[LWS_PRE + 1024], *start = hdr + LWS_PRE;
	unsigned char *q = start, *end = hdr + sizeof(hdr) - 1;

	free(p->body);
	if ((p->body = malloc(LWS_PRE + len + 1)) == NULL)
		return -1;
	memcpy(p->body + LWS_PRE, body, len);
	p->body_len = len;
	if (lws_add_http_common_headers(wsi, status, ctype, (lws_filepos_t)len,
	    &q, end) ||
	    lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_CACHE_CONTROL,
	    (const unsigned char *)"no-store", 8, &q, end) ||
	    lws_finalize_write_http_header(wsi, start, &q, end))
		return -1;
	lws_callback_on_writable(wsi);
	return 0;
}

static int
respond_json(struct lws *wsi, struct pss *p, unsigned status,
    const char *msg)
{
	struct buf b;
	int rc;

	buf_init(&b, 4096);
	buf_adds(&b, "{\"error\":");
	buf_add_jstr(&b, msg);
	buf_addf(&b, ",\"status\":%u}\n", status);
	rc = respond(wsi, p, status, "application/json", b.p, b.len);
	buf_fini(&b);
	return rc;
}

static const char *
mime_of(const char *path)
{
	const char *dot = strrchr(path, '.');

	if (dot == NULL)
		return "application/octet-stream";
	if (strcmp(dot, ".html") == 0)
		return "text/html; charset=utf-8";
	if (strcmp(dot, ".js") == 0)
		return "text/javascript";
	if (strcmp(dot, ".css") == 0)
		return "text/css";
	if (strcmp(dot, ".json") == 0)
		return "application/json";
	if (strcmp(dot, ".svg") == 0)
		return "image/svg+xml";
	if (strcmp(dot, ".png") == 0)
		return "image/png";
	if (strcmp(dot, ".ico") == 0)
		return "image/x-icon";
	if (strcmp(dot, ".txt") == 0)
		return "text/plain; charset=utf-8";
	return "application/octet-stream";
}

static int
serve_static(struct server *s, struct lws *wsi, struct pss *p,
    const char *uri)
{
	char path[1024];
	struct stat st;
	int n;

	if (uri[0] != '/' || strstr(uri, "..") != NULL ||
	    strchr(uri, '\\') != NULL)
		return respond_json(wsi, p, 404, "not found");
	if (s->cfg.www == NULL) {
		if (strcmp(uri, "/") == 0 || strcmp(uri, "/index.html") == 0)
			return respond(wsi, p, 200, "text/html; charset=utf-8",
			    placeholder_html, sizeof(placeholder_html) - 1);
		return respond_json(wsi, p, 404, "not found");
	}
	n = snprintf(path, sizeof(path), "%s%s%s", s->cfg.www, uri,
	    uri[strlen(uri) - 1] == '/' ? "index.html" : "");
	if (n < 0 || (size_t)n >= sizeof(path) || stat(path, &st) == -1 ||
	    !S_ISREG(st.st_mode)) {
		if (strcmp(uri, "/") == 0)
			return respond(wsi, p, 200, "text/html; charset=utf-8",
			    placeholder_html, sizeof(placeholder_html) - 1);
		return respond_json(wsi, p, 404, "not found");
	}
	n = lws_serve_http_file(wsi, path, mime_of(path), NULL, 0);
	if (n < 0 || (n > 0 && lws_http_transaction_completed(wsi)))
		return -1;
	return 0;
}

static int
http_request(struct server *s, struct lws *wsi, struct pss *p,
    const char *uri)
{
	struct metrics *mt = s->cfg.metrics;
	struct room *r;
	struct subs *sb;
	struct buf b;
	int rc, first = 1;

	mt->http_requests++;
	if (lws_hdr_total_length(wsi, WSI_TOKEN_GET_URI) <= 0)
		return respond_json(wsi, p, 405, "method not allowed");
	if (strcmp(uri, "/healthz") == 0) {
		buf_init(&b, 4096);
		buf_addf(&b, "{\"status\":\"%s\",\"connections\":%lu",
		    s->stopping ? "stopping" : "ok", s->nclients);
		metrics_health_broker(s->cfg.metrics, &b);
		buf_adds(&b, "}\n");
		rc = respond(wsi, p, s->stopping ? 503 : 200,
		    "application/json", b.p, b.len);
		buf_fini(&b);
		return rc;
	}
	if (strcmp(uri, "/api/games") == 0) {
		/* The games in the stream, for the viewer page's list. */
		buf_init(&b, 0);
		buf_adds(&b, "{\"games\":[");
		for (r = rooms_first(s->cfg.rooms); r != NULL; r = room_next(r)) {
			const char *g = room_game_json(r);

			if (!first)
				buf_adds(&b, ",");
			if (g != NULL)
				buf_adds(&b, g);
			else
				buf_addf(&b, "{\"game_id\":\"%s\"}", room_id(r));
			first = 0;
		}
		buf_adds(&b, "]}\n");
		rc = b.failed ? -1 : respond(wsi, p, 200, "application/json",
		    b.p, b.len);
		buf_fini(&b);
		return rc;
	}
	if (strcmp(uri, "/metrics") == 0) {
		buf_init(&b, 0);
		mt->heap_bytes = heap_in_use();
		metrics_render(mt, &b);
		for (r = rooms_first(s->cfg.rooms); r != NULL; r = room_next(r)) {
			sb = room_user(r);
			metrics_render_game(&b, room_id(r), sb ? sb->n : 0,
			    first);
			first = 0;
		}
		rc = b.failed ? -1 : respond(wsi, p, 200,
		    "text/plain; version=0.0.4", b.p, b.len);
		buf_fini(&b);
		return rc;
	}
	if (strncmp(uri, "/ws/", 4) == 0)
		return respond_json(wsi, p, 400, "WebSocket upgrade required");
	return serve_static(s, wsi, p, uri);
}

static int
callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	struct lws_context *ctx = lws_get_context(wsi);
	struct server *s = ctx ? lws_context_user(ctx) : NULL;
	struct pss *p = user;
	int n;

	if (s == NULL)
		return 0;
	switch (reason) {
	case LWS_CALLBACK_HTTP_CONFIRM_UPGRADE:
		return confirm_upgrade(s, wsi);
	case LWS_CALLBACK_ESTABLISHED:
		established(s, wsi, &p->c);
		return 0;
	case LWS_CALLBACK_SERVER_WRITEABLE:
		return writable(s, &p->c);
	case LWS_CALLBACK_RECEIVE:
		return receive(s, wsi, &p->c, len);
	case LWS_CALLBACK_RECEIVE_PONG:
		log_debug("pong", "game=%s", p->c.room ? room_id(p->c.room) : "-");
		p->c.awaiting_pong = 0;
		p->c.last_pong_ms = (int64_t)uv_now(s->loop);
		return 0;
	case LWS_CALLBACK_CLOSED:
		closed(s, &p->c);
		return 0;
	case LWS_CALLBACK_HTTP:
		if (http_request(s, wsi, p, (const char *)in) == -1)
			return -1;
		return 0;
	case LWS_CALLBACK_HTTP_WRITEABLE:
		if (p->body == NULL)
			return 0;
		n = lws_write(wsi, p->body + LWS_PRE, p->body_len,
		    LWS_WRITE_HTTP_FINAL);
		free(p->body);
		p->body = NULL;
		if (n < 0 || lws_http_transaction_completed(wsi))
			return -1;
		return 0;
	case LWS_CALLBACK_HTTP_FILE_COMPLETION:
		if (lws_http_transaction_completed(wsi))
			return -1;
		return 0;
	case LWS_CALLBACK_CLOSED_HTTP:
	case LWS_CALLBACK_HTTP_DROP_PROTOCOL:
		if (p != NULL) {
			free(p->body);
			p->body = NULL;
		}
		return 0;
	default:
		break;
	}
	return 0;
}

/*
 * The receive buffer is allocated for every WebSocket connection and
 * clients send nothing but control frames (at most 125 bytes of payload);
 * longer messages are only counted (receive()), so it is kept small: it
 * is most of an idle connection's memory otherwise. The send size is set
 * apart (0 would tie it to the receive buffer: a snapshot would go out
 * 128 bytes per write). Larger sends than 1 KiB made a stalled client
 * cost up to a whole snapshot more (measured: 3.5 MiB instead of 160 KiB).
 */
#define RX_BUFFER	128
#define TX_PACKET	1024

static const struct lws_protocols protocols[] = {
	{ "courtside-live", callback, sizeof(struct pss), RX_BUFFER, 0, NULL,
	  TX_PACKET },
	{ NULL, NULL, 0, 0, 0, NULL, 0 },
};

static void
lws_emit(int level, const char *line)
{
	char buf[512];
	size_t n;

	snprintf(buf, sizeof(buf), "%s", line);
	n = strlen(buf);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	log_msg(level == LLL_ERR ? LOG_LVL_ERROR : level == LLL_WARN ?
	    LOG_LVL_WARN : LOG_LVL_DEBUG, "libwebsockets", "detail=%s",
	    log_str(buf));
}

/* Pings, pong deadlines and idle clients, twice a second. */
static void
on_sweep(uv_timer_t *t)
{
	struct server *s = t->data;
	int64_t now = (int64_t)uv_now(s->loop);
	struct client *c;

	if (s->trim_due) {
		s->trim_due = 0;
		heap_trim();
	}
	for (c = s->all; c != NULL; c = c->anext) {
		if (c->close_code)
			continue;
		if (c->awaiting_pong &&
		    now - c->ping_sent_ms > s->cfg.pong_timeout_ms) {
			s->cfg.metrics->rejected[REJECT_PONG]++;
			c->awaiting_pong = 0;
			lws_set_timeout(c->wsi, PENDING_TIMEOUT_WS_PONG_CHECK_GET_PONG,
			    LWS_TO_KILL_ASYNC);
			continue;
		}
		if (now - c->last_pong_ms > s->cfg.idle_timeout_ms) {
			s->cfg.metrics->rejected[REJECT_IDLE]++;
			lws_set_timeout(c->wsi, PENDING_TIMEOUT_WS_PONG_CHECK_GET_PONG,
			    LWS_TO_KILL_ASYNC);
			c->close_code = LWS_CLOSE_STATUS_GOINGAWAY;
			continue;
		}
		if (!c->awaiting_pong && !c->want_ping &&
		    now - c->last_pong_ms >= s->cfg.ping_ms &&
		    now - c->ping_sent_ms >= s->cfg.ping_ms) {
			c->want_ping = 1;
			want_write(c);
		}
	}
}

struct server *
server_new(uv_loop_t *loop, const struct server_cfg *cfg, struct errbuf *err)
{
	struct lws_context_creation_info info;
	struct server *s;
	void *loops[1];
	int lvl = LLL_ERR | LLL_WARN;

	if ((s = calloc(1, sizeof(*s))) == NULL) {
		errbuf_set(err, "out of memory");
		return NULL;
	}
	s->loop = loop;
	s->cfg = *cfg;
	s->budget.max = cfg->queue_budget;
	if ((s->since_buf = calloc(cfg->history ? cfg->history : 1,
	    sizeof(*s->since_buf))) == NULL ||
	    (s->scratch = malloc(LWS_PRE + CHUNK)) == NULL) {
		free(s->since_buf);
		free(s);
		errbuf_set(err, "out of memory");
		return NULL;
	}
	if (cfg->lws_verbose)
		lvl |= LLL_NOTICE;
	lws_set_log_level(lvl, lws_emit);

	/* lws goes on without its listener when the bind fails: try first. */
	if (listen_probe(cfg->iface, cfg->port, err) == -1) {
		free(s->scratch);
		free(s->since_buf);
		free(s);
		return NULL;
	}
	memset(&info, 0, sizeof(info));
	loops[0] = loop;
	info.foreign_loops = loops;
	info.options = LWS_SERVER_OPTION_LIBUV |
	    LWS_SERVER_OPTION_UV_NO_SIGSEGV_SIGFPE_SPIN |
	    LWS_SERVER_OPTION_VALIDATE_UTF8;
	info.port = cfg->port;
	info.iface = cfg->iface;
	info.protocols = protocols;
	info.user = s;
	info.max_http_header_pool = 128;
	info.timeout_secs = 10;
	info.vhost_name = "courtside";
	if ((s->ctx = lws_create_context(&info)) == NULL) {
		free(s->scratch);
		free(s->since_buf);
		free(s);
		errbuf_set(err, "listen %s:%d: cannot create the server",
		    cfg->iface ? cfg->iface : "*", cfg->port);
		return NULL;
	}
	uv_timer_init(loop, &s->sweep);
	s->sweep.data = s;
	uv_timer_start(&s->sweep, on_sweep, 500, 500);
	uv_unref((uv_handle_t *)&s->sweep);
	uv_timer_init(loop, &s->grace);
	s->grace.data = s;
	uv_idle_init(loop, &s->fanout);
	s->fanout.data = s;
	return s;
}

static void
on_grace(uv_timer_t *t)
{
	struct server *s = t->data;
	void (*done)(void *) = s->done;

	s->done = NULL;
	uv_timer_stop(&s->grace);
	if (done != NULL)
		done(s->done_arg);
}

void
server_shutdown(struct server *s, int64_t grace_ms, void (*done)(void *),
    void *arg)
{
	struct client *c;
	struct subs *sb;

	s->stopping = 1;
	s->done = done;
	s->done_arg = arg;
	uv_timer_stop(&s->sweep);
	/* Nothing more goes out but the close frames. */
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
	for (c = s->all; c != NULL; c = c->anext) {
		clientq_clear(&c->q, &s->budget);
		c->need_snapshot = 0;
		c->q.resync = 0;
		c->want_ping = 0;
		c->close_code = LWS_CLOSE_STATUS_GOINGAWAY;
		want_write(c);
	}
	uv_timer_start(&s->grace, on_grace, s->nclients ? (uint64_t)grace_ms :
	    0, 0);
}

static void
timer_closed(uv_handle_t *h)
{
	struct server *s = h->data;

	if (--s->timers_open == 0)
		free(s);
}

void
server_free(struct server *s)
{
	struct room *r;
	unsigned i;
	struct ipent *e, *next;

	if (s == NULL)
		return;
	lws_context_destroy(s->ctx);
	s->ctx = NULL;
	for (r = rooms_first(s->cfg.rooms); r != NULL; r = room_next(r)) {
		struct subs *sb = room_user(r);

		if (sb != NULL)
			msg_unref(sb->fo_msg);
		free(sb);
		room_set_user(r, NULL);
	}
	for (i = 0; i < IP_BUCKETS; i++)
		for (e = s->ipt[i]; e != NULL; e = next) {
			next = e->next;
			free(e);
		}
	free(s->since_buf);
	free(s->scratch);
	s->timers_open = 3;
	uv_close((uv_handle_t *)&s->sweep, timer_closed);
	uv_close((uv_handle_t *)&s->grace, timer_closed);
	uv_close((uv_handle_t *)&s->fanout, timer_closed);
}

unsigned long
server_clients(const struct server *s)
{
	return s->nclients;
}
