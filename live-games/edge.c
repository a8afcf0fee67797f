/*
 * edge: the refusals at live-games' edge, on libwebsockets' headers and
 * sockets. Writes only the 405 of a CONNECT; logs nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <libwebsockets.h>

#include "body.h"
#include "edge.h"

#define FRAMING_FIELDS	4	/* more Content-Length fields: duplicate anyway */

enum framing
edge_framing(struct lws *wsi, int no_body)
{
	struct framing_field f[FRAMING_FIELDS];
	char vals[FRAMING_FIELDS][24];
	int i, n;

	for (i = 0; i < FRAMING_FIELDS; i++) {
		if (lws_hdr_fragment_length(wsi, WSI_TOKEN_HTTP_CONTENT_LENGTH,
		    i) <= 0)
			break;
		n = lws_hdr_copy_fragment(wsi, vals[i], (int)sizeof(vals[i]),
		    WSI_TOKEN_HTTP_CONTENT_LENGTH, i);
		f[i].p = n < 0 ? NULL : vals[i];	/* too long: bad */
		f[i].len = n < 0 ? 0 : (size_t)n;
	}
	return framing_check(no_body, f, (size_t)i,
	    lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_TRANSFER_ENCODING) > 0);
}

/*
 * lws 4.1 asks before it upgrades, with the Upgrade value in its own
 * header table; once we return 0 it compares the same bytes again with
 * "websocket" and "h2c" and, matching neither, serves plain HTTP/1.1.
 * Emptying them is how the request stays HTTP/1.1: an h2c offer is then
 * simply ignored (RFC 9113 §3.2 lets a server do that), and a WebSocket
 * upgrade reaches on_http, which refuses it.
 */
int
edge_upgrade(char *up, int *refuse)
{
	if (up == NULL)
		return -1;
	*refuse = strcasecmp(up, "h2c") != 0;
	up[0] = '\0';
	return 0;
}

/*
 * lws turns a CONNECT into a raw socket and would then wait forever:
 * answer 405 at once and close.
 */
int
edge_refuse_connect(struct lws *wsi)
{
	unsigned char buf[LWS_PRE + 512];
	size_t blen;
	char *b;
	int n;

	b = body_error(405, "bad_method", "method not allowed: use GET", 0,
	    &blen);
	if (b == NULL)
		return -1;
	n = snprintf((char *)buf + LWS_PRE, sizeof(buf) - LWS_PRE,
	    "HTTP/1.1 405 Method Not Allowed\r\n"
	    "content-type: application/json\r\n"
	    "content-length: %zu\r\n"
	    "allow: GET, HEAD, OPTIONS\r\n"
	    "cache-control: no-store\r\n"
	    "connection: close\r\n\r\n%s", blen, b);
	free(b);
	if (n > 0 && (size_t)n < sizeof(buf) - LWS_PRE)
		(void)lws_write(wsi, buf + LWS_PRE, (size_t)n, LWS_WRITE_RAW);
	return -1;
}

int
edge_metrics(const struct edge_stats *st, char *buf, size_t cap)
{
	int n;

	n = snprintf(buf, cap,
	    "# HELP live_games_refused_total Requests refused at the edge.\n"
	    "# TYPE live_games_refused_total counter\n"
	    "live_games_refused_total{reason=\"websocket_upgrade\"} %llu\n"
	    "live_games_refused_total{reason=\"body_framing\"} %llu\n"
	    "live_games_refused_total{reason=\"connect\"} %llu\n"
	    "live_games_refused_total{reason=\"max_pending_per_ip\"} %llu\n"
	    "live_games_refused_total{reason=\"out_of_memory\"} %llu\n"
	    "# HELP live_games_accept_pauses_total Accepts paused at the open-files limit.\n"
	    "# TYPE live_games_accept_pauses_total counter\n"
	    "live_games_accept_pauses_total %lu\n"
	    "# HELP live_games_accept_full_waits_total Accepts held in the backlog at --max-pending.\n"
	    "# TYPE live_games_accept_full_waits_total counter\n"
	    "live_games_accept_full_waits_total %lu\n"
	    "# HELP live_games_conn_timeouts_total Connections closed by their deadline.\n"
	    "# TYPE live_games_conn_timeouts_total counter\n"
	    "live_games_conn_timeouts_total %llu\n"
	    "# HELP live_games_proxy_malformed_total Requests from a trusted proxy whose X-Forwarded-For or X-Real-IP was malformed (the peer was used).\n"
	    "# TYPE live_games_proxy_malformed_total counter\n"
	    "live_games_proxy_malformed_total %llu\n"
	    "# HELP live_games_connections Connections open.\n"
	    "# TYPE live_games_connections gauge\n"
	    "live_games_connections %zu\n",
	    st->refused_upgrades, st->refused_framing, st->refused_connect,
	    st->refused_per_ip, st->refused_nomem, st->accept_pauses,
	    st->accept_full_waits, st->conn_timeouts, st->proxy_malformed,
	    st->connections);
	return n < 0 || (size_t)n >= cap ? -1 : n;
}
