/*
 * kalshi_ws: libwebsockets client on a foreign libuv loop. Signs the
 * handshake, moves text messages. Must not parse, log secrets, or retry.
 */
#include <stdlib.h>
#include <string.h>

#include <libwebsockets.h>

#include "kalshi_ws.h"
#include "log.h"
#include "lwslog.h"
#include "timeutil.h"

#define MAX_OUT		256	/* queued outgoing messages */
#define WS_SIGN_PATH	"/trade-api/ws/v2"

struct kws {
	uv_loop_t		*loop;
	struct kws_cfg		 cfg;
	struct lws_context	*ctx;
	struct lws		*wsi;
	int			 attempt;	/* an attempt is in flight */
	int			 open, closing, ping_due;
	char			*in;		/* fragments of one message */
	size_t			 in_len;
	char			*out[MAX_OUT];
	size_t			 out_len[MAX_OUT];
	unsigned		 out_head, out_n;
	/* parsed URL */
	char			 url[512];
	const char		*host, *path_tail;
	char			 path[512];
	int			 port, tls;
	char			 why[160];
};

static void
clear_out(struct kws *k)
{
	while (k->out_n > 0) {
		free(k->out[k->out_head]);
		k->out_head = (k->out_head + 1) % MAX_OUT;
		k->out_n--;
	}
	free(k->in);
	k->in = NULL;
	k->in_len = 0;
}

/* The one place an attempt ends: reports it once. */
static void
ended(struct kws *k, const char *why, int status)
{
	if (!k->attempt)
		return;
	k->attempt = 0;
	k->open = 0;
	k->wsi = NULL;
	k->closing = 0;
	k->ping_due = 0;
	clear_out(k);
	if (k->cfg.on_close != NULL)
		k->cfg.on_close(k->cfg.arg, why, status);
}

static int
add_header(struct lws *wsi, const char *name, const char *value,
    unsigned char **p, unsigned char *end)
{
	return lws_add_http_header_by_name(wsi, (const unsigned char *)name,
	    (const unsigned char *)value, (int)strlen(value), p, end);
}

static int
sign_headers(struct kws *k, struct lws *wsi, unsigned char **p,
    unsigned char *end)
{
	char sig[KALSHI_SIG_B64_MAX], ts[24];
	struct errbuf err;
	int64_t now = time_now_ms();
	int rc;

	if (k->cfg.key == NULL)
		return 0;
	/* Kalshi signs the path of the API, whatever host serves it. */
	if (kalshi_sign(k->cfg.key, now, "GET", WS_SIGN_PATH, sig, sizeof(sig),
	    &err) != 0) {
		log_warn("cannot sign handshake", "error=%s", log_str(err.msg));
		return -1;
	}
	snprintf(ts, sizeof(ts), "%lld", (long long)now);
	rc = add_header(wsi, "KALSHI-ACCESS-KEY:", k->cfg.key_id, p, end) ||
	    add_header(wsi, "KALSHI-ACCESS-TIMESTAMP:", ts, p, end) ||
	    add_header(wsi, "KALSHI-ACCESS-SIGNATURE:", sig, p, end);
	memset(sig, 0, sizeof(sig));
	return rc ? -1 : 0;
}

static int
write_one(struct kws *k, struct lws *wsi)
{
	unsigned char pbuf[LWS_PRE + 8];
	unsigned char *buf;
	size_t len;
	int n;

	if (k->closing)
		return -1;
	if (k->ping_due) {
		k->ping_due = 0;
		if (lws_write(wsi, pbuf + LWS_PRE, 0, LWS_WRITE_PING) < 0)
			return -1;
	} else if (k->out_n > 0) {
		len = k->out_len[k->out_head];
		if ((buf = malloc(LWS_PRE + len)) == NULL)
			return -1;
		memcpy(buf + LWS_PRE, k->out[k->out_head], len);
		free(k->out[k->out_head]);
		k->out_head = (k->out_head + 1) % MAX_OUT;
		k->out_n--;
		n = lws_write(wsi, buf + LWS_PRE, len, LWS_WRITE_TEXT);
		free(buf);
		if (n < (int)len)
			return -1;
	}
	if (k->out_n > 0 || k->ping_due)
		lws_callback_on_writable(wsi);
	return 0;
}

static int
receive(struct kws *k, struct lws *wsi, const void *in, size_t len)
{
	char *nb;

	if (lws_frame_is_binary(wsi))
		return 0;	/* Kalshi sends text only; ignore the rest */
	if (k->in_len + len > KWS_MAX_MESSAGE) {
		log_warn("message too long, dropped", "limit=%d",
		    KWS_MAX_MESSAGE);
		free(k->in);
		k->in = NULL;
		k->in_len = 0;
		return 0;
	}
	if (lws_is_first_fragment(wsi) && lws_is_final_fragment(wsi) &&
	    k->in_len == 0) {
		k->cfg.on_message(k->cfg.arg, in, len);
		return 0;
	}
	if ((nb = realloc(k->in, k->in_len + len + 1)) == NULL)
		return -1;
	k->in = nb;
	memcpy(k->in + k->in_len, in, len);
	k->in_len += len;
	if (lws_is_final_fragment(wsi)) {
		k->cfg.on_message(k->cfg.arg, k->in, k->in_len);
		free(k->in);
		k->in = NULL;
		k->in_len = 0;
	}
	return 0;
}

static int
callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	struct kws *k = lws_get_opaque_user_data(wsi);
	unsigned char **p;
	int status;

	if (k == NULL || (k->wsi != NULL && wsi != k->wsi))
		return 0;
	switch (reason) {
	case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER:
		p = (unsigned char **)in;
		return sign_headers(k, wsi, p, *p + len);
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		k->open = 1;
		if (k->cfg.on_open != NULL)
			k->cfg.on_open(k->cfg.arg);
		return 0;
	case LWS_CALLBACK_CLIENT_RECEIVE:
		return receive(k, wsi, in, len);
	case LWS_CALLBACK_CLIENT_RECEIVE_PONG:
		if (k->cfg.on_pong != NULL)
			k->cfg.on_pong(k->cfg.arg);
		return 0;
	case LWS_CALLBACK_CLIENT_WRITEABLE:
		return write_one(k, wsi);
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		status = (int)lws_http_client_http_response(wsi);
		if (status != 0)
			ended(k, "handshake refused", status);
		else {
			/* lws says why (TLS verification, refused ...). */
			snprintf(k->why, sizeof(k->why), "connect failed: %.*s",
			    in != NULL ? (int)strnlen(in, len ? len : 120) : 0,
			    in != NULL ? (const char *)in : "");
			ended(k, in != NULL ? k->why : "connect failed", 0);
		}
		return 0;
	case LWS_CALLBACK_CLIENT_CLOSED:
		ended(k, "connection closed", 0);
		return 0;
	case LWS_CALLBACK_WSI_DESTROY:
		ended(k, "connection closed", 0);
		return 0;
	default:
		break;
	}
	return 0;
}

static const struct lws_protocols protocols[] = {
	{ "kalshi-tap", callback, 0, 65536, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};

struct kws *
kws_new(uv_loop_t *loop, const struct kws_cfg *cfg, struct errbuf *err)
{
	struct lws_context_creation_info info;
	void *loops[1] = { loop };
	const char *prot = NULL, *path = NULL;
	struct kws *k;

	if ((k = errbuf_calloc(sizeof(*k), err)) == NULL)
		return NULL;
	k->loop = loop;
	k->cfg = *cfg;
	if (strlen(cfg->url) >= sizeof(k->url)) {
		errbuf_set(err, "--ws-url: too long");
		goto fail;
	}
	memcpy(k->url, cfg->url, strlen(cfg->url) + 1);
	if (lws_parse_uri(k->url, &prot, &k->host, &k->port, &path) != 0 ||
	    k->host[0] == '\0') {
		errbuf_set(err, "--ws-url: not a URL");
		goto fail;
	}
	if (strcmp(prot, "wss") == 0 || strcmp(prot, "https") == 0)
		k->tls = 1;
	else if (strcmp(prot, "ws") != 0 && strcmp(prot, "http") != 0) {
		errbuf_set(err, "--ws-url: scheme must be ws or wss");
		goto fail;
	}
	if (k->tls && k->port == 80)
		k->port = 443;	/* lws_parse_uri defaults to 80 */
	snprintf(k->path, sizeof(k->path), "/%s", path);

	/* lws' own complaints are not ours: shown at debug (-vv) only. */
	lwslog_init(log_get_level() >= LOG_LVL_DEBUG ? LLL_ERR | LLL_WARN : 0);
	memset(&info, 0, sizeof(info));
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;
	info.options = LWS_SERVER_OPTION_LIBUV |
	    LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	info.foreign_loops = loops;
	info.client_ssl_ca_filepath = cfg->ca_file;
	info.user = k;
	if ((k->ctx = lws_create_context(&info)) == NULL) {
		errbuf_set(err, "cannot create the libwebsockets context");
		goto fail;
	}
	return k;
fail:
	free(k);
	return NULL;
}

int
kws_connect(struct kws *k, struct errbuf *err)
{
	struct lws_client_connect_info ci;
	struct lws *wsi;

	if (k->attempt)
		return errbuf_set(err, "already connecting");
	memset(&ci, 0, sizeof(ci));
	ci.context = k->ctx;
	ci.address = k->host;
	ci.port = k->port;
	ci.path = k->path;
	ci.host = k->host;
	ci.origin = k->host;
	ci.ssl_connection = k->tls ? LCCSCF_USE_SSL : 0;
	ci.local_protocol_name = "kalshi-tap";
	ci.opaque_user_data = k;
	ci.pwsi = &k->wsi;
	k->attempt = 1;
	k->closing = 0;
	wsi = lws_client_connect_via_info(&ci);
	if (wsi == NULL && k->attempt) {
		/* Failed before any callback could report it. */
		k->attempt = 0;
		k->wsi = NULL;
		return errbuf_set(err, "cannot start a connection");
	}
	return 0;
}

int
kws_is_open(const struct kws *k)
{
	return k->open && !k->closing;
}

int
kws_send(struct kws *k, const char *text, size_t len)
{
	char *copy;

	if (!kws_is_open(k) || k->out_n >= MAX_OUT)
		return -1;
	if ((copy = malloc(len)) == NULL)
		return -1;
	memcpy(copy, text, len);
	k->out[(k->out_head + k->out_n) % MAX_OUT] = copy;
	k->out_len[(k->out_head + k->out_n) % MAX_OUT] = len;
	k->out_n++;
	lws_callback_on_writable(k->wsi);
	return 0;
}

int
kws_ping(struct kws *k)
{
	if (!kws_is_open(k))
		return -1;
	k->ping_due = 1;
	lws_callback_on_writable(k->wsi);
	return 0;
}

void
kws_drop(struct kws *k)
{
	if (k->wsi == NULL)
		return;
	k->closing = 1;
	/* The next writeable callback hangs up; the timeout is a backstop. */
	lws_callback_on_writable(k->wsi);
	lws_set_timeout(k->wsi, PENDING_TIMEOUT_USER_OK, 2);
}

void
kws_free(struct kws *k)
{
	if (k == NULL)
		return;
	k->attempt = 0;		/* no on_close from here on */
	k->cfg.on_close = NULL;
	if (k->wsi != NULL)
		lws_set_opaque_user_data(k->wsi, NULL);
	lws_context_destroy(k->ctx);
	clear_out(k);
	free(k);
}
