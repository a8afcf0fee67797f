/*
 * redis: a hiredis async context kept connected on libuv (resolve,
 * connect with a deadline, reconnect with backoff). Must not parse or
 * send application commands; the owner does that from on_up.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hiredis/hiredis.h>
#include <hiredis/async.h>

#include "backoff.h"
#include "redis.h"
#include "redis_uv.h"
#include "timeutil.h"

struct redis_conn {
	uv_loop_t		*loop;
	struct redis_conn_cfg	 cfg;
	redisAsyncContext	*ac;		/* connecting or connected */
	int			 up;
	int			 freeing;
	int			 handles;	/* open uv handles */
	int			 resolving;
	uv_getaddrinfo_t	 gai;
	uv_timer_t		 timer;		/* retry and connect deadline */
	struct backoff		 backoff;
	unsigned long long	 connects;
	char			 why[384];
};

static void	schedule(struct redis_conn *, const char *);

static void
maybe_free(struct redis_conn *rc)
{
	if (rc->freeing && rc->handles == 0 && !rc->resolving &&
	    rc->ac == NULL)
		free(rc);
}

static void
timer_closed(uv_handle_t *h)
{
	struct redis_conn *rc = h->data;

	rc->handles--;
	maybe_free(rc);
}

static void
went_down(struct redis_conn *rc, const char *why)
{
	int was_up = rc->up;

	rc->up = 0;
	if (rc->freeing)
		return;
	if (rc->cfg.on_down != NULL)
		rc->cfg.on_down(rc->cfg.arg, why, was_up);
	schedule(rc, why);
}

static void
on_connected(const redisAsyncContext *ac, int status)
{
	struct redis_conn *rc = ac->data;

	if (rc == NULL || rc->ac != ac)
		return;
	uv_timer_stop(&rc->timer);
	if (status != REDIS_OK) {
		/* hiredis frees the context after this callback. */
		snprintf(rc->why, sizeof(rc->why), "%s", ac->errstr);
		rc->ac = NULL;
		went_down(rc, rc->why);
		maybe_free(rc);
		return;
	}
	rc->up = 1;
	rc->connects++;
	backoff_reset(&rc->backoff);
	if (rc->cfg.on_up != NULL && !rc->freeing)
		rc->cfg.on_up(rc->cfg.arg, rc->ac);
}

static void
on_disconnected(const redisAsyncContext *ac, int status)
{
	struct redis_conn *rc = ac->data;

	if (rc == NULL || rc->ac != ac)
		return;	/* one we dropped ourselves */
	snprintf(rc->why, sizeof(rc->why), "%s", status == REDIS_OK ?
	    "closed" : ac->errstr[0] ? ac->errstr : "connection lost");
	rc->ac = NULL;
	went_down(rc, rc->why);
	maybe_free(rc);
}

static void
connect_to(struct redis_conn *rc, const char *ip)
{
	redisAsyncContext *ac;

	if ((ac = redisAsyncConnect(ip, rc->cfg.url.port)) == NULL) {
		went_down(rc, "out of memory");
		return;
	}
	if (ac->err) {
		snprintf(rc->why, sizeof(rc->why), "%s", ac->errstr);
		redisAsyncFree(ac);
		went_down(rc, rc->why);
		return;
	}
	/*
	 * Keepalive (15 s idle, then probes): a Redis whose machine went
	 * away without a reset is noticed in under a minute, while one
	 * that is merely slow to answer is waited for.
	 */
	(void)redisEnableKeepAlive(&ac->c);
	if (redis_uv_attach(ac, rc->loop) == -1) {
		redisAsyncFree(ac);
		went_down(rc, "cannot attach to the loop");
		return;
	}
	ac->data = rc;
	rc->ac = ac;
	redisAsyncSetConnectCallback(ac, on_connected);
	redisAsyncSetDisconnectCallback(ac, on_disconnected);
}

static void
deadline_cb(uv_timer_t *t)
{
	struct redis_conn *rc = t->data;

	if (rc->ac != NULL && !rc->up)
		redis_conn_drop(rc, "connect timed out");
}

static void
resolved(uv_getaddrinfo_t *req, int status, struct addrinfo *res)
{
	struct redis_conn *rc = req->data;
	char ip[64];
	int r = -1;

	rc->resolving = 0;
	if (rc->freeing || status != 0 || res == NULL) {
		if (res != NULL)
			uv_freeaddrinfo(res);
		if (!rc->freeing) {
			snprintf(rc->why, sizeof(rc->why), "resolve %s: %s",
			    rc->cfg.url.host, uv_strerror(status ? status :
			    UV_EAI_NONAME));
			went_down(rc, rc->why);
		}
		maybe_free(rc);
		return;
	}
	if (res->ai_family == AF_INET)
		r = uv_ip4_name((const struct sockaddr_in *)(void *)res->ai_addr,
		    ip, sizeof(ip));
	else if (res->ai_family == AF_INET6)
		r = uv_ip6_name((const struct sockaddr_in6 *)(void *)
		    res->ai_addr, ip, sizeof(ip));
	uv_freeaddrinfo(res);
	if (r != 0) {
		went_down(rc, "no usable address");
		return;
	}
	uv_timer_start(&rc->timer, deadline_cb,
	    (uint64_t)rc->cfg.connect_timeout_ms, 0);
	connect_to(rc, ip);
}

static void
retry_cb(uv_timer_t *t)
{
	struct redis_conn *rc = t->data;
	struct addrinfo hints;

	if (rc->freeing || rc->ac != NULL || rc->resolving)
		return;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	rc->gai.data = rc;
	rc->resolving = 1;
	if (uv_getaddrinfo(rc->loop, &rc->gai, resolved, rc->cfg.url.host,
	    NULL, &hints) != 0) {
		rc->resolving = 0;
		went_down(rc, "resolve failed");
	}
}

static void
schedule(struct redis_conn *rc, const char *why)
{
	(void)why;
	if (rc->freeing)
		return;
	uv_timer_start(&rc->timer, retry_cb,
	    (uint64_t)backoff_next(&rc->backoff), 0);
}

struct redis_conn *
redis_conn_new(uv_loop_t *loop, const struct redis_conn_cfg *cfg,
    struct errbuf *err)
{
	struct redis_conn *rc;

	if ((rc = errbuf_calloc(sizeof(*rc), err)) == NULL)
		return NULL;
	rc->loop = loop;
	rc->cfg = *cfg;
	if (rc->cfg.base_ms <= 0)
		rc->cfg.base_ms = 100;
	if (rc->cfg.max_ms <= 0)
		rc->cfg.max_ms = 5000;
	if (rc->cfg.connect_timeout_ms <= 0)
		rc->cfg.connect_timeout_ms = 3000;
	backoff_init(&rc->backoff, (uint64_t)time_now_ms() ^
	    (uint64_t)getpid() ^ (uint64_t)(uintptr_t)rc);
	rc->backoff.base_ms = rc->cfg.base_ms;
	rc->backoff.max_ms = rc->cfg.max_ms;
	rc->backoff.give_up = 0;
	uv_timer_init(loop, &rc->timer);
	rc->timer.data = rc;
	rc->handles = 1;
	uv_timer_start(&rc->timer, retry_cb, 0, 0);
	return rc;
}

redisAsyncContext *
redis_conn_ctx(const struct redis_conn *rc)
{
	return rc != NULL && rc->up ? rc->ac : NULL;
}

unsigned long long
redis_conn_connects(const struct redis_conn *rc)
{
	return rc->connects;
}

void
redis_conn_drop(struct redis_conn *rc, const char *why)
{
	redisAsyncContext *ac = rc->ac;

	if (ac == NULL)
		return;
	/* Detach first: our own disconnect callback must not fire twice. */
	rc->ac = NULL;
	ac->data = NULL;
	uv_timer_stop(&rc->timer);
	redisAsyncFree(ac);
	went_down(rc, why);
}

void
redis_conn_free(struct redis_conn *rc)
{
	redisAsyncContext *ac;

	if (rc == NULL || rc->freeing)
		return;
	rc->freeing = 1;
	if ((ac = rc->ac) != NULL) {
		rc->ac = NULL;
		ac->data = NULL;
		redisAsyncFree(ac);
	}
	if (rc->resolving)
		uv_cancel((uv_req_t *)&rc->gai);
	uv_close((uv_handle_t *)&rc->timer, timer_closed);
}
