/*
 * redis: one hiredis async connection on a libuv loop, kept up. The host
 * is resolved with uv_getaddrinfo (never a blocking lookup), a connect
 * that fails or does not finish in time is retried with backoff, and a
 * connection that drops is made again. The owner sends its commands on
 * the context it is handed in on_up; a reply callback gets a NULL reply
 * when the connection went away first. Does not interpret replies.
 */
#ifndef COURTSIDE_REDIS_H
#define COURTSIDE_REDIS_H

#include <stdint.h>
#include <uv.h>
#include <hiredis/async.h>

#include "errbuf.h"
#include "redis_url.h"

struct redis_conn;

struct redis_conn_cfg {
	struct redis_url url;		/* copied */
	int64_t		 base_ms;	/* first retry delay; 0: 100 */
	int64_t		 max_ms;	/* retry ceiling; 0: 5000 */
	int64_t		 connect_timeout_ms;	/* 0: 3000 */
	/* Connected: commands may be sent on ac (borrowed, valid until
	 * on_down). */
	void		(*on_up)(void *arg, redisAsyncContext *ac);
	/* The connection was lost or a connect failed (why: borrowed). */
	void		(*on_down)(void *arg, const char *why, int was_up);
	void		*arg;
};

/* Returns a new connection (connecting at once), or NULL with err set. */
struct redis_conn *redis_conn_new(uv_loop_t *loop,
	    const struct redis_conn_cfg *cfg, struct errbuf *err);
/* The context while connected, else NULL. Borrowed. */
redisAsyncContext *redis_conn_ctx(const struct redis_conn *rc);
/*
 * Drops the connection now (pending replies get NULL) and reconnects
 * after a backoff delay: for a peer that stopped answering.
 */
void	redis_conn_drop(struct redis_conn *rc, const char *why);
unsigned long long redis_conn_connects(const struct redis_conn *rc);
/* Disconnects; memory is freed once libuv has closed the handles. NULL
 * ok. No callback is called after this. */
void	redis_conn_free(struct redis_conn *rc);

#endif
