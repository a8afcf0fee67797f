/*
 * server: the HTTP/1.1 side of live-games, libwebsockets' HTTP role on
 * the process's libuv loop. Thin adapter: it classifies a request
 * (route.h), asks the application for an answer and writes it; it holds
 * no application state. It also keeps the network edge: its own
 * listener with per-address and total caps, a deadline on every
 * connection, no WebSocket or h2c upgrades, no ambiguous body framing,
 * optional TLS, and the client address behind trusted proxies.
 */
#ifndef LIVE_SERVER_H
#define LIVE_SERVER_H

#include <stddef.h>
#include <stdint.h>
#include <uv.h>
#include "errbuf.h"
#include "proxyaddr.h"
#include "route.h"

/*
 * blob: an encoded response body shared by every request that sends it.
 * Reference counted; blob_unref(NULL) is a no-op.
 */
struct blob;
/* Returns a new blob holding a copy of len bytes, one reference, or NULL. */
struct blob *blob_new(const char *data, size_t len);
/* The same, taking ownership of a malloc'd buffer (freed here, always). */
struct blob *blob_take(char *data, size_t len);
struct blob *blob_ref(struct blob *b);
void	blob_unref(struct blob *b);

struct resp {
	int		 status;
	const char	*ctype;		/* NULL: application/json */
	struct blob	*body;		/* a reference the server takes */
};

struct server;

struct server_cfg {
	const char	*iface;		/* NULL: every interface */
	int		 port;		/* 0: any */
	const char	*cors_origin;	/* NULL: no CORS headers */
	unsigned	 max_header;	/* bytes of request headers */
	unsigned	 max_pending;	/* connections at most; 0: no cap */
	unsigned	 max_pending_per_ip; /* from one address; 0: no cap */
	int64_t		 request_timeout_ms; /* every phase's deadline; 0: 5 s */
	const char	*tls_cert;	/* PEM files; NULL: plain HTTP */
	const char	*tls_key;
	/*
	 * Proxies whose X-Forwarded-For is believed, and whose connections
	 * are not capped per address; borrowed; NULL: none.
	 */
	const struct proxyaddr *trust;
	/*
	 * Answer a request: fill *r and return 0, or return 1 to park it
	 * until server_wake(). route is never ROUTE_PREFLIGHT (answered
	 * here). waited_ms: how long it has been parked so far, 0 exactly
	 * on the first call for a request.
	 */
	int		(*on_request)(void *arg, enum route route,
			    long long waited_ms, struct resp *r);
	void		*arg;
};

/*
 * Returns a new listening server on loop, or NULL with err set; *config
 * is set when the fault is the configuration (a certificate or key that
 * does not load), so that main exits 78 rather than 71.
 */
struct server *server_new(uv_loop_t *loop, const struct server_cfg *cfg,
	    int *config, struct errbuf *err);
/* The port really listened on; 0 when not listening. */
int	server_port(const struct server *s);
/* Asks on_request again for every parked request. */
void	server_wake(struct server *s);
/* How many requests are parked now. */
size_t	server_parked(const struct server *s);
/*
 * Starts closing every connection and the listener; the loop must run
 * for it to finish. Then server_free, after the loop. NULL ok.
 */
void	server_stop(struct server *s);
void	server_free(struct server *s);

#endif
