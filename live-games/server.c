/*
 * server: libwebsockets HTTP on a foreign libuv loop. Each request gets
 * per-session data (struct pss): its route, the response it is sending
 * and, while its answer is not ready, a place in the parked list. The
 * same encoded body is shared by every request that sends it. Sockets
 * come from our own acceptor (common/accept) and are adopted by lws;
 * each has a struct conn (conn.h) for its deadline and count, and edge.c
 * says what is refused before the application is asked.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <libwebsockets.h>

#include "accept.h"
#include "body.h"
#include "conn.h"
#include "edge.h"
#include "link.h"
#include "log.h"
#include "lwslog.h"
#include "lwstls.h"
#include "server.h"
#include "timeutil.h"
#include "tlsfiles.h"

struct blob {
	unsigned	refs;
	size_t		len;
	char		data[];
};

enum phase {
	PH_IDLE = 0,
	PH_PARKED,	/* waiting for server_wake */
	PH_HEADERS,	/* answer known; it goes out when writable */
};

struct pss {
	struct lws	*wsi;
	struct server	*srv;
	enum phase	 phase;
	enum route	 route;
	int		 head;		/* HEAD: no body */
	int		 close;		/* close after the answer */
	int64_t		 since;		/* when the request came (mono ms) */
	struct resp	 resp;
	struct pss	*next, **prevp;	/* parked list */
};

struct server {
	uv_loop_t		*loop;
	struct lws_context	*ctx;
	struct lws_vhost	*vh;
	struct server_cfg	 cfg;
	char			*cors;
	struct pss		*parked;
	size_t			 nparked;
	struct conns		 conns;
	struct acceptor		*acc;	/* our listener; lws listens on nothing */
	struct edge_stats	 st;	/* the counters the edge shares */
	int64_t			 lwslog_ms;	/* last lwslog_flush */
	int			 stopping;
	void			*loops[1];
	struct lws_protocols	 protocols[2];
};

struct blob *
blob_new(const char *data, size_t len)
{
	struct blob *b;

	if ((b = malloc(sizeof(*b) + len + 1)) == NULL)
		return NULL;
	b->refs = 1;
	b->len = len;
	memcpy(b->data, data, len);
	b->data[len] = '\0';
	return b;
}

struct blob *
blob_take(char *data, size_t len)
{
	struct blob *b;

	if (data == NULL)
		return NULL;
	b = blob_new(data, len);
	free(data);
	return b;
}

struct blob *
blob_ref(struct blob *b)
{
	if (b != NULL)
		b->refs++;
	return b;
}

void
blob_unref(struct blob *b)
{
	if (b != NULL && --b->refs == 0)
		free(b);
}

static void
release(struct pss *p)
{
	if (p->srv == NULL)
		return;
	PLINK_DEL(p->srv->nparked, p, next, prevp);
	blob_unref(p->resp.body);
	p->resp.body = NULL;
	p->phase = PH_IDLE;
}


/*
 * The server's own counters after the application's /metrics text (the
 * application does not see refused connections).
 */
static void
append_metrics(struct server *s, struct resp *r)
{
	char buf[2048];
	struct blob *b;
	size_t old;
	int n;

	s->st.conn_timeouts = s->conns.timeouts;
	s->st.connections = s->conns.n;
	s->st.accept_pauses = s->acc != NULL ? acceptor_fd_pauses(s->acc) : 0;
	s->st.accept_full_waits = s->acc != NULL ?
	    acceptor_full_waits(s->acc) : 0;
	if ((n = edge_metrics(&s->st, buf, sizeof(buf))) < 0 ||
	    r->body == NULL)
		return;
	old = r->body->len;
	if ((b = malloc(sizeof(*b) + old + (size_t)n + 1)) == NULL)
		return;
	b->refs = 1;
	b->len = old + (size_t)n;
	memcpy(b->data, r->body->data, old);
	memcpy(b->data + old, buf, (size_t)n + 1);
	blob_unref(r->body);
	r->body = b;
}

/* Asks the application; moves p to PH_HEADERS or PH_PARKED. */
static void
answer(struct pss *p)
{
	struct server *s = p->srv;

	memset(&p->resp, 0, sizeof(p->resp));
	if (p->route == ROUTE_PREFLIGHT) {
		p->resp.status = 204;
	} else if (s->stopping) {
		/* The application may be gone already. */
		p->resp.status = 503;
		p->close = 1;
	} else if (s->cfg.on_request(s->cfg.arg, p->route,
	    p->phase == PH_PARKED ? (long long)(time_mono_ms() - p->since) :
	    0, &p->resp) == 1) {
		p->phase = PH_PARKED;
		PLINK_ADD(p->srv->parked, p->srv->nparked, p, next, prevp);
		conn_disarm(conn_of(p->wsi));
		return;
	}
	PLINK_DEL(p->srv->nparked, p, next, prevp);
	if (p->route == ROUTE_METRICS && p->resp.status == 200)
		append_metrics(s, &p->resp);
	p->phase = PH_HEADERS;
	/* The answer must be out within the deadline too. */
	conn_arm(conn_of(p->wsi), 0);
	lws_callback_on_writable(p->wsi);
}

static int
add_header(struct lws *wsi, const char *name, const char *value,
    unsigned char **pp, unsigned char *end)
{
	return lws_add_http_header_by_name(wsi, (const unsigned char *)name,
	    (const unsigned char *)value, (int)strlen(value), pp, end);
}

#define HEADER_ROOM	1024	/* our response headers always fit */

/*
 * Writes the status line and headers, and the body in the same write
 * when with_body (one send() for a small answer, as a static file server
 * would do with writev).
 */
static int
write_answer(struct pss *p, int with_body)
{
	struct server *s = p->srv;
	unsigned char stackbuf[LWS_PRE + HEADER_ROOM + 8192], *buf = stackbuf;
	unsigned char *start, *q, *end;
	size_t len = p->resp.body != NULL ? p->resp.body->len : 0;
	size_t cap = sizeof(stackbuf);
	int rc = -1;
	const char *ctype = p->resp.ctype ? p->resp.ctype :
	    "application/json";

	if (with_body && LWS_PRE + HEADER_ROOM + len > cap) {
		cap = LWS_PRE + HEADER_ROOM + len;
		if ((buf = malloc(cap)) == NULL)
			return -1;
	}
	start = q = buf + LWS_PRE;
	end = buf + LWS_PRE + HEADER_ROOM - 1;
	if (lws_add_http_common_headers(p->wsi, (unsigned)p->resp.status,
	    p->resp.status == 204 ? NULL : ctype, (lws_filepos_t)len, &q,
	    end) != 0)
		goto out;
	if (add_header(p->wsi, "cache-control:", "no-store", &q, end) != 0)
		goto out;
	if (p->resp.status == 405 &&
	    add_header(p->wsi, "allow:", "GET, HEAD, OPTIONS", &q, end) != 0)
		goto out;
	if (s->cors != NULL) {
		if (add_header(p->wsi, "access-control-allow-origin:", s->cors,
		    &q, end) != 0)
			goto out;
		if (p->route == ROUTE_PREFLIGHT && (add_header(p->wsi,
		    "access-control-allow-methods:", "GET, HEAD, OPTIONS", &q,
		    end) != 0 || add_header(p->wsi,
		    "access-control-max-age:", "600", &q, end) != 0))
			goto out;
	}
	if (p->close && add_header(p->wsi, "connection:", "close", &q,
	    end) != 0)
		goto out;
	if (!with_body) {
		rc = lws_finalize_write_http_header(p->wsi, start, &q, end) ?
		    -1 : 0;
		goto out;
	}
	if (lws_finalize_http_header(p->wsi, &q, end) != 0)
		goto out;
	memcpy(q, p->resp.body->data, len);
	q += len;
	/* lws keeps and sends later what the socket does not take now. */
	if (lws_write(p->wsi, start, (size_t)(q - start),
	    LWS_WRITE_HTTP_FINAL) == (int)(q - start))
		rc = 0;
out:
	if (buf != stackbuf)
		free(buf);
	return rc;
}

/* After the answer: keep the connection for the next request, or close. */
static int
completed(struct pss *p)
{
	int close = p->close;

	release(p);
	if (close)
		return -1;
	/* Idle until the next request: the same deadline again. */
	conn_arm(conn_of(p->wsi), 1);
	return lws_http_transaction_completed(p->wsi) ? -1 : 0;
}

static enum route_method
method_of(int m)
{
	switch (m) {
	case LWSHUMETH_GET:
		return RM_GET;
	case LWSHUMETH_HEAD:
		return RM_HEAD;
	case LWSHUMETH_OPTIONS:
		return RM_OPTIONS;
	default:
		return RM_OTHER;
	}
}


/* A WebSocket upgrade: 400 with a JSON body, then close; never 101. */
static void
refuse_upgrade(struct pss *p)
{
	struct server *s = p->srv;
	size_t len;
	char *b;

	s->st.refused_upgrades++;
	b = body_error(400, "websocket_refused", "live-games serves plain "
	    "HTTP only; WebSockets (/ws/live/ID) are ws-fanout's", 0, &len);
	memset(&p->resp, 0, sizeof(p->resp));
	p->resp.status = 400;
	p->resp.body = blob_take(b, len);
	p->route = ROUTE_BAD_REQUEST;	/* nothing left from a previous request */
	p->head = 0;
	p->close = 1;
	p->phase = PH_HEADERS;
	conn_arm(conn_of(p->wsi), 0);
	lws_callback_on_writable(p->wsi);
}

static int
on_http(struct lws *wsi, struct pss *p)
{
	struct conn *c = conn_of(wsi);
	enum framing fr;
	char *uri = NULL;
	int m, len = 0;

	release(p);
	p->wsi = wsi;
	p->srv = lws_context_user(lws_get_context(wsi));
	p->since = time_mono_ms();
	m = lws_http_get_uri_and_method(wsi, &uri, &len);
	if (c != NULL && conn_client(c, p->srv->cfg.trust) ==
	    PROXYADDR_MALFORMED)
		p->srv->st.proxy_malformed++;
	if (c != NULL && c->refuse_upgrade) {
		log_debug("upgrade refused", "client=%s", log_str(c->addr));
		refuse_upgrade(p);
		return 0;
	}
	if (m < 0 || uri == NULL) {
		p->route = ROUTE_BAD_REQUEST;
		p->close = 1;
	} else {
		p->route = route_classify(method_of(m), uri, (size_t)len);
		p->head = m == LWSHUMETH_HEAD;
		/* A request with a body we will not read: answer and close. */
		p->close = method_of(m) == RM_OTHER ||
		    p->route == ROUTE_BAD_REQUEST || p->route == ROUTE_TOO_LONG;
		/*
		 * Framing two readers could disagree on: 400 and close, so
		 * no byte after this head is ever read as a request.
		 */
		fr = edge_framing(wsi, method_of(m) != RM_OTHER);
		if (fr != FRAMING_OK) {
			p->srv->st.refused_framing++;
			log_debug("request refused", "client=%s kind=%s",
			    log_str(c != NULL ? c->addr : "-"),
			    framing_name(fr));
			p->route = ROUTE_BAD_REQUEST;
			p->close = 1;
		}
	}
	answer(p);
	return 0;
}

/* The acceptor's socket, counted for its address: lws serves it. */
static int
on_accept(void *arg, int fd, const char *ip, struct iplimit_ent *tok)
{
	struct server *s = arg;
	struct lws *wsi;
	struct conn *c;

	(void)ip;
	if (s->stopping || s->vh == NULL) {
		close(fd);
		return -1;
	}
	/* lws closes fd itself when it cannot adopt it. */
	if ((wsi = lws_adopt_socket_vhost(s->vh, fd)) == NULL)
		return -1;
	/* on_new_conn ran inside the adoption: the token goes with it. */
	if ((c = conn_of(wsi)) != NULL)
		c->tok = tok;
	else
		acceptor_release(s->acc, tok);
	return 0;
}

static void
on_refuse(void *arg, const char *ip, enum accept_refusal why)
{
	static struct ratelimit rl = RATELIMIT_INIT(60000, 10);
	struct server *s = arg;

	if (why == ACCEPT_REFUSED_PER_ADDR)
		s->st.refused_per_ip++;
	else
		s->st.refused_nomem++;
	log_rl(&rl, LOG_LVL_INFO, "connection refused", "client=%s kind=%s",
	    log_str(ip), why == ACCEPT_REFUSED_PER_ADDR ? "max_pending_per_ip" :
	    "out_of_memory");
}

static void
on_conn_gone(struct lws *wsi)
{
	struct server *s = lws_context_user(lws_get_context(wsi));
	struct conn *c = conn_of(wsi);

	if (c == NULL)
		return;
	acceptor_release(s->acc, c->tok);
	c->tok = NULL;
	conn_free(c);
}

/* A network connection: its deadline starts now. */
static int
on_new_conn(struct lws *wsi)
{
	struct server *s = lws_context_user(lws_get_context(wsi));
	struct conn *c;

	if (s == NULL || s->stopping || (c = conn_new(&s->conns, wsi)) == NULL)
		return -1;
	/* The count of lws lines held back, at most every 10 s. */
	if (time_mono_ms() - s->lwslog_ms >= 10000) {
		s->lwslog_ms = time_mono_ms();
		lwslog_flush();
	}
	lws_get_peer_simple(wsi, c->peer, sizeof(c->peer));
	/* lws writes a mapped IPv4 peer as ::ffff:a.b.c.d */
	if (proxyaddr_canon(c->peer, c->addr, sizeof(c->addr)) == 0)
		memcpy(c->peer, c->addr, sizeof(c->peer));
	memcpy(c->addr, c->peer, sizeof(c->addr));
	return 0;
}



static int
callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	struct pss *p = user;
	struct server *s;
	struct conn *c;
	struct blob *b;

	switch (reason) {
	case LWS_CALLBACK_SERVER_NEW_CLIENT_INSTANTIATED:
		return on_new_conn(wsi);
	case LWS_CALLBACK_WSI_DESTROY:
		on_conn_gone(wsi);
		return 0;
	case LWS_CALLBACK_HTTP_CONFIRM_UPGRADE:
		if ((c = conn_of(wsi)) == NULL)
			return -1;
		return edge_upgrade(in, &c->refuse_upgrade);
	case LWS_CALLBACK_RAW_ADOPT:
		return 0;
	case LWS_CALLBACK_RAW_RX:
		s = lws_context_user(lws_get_context(wsi));
		s->st.refused_connect++;
		return edge_refuse_connect(wsi);
	case LWS_CALLBACK_HTTP:
		return on_http(wsi, p);
	case LWS_CALLBACK_HTTP_BODY:
		return 0;	/* read and ignored; we close after answering */
	case LWS_CALLBACK_HTTP_BODY_COMPLETION:
		return 0;
	case LWS_CALLBACK_HTTP_WRITEABLE:
		if (p == NULL || p->srv == NULL)
			return 0;
		if (p->phase == PH_HEADERS) {
			b = p->resp.body;
			if (write_answer(p, !(p->head || b == NULL ||
			    b->len == 0 || p->resp.status == 204)) != 0)
				return -1;
			return completed(p);
		}
		return 0;
	case LWS_CALLBACK_CLOSED_HTTP:
	case LWS_CALLBACK_HTTP_DROP_PROTOCOL:
		if (p != NULL)
			release(p);
		return 0;
	default:
		break;
	}
	(void)in;
	(void)len;
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

struct server *
server_new(uv_loop_t *loop, const struct server_cfg *cfg, int *config,
    struct errbuf *err)
{
	struct lws_context_creation_info info;
	struct acceptor_cfg ac;
	struct server *s;

	*config = 0;
	/* lws only logs a certificate it cannot load: check them first. */
	if (cfg->tls_cert != NULL &&
	    tlsfiles_check(cfg->tls_cert, cfg->tls_key, err) == -1) {
		*config = 1;
		return NULL;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL)
		goto oom;
	s->loop = loop;
	s->cfg = *cfg;
	conns_init(&s->conns, loop, cfg->request_timeout_ms > 0 ?
	    cfg->request_timeout_ms : 5000);
	if (cfg->cors_origin != NULL && (s->cors = strdup(cfg->cors_origin)) ==
	    NULL)
		goto oom;
	/* Bound exactly as told before lws exists, or not at all. */
	memset(&ac, 0, sizeof(ac));
	ac.host = cfg->iface;
	ac.port = cfg->port;
	ac.max_pending = cfg->max_pending;
	ac.max_pending_per_addr = cfg->max_pending_per_ip;
	ac.exempt = cfg->trust;	/* a proxy brings many clients */
	ac.on_accept = on_accept;
	ac.on_refuse = on_refuse;
	ac.arg = s;
	if ((s->acc = acceptor_new(loop, &ac, err)) == NULL) {
		free(s->cors);
		free(s);
		return NULL;
	}
	s->loops[0] = loop;
	s->protocols[0].name = "http";
	s->protocols[0].callback = callback;
	s->protocols[0].per_session_data_size = sizeof(struct pss);

	/* A client can make lws complain at will: the shared, bounded bridge. */
	lwslog_init(log_get_level() >= LOG_LVL_DEBUG ?
	    LLL_ERR | LLL_WARN | LLL_NOTICE : LLL_ERR);
	memset(&info, 0, sizeof(info));
	info.options = LWS_SERVER_OPTION_LIBUV |
	    LWS_SERVER_OPTION_UV_NO_SIGSEGV_SIGFPE_SPIN |
	    LWS_SERVER_OPTION_DISABLE_IPV6 * (cfg->iface != NULL);
	info.foreign_loops = s->loops;
	/* Sockets come from the acceptor (lws_adopt_socket_vhost). */
	info.port = CONTEXT_PORT_NO_LISTEN_SERVER;
	info.protocols = s->protocols;
	/*
	 * A header table for every connection the acceptor lets in, so that
	 * one address (capped below the pool) can never take them all.
	 */
	info.max_http_header_pool = (unsigned short)(cfg->max_pending > 0 &&
	    cfg->max_pending < 65535 ? cfg->max_pending : 65535);
	info.user = s;
	info.max_http_header_data = (unsigned short)(cfg->max_header ?
	    cfg->max_header : 4096);
	info.keepalive_timeout = 30;
	info.timeout_secs = 10;
	info.vhost_name = "live-games";
	/* HTTP/1.1 only, as in the clear: no h2 by ALPN either. */
	lwstls_server(&info, cfg->tls_cert, cfg->tls_key);
	info.pcontext = &s->ctx;	/* lws sets it NULL once really gone */
	if ((s->ctx = lws_create_context(&info)) == NULL) {
		errbuf_set(err, "cannot start libwebsockets");
		acceptor_free(s->acc);
		free(s->cors);
		free(s);
		return NULL;
	}
	s->vh = lws_get_vhost_by_name(s->ctx, "live-games");
	return s;
oom:
	if (s != NULL)
		free(s->cors);
	free(s);
	errbuf_set(err, "out of memory");
	return NULL;
}

int
server_port(const struct server *s)
{
	return s->acc != NULL ? s->cfg.port : 0;
}

void
server_wake(struct server *s)
{
	struct pss *p, *next;

	for (p = s->parked; p != NULL; p = next) {
		next = p->next;
		answer(p);
	}
}

size_t
server_parked(const struct server *s)
{
	return s->nparked;
}

void
server_stop(struct server *s)
{
	struct conn *c;

	if (s == NULL || s->stopping)
		return;
	s->stopping = 1;
	for (c = s->conns.head; c != NULL; c = c->next) {
		acceptor_release(s->acc, c->tok);
		c->tok = NULL;
	}
	conns_fini(&s->conns);
	acceptor_free(s->acc);
	s->acc = NULL;
	/* On a foreign loop this starts closing; the loop finishes it. */
	if (s->ctx != NULL)
		lws_context_destroy(s->ctx);
}

void
server_free(struct server *s)
{
	if (s == NULL)
		return;
	server_stop(s);
	/* Still there after the loop ran: the second call frees it. */
	if (s->ctx != NULL)
		lws_context_destroy(s->ctx);
	free(s->cors);
	free(s);
}
