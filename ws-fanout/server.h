/*
 * server: ws-fanout's libwebsockets adapter on the libuv loop. It maps
 * connections to rooms, writes the shared messages, enforces the limits
 * and close codes, and answers /healthz, /metrics and static files.
 * Protocol decisions (what a message says) belong to rooms.c, not here.
 */
#ifndef FANOUT_SERVER_H
#define FANOUT_SERVER_H

#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "errbuf.h"
#include "proxyaddr.h"
#include "metrics.h"
#include "rooms.h"

struct server;

struct server_cfg {
	const char	*iface;		/* NULL: every address */
	int		 port;
	const char	*www;		/* static files for GET /, or NULL */
	unsigned	 max_per_ip;	/* 429 past it */
	unsigned	 max_conns;	/* 503 past it */
	size_t		 client_queue;	/* bytes queued per client */
	size_t		 queue_budget;	/* bytes queued over all clients */
	int64_t		 ping_ms;
	int64_t		 pong_timeout_ms;
	int64_t		 idle_timeout_ms;
	size_t		 max_client_msg;	/* 1009 past it */
	int		 sndbuf;	/* SO_SNDBUF per client, 0: kernel's */
	unsigned	 history;	/* rooms' history length (resume) */
	int		 lws_verbose;
	int64_t		 request_timeout_ms;	/* accept to upgrade, per request */
	unsigned	 max_pending;	/* pre-upgrade connections at most */
	unsigned	 max_pending_per_ip;	/* of them per address */
	const struct proxyaddr *trust;	/* trusted proxies or NULL; borrowed */
	const char	*tls_cert;	/* PEM files, or NULL: plain */
	const char	*tls_key;
	size_t		 deflate_min;	/* compress messages this long up */
	int		 deflate_off;	/* never negotiate permessage-deflate */
	struct rooms	*rooms;		/* borrowed */
	struct metrics	*metrics;	/* borrowed */
};

/*
 * Loads a TLS certificate chain and its key to check them: 0, or -1 with
 * err set ("tls: ..."). Call before server_new.
 */
int	server_tls_check(const char *cert, const char *key,
	    struct errbuf *err);
/*
 * Returns a new listening server, or NULL with err set. From then until
 * server_free it is cfg->rooms' sink: their messages go to its clients.
 */
struct server *server_new(uv_loop_t *loop, const struct server_cfg *cfg,
	    struct errbuf *err);
/*
 * Closes every client with 1001 and refuses new ones; calls done(arg)
 * once they are gone or after grace_ms.
 */
void	server_shutdown(struct server *s, int64_t grace_ms,
	    void (*done)(void *arg), void *arg);
/* Destroys the lws context; its handles close on the loop. NULL ok. */
void	server_free(struct server *s);
unsigned long server_clients(const struct server *s);
/* Connections not yet upgraded (accepted, counted against the caps). */
unsigned server_pending(const struct server *s);

#endif
