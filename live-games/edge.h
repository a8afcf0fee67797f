/*
 * edge: what live-games' server refuses before the application sees a
 * request, on the lws side: body framing two readers could disagree
 * on, WebSocket upgrades, h2c offers, CONNECT; and the text of its own
 * counters for /metrics. Holds no state of its own: the counters are the
 * caller's.
 */
#ifndef LIVE_EDGE_H
#define LIVE_EDGE_H

#include <stddef.h>

#include "framing.h"

struct lws;

struct edge_stats {
	unsigned long long	refused_upgrades;
	unsigned long long	refused_framing;
	unsigned long long	refused_connect;
	unsigned long long	refused_per_ip;	/* closed at accept */
	unsigned long long	refused_nomem;
	unsigned long long	proxy_malformed;
	unsigned long long	conn_timeouts;
	unsigned long		accept_pauses;	/* at EMFILE/ENFILE */
	unsigned long		accept_full_waits; /* at --max-pending */
	size_t			connections;	/* open now */
};

/* The body framing of the request head wsi holds now (framing.h). */
enum framing edge_framing(struct lws *wsi, int no_body);
/*
 * LWS_CALLBACK_HTTP_CONFIRM_UPGRADE with the Upgrade value up: keeps the
 * request plain HTTP/1.1 (see edge.c) and sets *refuse for a WebSocket.
 * Returns 0, or -1 to hang up.
 */
int	edge_upgrade(char *up, int *refuse);
/*
 * A CONNECT, which lws has turned into a raw socket: writes a 405 with a
 * JSON body. Returns -1: the caller closes the connection.
 */
int	edge_refuse_connect(struct lws *wsi);
/*
 * The Prometheus text of st into buf (cap bytes, NUL-terminated).
 * Returns its length, or -1 when it does not fit.
 */
int	edge_metrics(const struct edge_stats *st, char *buf, size_t cap);

#endif
