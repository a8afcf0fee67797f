/*
 * lwstls: how the HTTP/WebSocket servers (live-games, ws-fanout) ask
 * libwebsockets for TLS: the certificate chain and key by path, HTTP/1.1
 * only (no h2 by ALPN: an h2 connection's streams are not the socket our
 * deadlines, counts and limits follow). Sets creation info; opens nothing,
 * checks nothing (the caller checks the files first).
 */
#ifndef COURTSIDE_LWSTLS_H
#define COURTSIDE_LWSTLS_H

#include <libwebsockets.h>

/*
 * Sets info up for TLS with cert (a PEM chain) and key, when cert is not
 * NULL; else leaves info in the clear. Borrows cert and key: they must
 * outlive lws_create_context.
 */
void	lwstls_server(struct lws_context_creation_info *info, const char *cert,
	    const char *key);

#endif
