/*
 * http: ws-fanout's plain HTTP answers: /healthz, /api/games, /metrics,
 * the static files of --www (or a placeholder page) and the JSON errors.
 * No WebSocket logic here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libwebsockets.h>

#include "conn.h"
#include "heap.h"

static const char placeholder_html[] =
    "<!doctype html>\n<html><head><meta charset=\"utf-8\">"
    "<title>courtside</title></head>\n<body><h1>courtside ws-fanout</h1>\n"
    "<p>Live games stream at <code>/ws/live/{game_id}</code>. "
    "The viewer page is not installed (see <code>--www</code>).</p>\n"
    "</body></html>\n";

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
	static const char *const types[][2] = {
		{ ".html", "text/html; charset=utf-8" },
		{ ".js", "text/javascript" }, { ".css", "text/css" },
		{ ".json", "application/json" }, { ".svg", "image/svg+xml" },
		{ ".png", "image/png" }, { ".ico", "image/x-icon" },
		{ ".txt", "text/plain; charset=utf-8" },
	};
	const char *dot = strrchr(path, '.');
	size_t i;

	for (i = 0; dot != NULL && i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(dot, types[i][0]) == 0)
			return types[i][1];
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

/* The pre-upgrade edge's counters (edge.c, common/accept.c). */
static void
render_edge(const struct server *s, struct buf *b)
{
	const struct edge_counters *e = &s->edge;

	buf_addf(b, "# HELP ws_fanout_preupgrade_connections Connections "
	    "accepted and not yet upgraded.\n"
	    "# TYPE ws_fanout_preupgrade_connections gauge\n"
	    "ws_fanout_preupgrade_connections %u\n", edge_pending(s));
	buf_addf(b, "# HELP ws_fanout_preupgrade_closed_total Connections "
	    "closed before an upgrade, by reason.\n"
	    "# TYPE ws_fanout_preupgrade_closed_total counter\n"
	    "ws_fanout_preupgrade_closed_total{reason=\"timeout\"} %llu\n"
	    "ws_fanout_preupgrade_closed_total{reason=\"per_ip\"} %llu\n"
	    "ws_fanout_preupgrade_closed_total{reason=\"bad_request\"} %llu\n"
	    "ws_fanout_preupgrade_closed_total{reason=\"bad_handshake\"} %llu\n"
	    "ws_fanout_preupgrade_closed_total{reason=\"no_memory\"} %llu\n",
	    e->timeouts, e->refused_per_ip, e->bad_requests,
	    e->bad_handshakes, e->refused_nomem);
	buf_addf(b, "# HELP ws_fanout_accept_waits_total Times accepting "
	    "stopped: out of files (a 100 ms pause) or at --max-pending.\n"
	    "# TYPE ws_fanout_accept_waits_total counter\n"
	    "ws_fanout_accept_waits_total{reason=\"no_files\"} %lu\n"
	    "ws_fanout_accept_waits_total{reason=\"max_pending\"} %lu\n",
	    s->acc ? acceptor_fd_pauses(s->acc) : 0,
	    s->acc ? acceptor_full_waits(s->acc) : 0);
	buf_addf(b, "# HELP ws_fanout_bad_close_codes_total Client close "
	    "codes not valid on the wire, answered with 1002.\n"
	    "# TYPE ws_fanout_bad_close_codes_total counter\n"
	    "ws_fanout_bad_close_codes_total %llu\n", e->bad_close_codes);
	buf_addf(b, "# HELP ws_fanout_unmasked_frames_total Clients that "
	    "sent an unmasked frame, closed with 1002.\n"
	    "# TYPE ws_fanout_unmasked_frames_total counter\n"
	    "ws_fanout_unmasked_frames_total %llu\n", e->unmasked_frames);
	buf_addf(b, "# HELP ws_fanout_forwarded_malformed_total "
	    "X-Forwarded-For or X-Real-IP values from a trusted proxy that "
	    "were not addresses (the proxy's address was used).\n"
	    "# TYPE ws_fanout_forwarded_malformed_total counter\n"
	    "ws_fanout_forwarded_malformed_total %llu\n",
	    e->forwarded_malformed);
}

int
http_serve(struct server *s, struct lws *wsi, struct pss *p,
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
		render_edge(s, &b);
		rc = b.failed ? -1 : respond(wsi, p, 200,
		    "text/plain; version=0.0.4", b.p, b.len);
		buf_fini(&b);
		return rc;
	}
	if (strncmp(uri, "/ws/", 4) == 0)
		return respond_json(wsi, p, 400, "WebSocket upgrade required");
	return serve_static(s, wsi, p, uri);
}
