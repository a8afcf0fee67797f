/*
 * edge: ws-fanout's network edge before the upgrade. Our own acceptor
 * (common/accept.c) binds exactly --listen, counts connections per
 * address from accept and refuses those over --max-pending(-per-ip); each
 * accepted socket is adopted by lws with a pending record that carries a
 * deadline (--request-timeout) kept by one timer over a list in deadline
 * order (every deadline is now + the same timeout, so appending keeps it
 * sorted). Also: the client address behind a trusted proxy, and the
 * strict handshake checks. No room or subscriber logic here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libwebsockets.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "conn.h"
#include "link.h"
#include "log.h"
#include "wscheck.h"

struct pending {
	struct pending		*next, *prev;	/* by deadline */
	struct lws		*wsi;
	struct iplimit_ent	*tok;		/* the acceptor's */
	int64_t			 deadline_ms;
	int			 linked;
	int			 orphan;	/* adoption failed, wsi closing */
	char			 ip[PROXYADDR_STRLEN];
};

static void	on_deadline(uv_timer_t *);

static void
arm(struct server *s)
{
	int64_t now = (int64_t)uv_now(s->loop), wait;

	if (s->pd_head == NULL) {
		uv_timer_stop(&s->deadline);
		return;
	}
	wait = s->pd_head->deadline_ms - now;
	uv_timer_start(&s->deadline, on_deadline, wait > 0 ? (uint64_t)wait :
	    0, 0);
}

static void
unlink_pending(struct server *s, struct pending *p)
{
	if (!p->linked)
		return;
	p->linked = 0;
	DLINK_UNLINK(s->pd_head, s->pd_tail, p, prev, next);
	p->next = p->prev = NULL;
}

static void
append(struct server *s, struct pending *p)
{
	p->deadline_ms = (int64_t)uv_now(s->loop) + s->cfg.request_timeout_ms;
	p->linked = 1;
	DLINK_APPEND(s->pd_head, s->pd_tail, p, prev, next);
	if (s->pd_head == p)
		arm(s);
}

/*
 * Past its deadline a connection is closed whatever state lws has it in
 * (request line, headers, CONNECT gone raw, an answer nobody reads):
 * from this timer, outside any lws callback, so synchronously.
 */
static void
on_deadline(uv_timer_t *t)
{
	struct server *s = t->data;
	int64_t now = (int64_t)uv_now(s->loop);
	struct pending *p;

	while ((p = s->pd_head) != NULL && p->deadline_ms <= now) {
		unlink_pending(s, p);
		s->edge.timeouts++;
		log_debug("request timed out", "ip=%s", p->ip);
		/* WSI_DESTROY, from inside this call, frees p. */
		lws_set_timeout(p->wsi, PENDING_TIMEOUT_HTTP_CONTENT,
		    LWS_TO_KILL_SYNC);
	}
	arm(s);
}

static int
on_accept(void *arg, int fd, const char *ip, struct iplimit_ent *tok)
{
	struct server *s = arg;
	lws_adopt_desc_t desc;
	struct pending *p;
	struct lws *wsi;

	if (s->stopping || (p = calloc(1, sizeof(*p))) == NULL) {
		close(fd);
		return -1;
	}
	p->tok = tok;
	snprintf(p->ip, sizeof(p->ip), "%s", ip);
	memset(&desc, 0, sizeof(desc));
	desc.vh = s->vhost;
	desc.type = LWS_ADOPT_SOCKET | LWS_ADOPT_HTTP |
	    (s->cfg.tls_cert != NULL ? LWS_ADOPT_ALLOW_SSL : 0);
	desc.fd.sockfd = fd;
	desc.opaque = p;
	s->adopting = p;
	s->adopt_died = 0;
	wsi = lws_adopt_descriptor_vhost_via_info(&desc);
	s->adopting = NULL;
	if (wsi == NULL && s->adopt_died) {
		free(p);
		return -1;
	}
	if (wsi == NULL) {
		/*
		 * lws closed fd, but the wsi it made (a TLS handshake that
		 * failed at once, say) is still closing on the loop: its
		 * WSI_DESTROY comes later with p, which waits for it. The
		 * acceptor takes the token back now.
		 */
		p->orphan = 1;
		p->tok = NULL;
		p->next = s->pd_orphans;
		if (s->pd_orphans != NULL)
			s->pd_orphans->prev = p;
		s->pd_orphans = p;
		return -1;
	}
	if (s->adopt_died) {
		free(p);
		return 0;	/* already released */
	}
	p->wsi = wsi;
	append(s, p);
	return 0;
}

static void
on_refuse(void *arg, const char *ip, enum accept_refusal why)
{
	struct server *s = arg;

	if (why == ACCEPT_REFUSED_PER_ADDR)
		s->edge.refused_per_ip++;
	else
		s->edge.refused_nomem++;
	log_debug("connection refused", "kind=%s ip=%s",
	    why == ACCEPT_REFUSED_PER_ADDR ? "pending_per_ip" : "pending",
	    ip);
}

int
edge_start(struct server *s, struct errbuf *err)
{
	struct acceptor_cfg ac;

	memset(&ac, 0, sizeof(ac));
	ac.host = s->cfg.iface;
	ac.port = s->cfg.port;
	ac.max_pending = s->cfg.max_pending;
	ac.max_pending_per_addr = s->cfg.max_pending_per_ip;
	ac.exempt = s->cfg.trust;
	ac.on_accept = on_accept;
	ac.on_refuse = on_refuse;
	ac.arg = s;
	if ((s->acc = acceptor_new(s->loop, &ac, err)) == NULL)
		return -1;
	uv_timer_init(s->loop, &s->deadline);
	s->deadline.data = s;
	return 0;
}

void
edge_done(struct server *s, struct lws *wsi)
{
	struct pending *p = lws_get_opaque_user_data(wsi);

	if (p == NULL)
		return;
	lws_set_opaque_user_data(wsi, NULL);
	if (p->orphan) {
		DLINK_UNLINK_HEAD(s->pd_orphans, p, prev, next);
		free(p);
		return;
	}
	if (p == s->adopting) {
		/* Inside lws_adopt: on_accept frees p, the acceptor not. */
		s->adopt_died = 1;
		acceptor_release(s->acc, p->tok);
		return;
	}
	unlink_pending(s, p);
	acceptor_release(s->acc, p->tok);
	free(p);
	if (s->pd_head == NULL)
		uv_timer_stop(&s->deadline);
}

void
edge_touch(struct server *s, struct lws *wsi)
{
	struct pending *p = lws_get_opaque_user_data(wsi);

	if (p == NULL || !p->linked)
		return;
	unlink_pending(s, p);
	append(s, p);
	if (s->pd_head != p)
		arm(s);
}

/* Every X-Forwarded-For header of the request, joined by commas. */
static void
forwarded_for(struct lws *wsi, char *buf, size_t len)
{
	char frag[PROXYADDR_MAX_HEADER + 1];
	size_t used = 0;
	int i, n;

	buf[0] = '\0';
	for (i = 0; i < PROXYADDR_MAX_HOPS; i++) {
		n = lws_hdr_copy_fragment(wsi, frag, sizeof(frag),
		    WSI_TOKEN_X_FORWARDED_FOR, i);
		if (n < 0)
			break;
		if (used + (size_t)n + 2 >= len) {
			/* Over the bound: proxyaddr calls it malformed. */
			memset(buf, 'x', len - 1);
			buf[len - 1] = '\0';
			return;
		}
		if (used > 0)
			buf[used++] = ',';
		memcpy(buf + used, frag, (size_t)n);
		used += (size_t)n;
		buf[used] = '\0';
	}
}

void
edge_client_addr(struct server *s, struct lws *wsi, int count, char *out,
    size_t len)
{
	struct pending *p = lws_get_opaque_user_data(wsi);
	char peer[PROXYADDR_STRLEN], xff[PROXYADDR_MAX_HEADER + 2];
	char xri[PROXYADDR_STRLEN + 8];
	const char *xrip = NULL;

	if (p != NULL)
		snprintf(peer, sizeof(peer), "%s", p->ip);
	else if (lws_get_peer_simple(wsi, peer, sizeof(peer)) == NULL)
		snprintf(peer, sizeof(peer), "?");
	if (s->cfg.trust == NULL || !proxyaddr_trusted(s->cfg.trust, peer)) {
		(void)proxyaddr_canon(peer, out, len);
		return;
	}
	forwarded_for(wsi, xff, sizeof(xff));
	if (lws_hdr_custom_length(wsi, "x-real-ip:", 10) > 0) {
		if (lws_hdr_custom_copy(wsi, xri, sizeof(xri), "x-real-ip:",
		    10) < 0)
			snprintf(xri, sizeof(xri), "-");	/* too long */
		xrip = xri;
	}
	if (proxyaddr_client(s->cfg.trust, peer, xff, xrip, out, len) ==
	    PROXYADDR_MALFORMED && count)
		s->edge.forwarded_malformed++;
}

/* 0: fine; else it failed (or conflicted): the request is refused. */
static int
bad_framing(struct lws *wsi)
{
	char vals[4][64];
	const char *v[4];
	int i, n;

	if (lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_TRANSFER_ENCODING) > 0)
		return 1;
	for (i = 0; i < 5; i++) {
		n = lws_hdr_copy_fragment(wsi, vals[i < 4 ? i : 3],
		    sizeof(vals[0]), WSI_TOKEN_HTTP_CONTENT_LENGTH, i);
		if (n < 0)
			break;
		if (i == 4)
			return 1;	/* more copies than anyone sends */
		v[i] = vals[i];
	}
	if (i == 0)
		return 0;
	return !wscheck_content_length(v, (size_t)i);
}

/*
 * Answers a refused request in one raw write and asks lws to close.
 * lws' own status helpers answer HTTP/1.0 at the upgrade stage.
 */
int
edge_refuse(struct lws *wsi, unsigned status, const char *reason,
    const char *extra, const char *msg)
{
	unsigned char buf[LWS_PRE + 640];
	char body[160];
	int n, b;

	b = snprintf(body, sizeof(body), "{\"error\":\"%s\",\"status\":%u}\n",
	    msg, status);
	n = snprintf((char *)buf + LWS_PRE, sizeof(buf) - LWS_PRE,
	    "HTTP/1.1 %u %s\r\ncontent-type: application/json\r\n"
	    "content-length: %d\r\ncache-control: no-store\r\n%s"
	    "connection: close\r\n\r\n%s", status, reason, b,
	    extra ? extra : "", body);
	if (n < 0 || (size_t)n >= sizeof(buf) - LWS_PRE)
		return -1;
	if (lws_write(wsi, buf + LWS_PRE, (size_t)n, LWS_WRITE_HTTP) < 0)
		return -1;
	return 1;
}

int
edge_check_request(struct server *s, struct lws *wsi)
{
	if (!bad_framing(wsi))
		return 0;
	s->edge.bad_requests++;
	/* After a 400 the rest of the stream is not read as requests. */
	(void)edge_refuse(wsi, 400, "Bad Request", NULL,
	    "conflicting Content-Length or Transfer-Encoding");
	return -1;
}

int
edge_check_upgrade(struct server *s, struct lws *wsi)
{
	char v[16], k[64];

	if (edge_check_request(s, wsi) != 0)
		return -1;
	if (lws_hdr_total_length(wsi, WSI_TOKEN_VERSION) >= (int)sizeof(v) ||
	    lws_hdr_copy(wsi, v, sizeof(v), WSI_TOKEN_VERSION) <= 0 ||
	    !wscheck_version(v)) {
		s->edge.bad_handshakes++;
		return edge_refuse(wsi, 426, "Upgrade Required",
		    "sec-websocket-version: 13\r\n",
		    "unsupported WebSocket version");
	}
	if (lws_hdr_total_length(wsi, WSI_TOKEN_KEY) >= (int)sizeof(k) ||
	    lws_hdr_copy(wsi, k, sizeof(k), WSI_TOKEN_KEY) <= 0 ||
	    !wscheck_key(k)) {
		s->edge.bad_handshakes++;
		return edge_refuse(wsi, 400, "Bad Request", NULL,
		    "bad Sec-WebSocket-Key");
	}
	return 0;
}

void
edge_stop(struct server *s)
{
	acceptor_stop(s->acc);
}

void
edge_free(struct server *s, uv_close_cb closed)
{
	struct pending *p;

	/*
	 * lws' context is gone: what is left of the records goes too. Its
	 * connections are freed later, from the loop (WSI_DESTROY then finds
	 * no record: a freed one there was a crash at exit).
	 */
	while ((p = s->pd_head) != NULL) {
		s->pd_head = p->next;
		lws_set_opaque_user_data(p->wsi, NULL);
		free(p);
	}
	s->pd_tail = NULL;
	while ((p = s->pd_orphans) != NULL) {
		s->pd_orphans = p->next;
		lws_set_opaque_user_data(p->wsi, NULL);
		free(p);
	}
	acceptor_free(s->acc);
	s->acc = NULL;
	uv_close((uv_handle_t *)&s->deadline, closed);
}

unsigned
edge_pending(const struct server *s)
{
	return s->acc ? acceptor_pending(s->acc) : 0;
}

/*
 * lws 4.1 cannot undo a context whose vhost failed on a foreign loop (its
 * event library is unloaded with handles still on our loop): so the
 * certificate and key are loaded once here, before lws sees them.
 */
int
server_tls_check(const char *cert, const char *key, struct errbuf *err)
{
	char why[160] = "";
	SSL_CTX *ctx;
	int rc = -1;

	if ((ctx = SSL_CTX_new(TLS_server_method())) == NULL)
		return errbuf_set(err, "tls: out of memory");
	if (SSL_CTX_use_certificate_chain_file(ctx, cert) != 1)
		errbuf_set(err, "tls: cannot use the certificate %s: %s", cert,
		    ERR_error_string(ERR_get_error(), why));
	else if (SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1)
		errbuf_set(err, "tls: cannot use the key %s: %s", key,
		    ERR_error_string(ERR_get_error(), why));
	else if (SSL_CTX_check_private_key(ctx) != 1)
		errbuf_set(err, "tls: the key %s does not match the "
		    "certificate %s", key, cert);
	else
		rc = 0;
	SSL_CTX_free(ctx);
	ERR_clear_error();
	return rc;
}
