/*
 * server: libwebsockets (libuv foreign loop) glue for ws-fanout: the
 * context, the protocol callback, upgrades and their limits, pings and
 * shutdown. What goes out is wswrite.c's, to whom fanout.c's, plain HTTP
 * http.c's. No protocol encoding here.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <libwebsockets.h>

#include "conn.h"
#include "deflate.h"
#include "heap.h"
#include "link.h"
#include "log.h"
#include "lwslog.h"
#include "lwstls.h"
#include "pmd.h"
#include "rxguard.h"
#include "wscheck.h"
#include "wspath.h"
#include "timeutil.h"

#if defined(__SANITIZE_ADDRESS__)
#define FANOUT_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FANOUT_LSAN 1
#endif
#endif
#ifdef FANOUT_LSAN
#include <sanitizer/lsan_interface.h>
#endif

#define CLOSE_UNKNOWN	4404

static void	on_grace(uv_timer_t *);
static void	timer_closed(uv_handle_t *);

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
 * The upgrade: strict headers first (426, 400), then the path (404),
 * then the limits, by client address (503, 429). An h2c offer is turned
 * down by blanking the protocol name lws passes (its own buffer), so
 * that lws serves the request as plain HTTP/1.1 instead of upgrading.
 */
static int
confirm_upgrade(struct server *s, struct lws *wsi, char *proto)
{
	struct metrics *mt = s->cfg.metrics;
	struct wspath wp;
	char ip[PROXYADDR_STRLEN];
	int rc;

	if (proto == NULL || strcasecmp(proto, "websocket") != 0) {
		if (proto != NULL)
			proto[0] = '\0';
		return 0;
	}
	if ((rc = edge_check_upgrade(s, wsi)) != 0)
		return rc;
	edge_client_addr(s, wsi, 1, ip, sizeof(ip));
	if (request_path(wsi, &wp) == WSPATH_NOT_FOUND) {
		mt->rejected[REJECT_NOT_FOUND]++;
		return edge_refuse(wsi, 404, "Not Found", NULL, "not found");
	}
	if (s->stopping || s->nclients >= s->cfg.max_conns) {
		mt->rejected[REJECT_LIMIT]++;
		log_debug("connection refused", "kind=limit ip=%s", ip);
		return edge_refuse(wsi, 503, "Service Unavailable", NULL,
		    s->stopping ? "shutting down" : "too many connections");
	}
	if (iplimit_count(s->ips, ip) >= s->cfg.max_per_ip) {
		mt->rejected[REJECT_PER_IP]++;
		log_debug("connection refused", "kind=per_ip ip=%s", ip);
		return edge_refuse(wsi, 429, "Too Many Requests", NULL,
		    "too many connections from this address");
	}
	return 0;
}

/*
 * Whether the upgrade's Sec-WebSocket-Extensions has a permessage-deflate
 * offer we take (pmd.c). Asked twice, for the 101's header and at
 * ESTABLISHED, with the same answer: nothing is kept in between.
 */
static int
wants_deflate(struct server *s, struct lws *wsi)
{
	char v[PMD_MAX_HEADER + 1];
	int n;

	if (s->deflater == NULL ||
	    lws_hdr_total_length(wsi, WSI_TOKEN_EXTENSIONS) > PMD_MAX_HEADER ||
	    (n = lws_hdr_copy(wsi, v, sizeof(v), WSI_TOKEN_EXTENSIONS)) <= 0)
		return 0;
	return pmd_accept(v, (size_t)n);
}

/*
 * The 101's extension answer, added through lws' header hook: lws'
 * own permessage-deflate keeps zlib streams per connection and
 * compresses every write again, for every client.
 */
static int
add_headers(struct server *s, struct lws *wsi,
    struct lws_process_html_args *a)
{
	unsigned char *p, *end;

	if (a == NULL || !wants_deflate(s, wsi))
		return 0;
	p = (unsigned char *)a->p;
	end = p + a->max_len;
	if (lws_add_http_header_by_token(wsi, WSI_TOKEN_EXTENSIONS,
	    (const unsigned char *)PMD_ANSWER, (int)strlen(PMD_ANSWER), &p,
	    end))
		return -1;
	a->max_len -= (int)(p - (unsigned char *)a->p);
	a->p = (char *)p;
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
	char ip[PROXYADDR_STRLEN];
	int n, i;

	memset(c, 0, sizeof(*c));
	c->wsi = wsi;
	c->fd = (int)lws_get_socket_fd(wsi);
	rxguard_watch(c->fd, &c->rx, c);
	clientq_init(&c->q);
	c->live = 1;
	c->last_pong_ms = (int64_t)uv_now(s->loop);
	if ((c->pmd = (unsigned)wants_deflate(s, wsi)) != 0)
		mt->conns_deflate++;
	edge_client_addr(s, wsi, 0, ip, sizeof(ip));
	c->ip = iplimit_take(s->ips, ip);
	mt->conns_total++;
	mt->conns_open++;
	tune_socket(s, wsi);
	if (request_path(wsi, &wp) != WSPATH_OK ||
	    (c->room = rooms_find(s->cfg.rooms, wp.game_id)) == NULL) {
		mt->rejected[REJECT_UNKNOWN_GAME]++;
		fanout_link(s, c);
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
	fanout_link(s, c);
	c->need_snapshot = 1;
	if (wp.has_since && (n = room_since(c->room, wp.since_epoch,
	    wp.since_seq, s->since_buf, s->cfg.history)) >= 0) {
		c->need_snapshot = 0;
		mt->resumes++;
		for (i = 0; i < n; i++)
			fanout_push(s, c, s->since_buf[i]);
	}
	/*
	 * A new socket has room: the snapshot goes out now, not a loop turn
	 * later after a writable event (two epoll_ctl calls saved too).
	 */
	if (c->need_snapshot && !lws_partial_buffered(wsi) &&
	    (m = room_snapshot(c->room, 0)) != NULL &&
	    wswrite_direct(s, c, &m, 1, s->cfg.client_queue) == 1) {
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
	rxguard_forget(c->fd);
	pong_done(s, c);
	clientq_clear(&c->q, &s->budget);
	msg_unref(c->cur);
	c->cur = NULL;
	s->cfg.metrics->queued_bytes = s->budget.used;
	fanout_unlink(s, c);
	iplimit_release(s->ips, c->ip);
	c->ip = NULL;
	s->cfg.metrics->conns_open--;
	if (s->stopping && s->nclients == 0 && s->done != NULL &&
	    s->ctx != NULL)
		uv_timer_start(&s->grace, on_grace, 0, 0);
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

/*
 * An unmasked frame from the client (rxguard; RFC 6455 §5.1): nothing
 * more goes out to it but a close with 1002, at once.
 */
static void
on_unmasked(void *owner)
{
	struct client *c = owner;
	struct server *s;

	if (!c->live)
		return;
	s = lws_context_user(lws_get_context(c->wsi));
	s->edge.unmasked_frames++;
	clientq_clear(&c->q, &s->budget);
	s->cfg.metrics->queued_bytes = s->budget.used;
	msg_unref(c->cur);
	c->cur = NULL;
	c->need_snapshot = c->q.resync = c->want_ping = 0;
	c->close_code = LWS_CLOSE_STATUS_PROTOCOL_ERR;
	want_write(c);
}

/*
 * A close frame from the client: lws echoes its payload as our answer,
 * so a code that is not valid on the wire (RFC 6455 §7.4: 5000, 1005,
 * 999...) is rewritten to 1002 in lws' buffer before it goes back.
 */
static void
peer_close(struct server *s, void *in, size_t len)
{
	unsigned char *b = in;
	unsigned code;

	if (b == NULL || len < 2)
		return;
	code = (unsigned)b[0] << 8 | b[1];
	if (wscheck_close_code(code))
		return;
	s->edge.bad_close_codes++;
	b[0] = LWS_CLOSE_STATUS_PROTOCOL_ERR >> 8;
	b[1] = LWS_CLOSE_STATUS_PROTOCOL_ERR & 0xff;
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
		return confirm_upgrade(s, wsi, in);
	case LWS_CALLBACK_ADD_HEADERS:
		return add_headers(s, wsi, in);
	case LWS_CALLBACK_ESTABLISHED:
		established(s, wsi, &p->c);
		edge_done(s, wsi);
		return 0;
	case LWS_CALLBACK_WSI_DESTROY:
		edge_done(s, wsi);
		return 0;
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
		peer_close(s, in, len);
		return 0;
	case LWS_CALLBACK_SERVER_WRITEABLE:
		return wswrite_writable(s, &p->c);
	case LWS_CALLBACK_RECEIVE:
		return receive(s, wsi, &p->c, len);
	case LWS_CALLBACK_RECEIVE_PONG:
		log_debug("pong", "game=%s", p->c.room ? room_id(p->c.room) : "-");
		pong_done(s, &p->c);
		p->c.last_pong_ms = (int64_t)uv_now(s->loop);
		return 0;
	case LWS_CALLBACK_CLOSED:
		closed(s, &p->c);
		return 0;
	case LWS_CALLBACK_HTTP:
		edge_touch(s, wsi);
		if (edge_check_request(s, wsi) == -1 ||
		    http_serve(s, wsi, p, (const char *)in) == -1)
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
		edge_touch(s, wsi);	/* kept alive: the next request's turn */
		return 0;
	case LWS_CALLBACK_HTTP_FILE_COMPLETION:
		if (lws_http_transaction_completed(wsi))
			return -1;
		edge_touch(s, wsi);
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

static void	on_pong_deadline(uv_timer_t *);

static void
pong_arm(struct server *s)
{
	int64_t wait;

	if (s->pong_head == NULL) {
		uv_timer_stop(&s->pong);
		return;
	}
	wait = s->pong_head->ping_sent_ms + s->cfg.pong_timeout_ms -
	    (int64_t)uv_now(s->loop);
	uv_timer_start(&s->pong, on_pong_deadline, wait > 0 ? (uint64_t)wait :
	    0, 0);
}

/*
 * Every pong deadline is its ping's time plus the same timeout, so the
 * clients awaiting one are kept in the order their pings went out and
 * one timer serves them all, on time whatever the sweep's period.
 */
void
pong_wait(struct server *s, struct client *c)
{
	if (c->awaiting_pong)
		pong_done(s, c);
	c->awaiting_pong = 1;
	DLINK_APPEND(s->pong_head, s->pong_tail, c, pprev, pnext);
	if (s->pong_head == c)
		pong_arm(s);
}

void
pong_done(struct server *s, struct client *c)
{
	if (!c->awaiting_pong)
		return;
	c->awaiting_pong = 0;
	DLINK_UNLINK(s->pong_head, s->pong_tail, c, pprev, pnext);
	c->pnext = c->pprev = NULL;
}

/*
 * No pong in time: closed now, from this timer (outside lws'
 * callbacks, so synchronously; lws' own asynchronous kill took 27 s
 * here with the default intervals).
 */
static void
on_pong_deadline(uv_timer_t *t)
{
	struct server *s = t->data;
	int64_t now = (int64_t)uv_now(s->loop);
	struct client *c;

	while ((c = s->pong_head) != NULL &&
	    c->ping_sent_ms + s->cfg.pong_timeout_ms <= now) {
		pong_done(s, c);
		s->cfg.metrics->rejected[REJECT_PONG]++;
		log_debug("no pong", "game=%s", c->room ? room_id(c->room) :
		    "-");
		lws_set_timeout(c->wsi, PENDING_TIMEOUT_WS_PONG_CHECK_GET_PONG,
		    LWS_TO_KILL_SYNC);
	}
	pong_arm(s);
}

/* Pings and idle clients, twice a second; pong deadlines have a timer. */
static void
on_sweep(uv_timer_t *t)
{
	struct server *s = t->data;
	int64_t now = (int64_t)uv_now(s->loop);
	struct client *c;

	lwslog_flush();
	if (s->trim_due) {
		s->trim_due = 0;
		heap_trim();
	}
	for (c = s->all; c != NULL; c = c->anext) {
		if (c->close_code)
			continue;
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
	struct rlimit rl;
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
	    (s->scratch = malloc(LWS_PRE + CHUNK)) == NULL ||
	    (s->ips = iplimit_new(256)) == NULL) {
		iplimit_free(s->ips);
		free(s->scratch);
		free(s->since_buf);
		free(s);
		errbuf_set(err, "out of memory");
		return NULL;
	}
	if (!cfg->deflate_off && (s->deflater = deflater_new(6, err)) == NULL) {
		iplimit_free(s->ips);
		free(s->scratch);
		free(s->since_buf);
		free(s);
		return NULL;
	}
	if (s->deflater != NULL)
		cfg->metrics->deflate_mem = deflater_mem(s->deflater);
	if (cfg->lws_verbose)
		lvl |= LLL_NOTICE;
	lwslog_init(lvl);

	/* Bound before lws: a taken port fails here, with nothing to undo. */
	if (edge_start(s, err) == -1) {
		deflater_free(s->deflater);
		iplimit_free(s->ips);
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
	/* Our acceptor listens; lws serves the sockets it hands over. */
	info.port = CONTEXT_PORT_NO_LISTEN_SERVER;
	info.protocols = protocols;
	info.user = s;
	/* One header buffer per connection the caps let in: none waits. */
	info.max_http_header_pool = (unsigned short)(cfg->max_pending > 65535 ?
	    65535 : cfg->max_pending);
	info.timeout_secs = 10;
	/*
	 * Our deadline (edge.c) closes a kept-alive connection idle past
	 * --request-timeout and counts it; lws' own keep-alive timer, 5 s
	 * by default like ours, raced it and closed some uncounted.
	 */
	info.keepalive_timeout = (int)(cfg->request_timeout_ms / 1000) + 2;
	info.vhost_name = "courtside";
	lwstls_server(&info, cfg->tls_cert, cfg->tls_key);
	if ((s->ctx = lws_create_context(&info)) == NULL ||
	    (s->vhost = lws_get_vhost_by_name(s->ctx, "courtside")) == NULL) {
		if (s->ctx != NULL)
			lws_context_destroy(s->ctx);
		deflater_free(s->deflater);
		iplimit_free(s->ips);
		free(s->scratch);
		free(s->since_buf);
		/* s goes with the deadline timer's close. */
		s->timers_open = 1;
		edge_free(s, timer_closed);
		if (cfg->tls_cert != NULL)
			errbuf_set(err, "tls: cannot use the certificate %s "
			    "and key %s", cfg->tls_cert, cfg->tls_key);
		else
			errbuf_set(err, "cannot create the server");
		return NULL;
	}
	uv_timer_init(loop, &s->sweep);
	s->sweep.data = s;
	uv_timer_start(&s->sweep, on_sweep, 500, 500);
	uv_unref((uv_handle_t *)&s->sweep);
	uv_timer_init(loop, &s->grace);
	s->grace.data = s;
	uv_timer_init(loop, &s->pong);
	s->pong.data = s;
	uv_idle_init(loop, &s->fanout);
	s->fanout.data = s;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur > (1u << 20))
		rl.rlim_cur = 1u << 20;
	if (rxguard_init(loop, (int)rl.rlim_cur, on_unmasked) == -1) {
		server_free(s);
		errbuf_set(err, "out of memory");
		return NULL;
	}
	fanout_attach(s);
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
	s->stopping = 1;
	edge_stop(s);
	uv_timer_stop(&s->pong);
	s->done = done;
	s->done_arg = arg;
	uv_timer_stop(&s->sweep);
	/* Nothing more goes out but the close frames. */
	fanout_cancel(s);
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

	if (s == NULL)
		return;
#ifdef FANOUT_LSAN
	/*
	 * lws 4.1 on a foreign loop leaves its context's allocations behind
	 * once our acceptor, not lws, owns the listener (8 objects, ~24 B
	 * per open-file slot, once, at exit): a library teardown we cannot
	 * finish from here (a second lws_context_destroy crashes), so
	 * LeakSanitizer is told, and reports ours.
	 */
	__lsan_ignore_object(s->ctx);
#endif
	lws_context_destroy(s->ctx);
	s->ctx = NULL;
	rxguard_fini();
	edge_free(s, timer_closed);
	rooms_set_sink(s->cfg.rooms, NULL);
	for (r = rooms_first(s->cfg.rooms); r != NULL; r = room_next(r)) {
		struct subs *sb = room_user(r);

		if (sb != NULL)
			msg_unref(sb->fo_msg);
		free(sb);
		room_set_user(r, NULL);
	}
	iplimit_free(s->ips);
	s->ips = NULL;
	deflater_free(s->deflater);
	s->deflater = NULL;
	free(s->since_buf);
	free(s->scratch);
	s->timers_open = 5;
	uv_close((uv_handle_t *)&s->pong, timer_closed);
	uv_close((uv_handle_t *)&s->sweep, timer_closed);
	uv_close((uv_handle_t *)&s->grace, timer_closed);
	uv_close((uv_handle_t *)&s->fanout, timer_closed);
}

unsigned long
server_clients(const struct server *s)
{
	return s->nclients;
}

unsigned
server_pending(const struct server *s)
{
	return edge_pending(s);
}
