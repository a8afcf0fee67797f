/*
 * conn: what live-games' server keeps per network connection beside
 * libwebsockets: the deadline of the phase it is in, on our own libuv
 * timer (lws 4.1 leaves a CONNECT, an upgrade and some header states
 * with none), its client address, and whether its WebSocket upgrade is
 * being refused. Holds no application state; loop thread only.
 */
#ifndef LIVE_CONN_H
#define LIVE_CONN_H

#include <stddef.h>
#include <stdint.h>
#include <uv.h>
#include "iplimit.h"
#include "proxyaddr.h"

struct lws;

#define CONN_ADDR_MAX	64

struct conn {
	struct conns	*set;
	struct lws	*wsi;		/* NULL once lws has let it go */
	struct iplimit_ent *tok;	/* the acceptor's count of it */
	uv_timer_t	 timer;
	int		 refuse_upgrade;
	int		 idle;		/* between requests, one answered */
	char		 peer[CONN_ADDR_MAX];	/* the socket's other end */
	char		 addr[CONN_ADDR_MAX];	/* the client, for logs */
	struct conn	*next, **prevp;
};

struct conns {
	uv_loop_t	*loop;
	int64_t		 timeout_ms;	/* every phase's deadline */
	size_t		 n;		/* open now */
	unsigned long long timeouts;	/* closed by their deadline */
	struct conn	*head;
};

/* Caller storage; timeout_ms is the deadline of every phase. */
void	conns_init(struct conns *set, uv_loop_t *loop, int64_t timeout_ms);
/*
 * Lets every connection go (stops and closes its timer, forgets its
 * wsi, clears lws' pointer to it); the loop must run to free them.
 */
void	conns_fini(struct conns *set);

/*
 * Returns a new connection for wsi, its deadline armed, recorded as
 * wsi's opaque user data; or NULL when out of memory.
 */
struct conn *conn_new(struct conns *set, struct lws *wsi);
/* The connection of wsi, or NULL. */
struct conn *conn_of(struct lws *wsi);
/*
 * (Re)starts the deadline: the phase that begins now has timeout_ms;
 * idle when it is the wait for a next request after an answer.
 */
void	conn_arm(struct conn *c, int idle);
/* No deadline while the application holds the answer (it bounds that). */
void	conn_disarm(struct conn *c);
/*
 * Sets c->addr to the client of the request whose headers wsi holds now:
 * the peer, or for a peer that pa trusts, the address its
 * X-Forwarded-For or X-Real-IP names (proxyaddr.h). pa NULL trusts no
 * one. Returns PROXYADDR_MALFORMED when a header was bad (the peer is
 * used), for the caller's counter.
 */
int	conn_client(struct conn *c, const struct proxyaddr *pa);
/* lws is done with the wsi: frees c (once the loop closes its timer). */
void	conn_free(struct conn *c);

#endif
