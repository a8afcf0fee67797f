/*
 * kalshi_ws: the WebSocket connection to Kalshi, a thin libwebsockets
 * client on the caller's libuv loop. It connects, signs the handshake,
 * queues text messages out and hands whole text messages in. It decides
 * nothing: retries, timers and parsing belong to the caller.
 */
#ifndef KALSHI_WS_H
#define KALSHI_WS_H

#include <stddef.h>
#include <uv.h>

#include "errbuf.h"
#include "kalshi_sign.h"

#define KWS_MAX_MESSAGE	(1024 * 1024)

struct kws;

struct kws_cfg {
	const char	*url;		/* ws://host[:port]/path or wss://... */
	struct kalshi_key *key;		/* NULL: unsigned handshake */
	const char	*key_id;
	const char	*ca_file;	/* PEM CA bundle for wss, or NULL */
	/* The handshake completed. */
	void		(*on_open)(void *arg);
	/* One whole text message (borrowed). */
	void		(*on_message)(void *arg, const char *buf, size_t len);
	/* A pong arrived (the connection is alive). */
	void		(*on_pong)(void *arg);
	/*
	 * The attempt failed or the connection ended; called once per
	 * kws_connect. why is a constant phrase; http_status is the
	 * handshake answer's status when there was one, else 0.
	 */
	void		(*on_close)(void *arg, const char *why, int http_status);
	void		*arg;
};

/* Returns a new client (no connection yet), or NULL with err set. */
struct kws *kws_new(uv_loop_t *loop, const struct kws_cfg *cfg,
	    struct errbuf *err);
/* Starts one connection attempt. Returns 0, or -1 with err set. */
int	kws_connect(struct kws *k, struct errbuf *err);
/* 1 while a connection is open (handshake done). */
int	kws_is_open(const struct kws *k);
/* Queues a text message; copies it. Returns 0, or -1 when not open. */
int	kws_send(struct kws *k, const char *text, size_t len);
/* Queues a ping. */
int	kws_ping(struct kws *k);
/* Ends the current connection (on_close follows). */
void	kws_drop(struct kws *k);
/*
 * Destroys the lws context: the caller then runs the loop until lws has
 * closed its handles. NULL is a no-op. on_close is not called.
 */
void	kws_free(struct kws *k);

#endif
