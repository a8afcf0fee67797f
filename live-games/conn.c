/*
 * conn: one libuv timer per connection, the phase deadline. On expiry
 * lws closes the wsi at once (lws_set_timeout, kill sync), whatever
 * state it had left it in. Memory is freed only in the timer's
 * close callback (libuv's rule), after lws has dropped the wsi.
 */
#include <stdlib.h>
#include <string.h>
#include <libwebsockets.h>

#include "conn.h"
#include "link.h"
#include "log.h"

static struct ratelimit timeout_rl = RATELIMIT_INIT(60000, 10);

void
conns_init(struct conns *set, uv_loop_t *loop, int64_t timeout_ms)
{
	memset(set, 0, sizeof(*set));
	set->loop = loop;
	set->timeout_ms = timeout_ms;
}

static void
on_closed(uv_handle_t *h)
{
	free(h->data);
}

static void
on_deadline(uv_timer_t *t)
{
	struct conn *c = t->data;

	if (c->wsi == NULL)
		return;
	c->set->timeouts++;
	/* An idle keep-alive connection ending is routine; the rest not. */
	log_rl(&timeout_rl, c->idle ? LOG_LVL_DEBUG : LOG_LVL_INFO,
	    "connection timed out", "client=%s phase=%s timeout_ms=%lld",
	    log_str(c->addr), c->idle ? "idle" : "request",
	    (long long)c->set->timeout_ms);
	/*
	 * No lws frame is on the stack here, so lws may close it now, in
	 * whatever state it is (its async kill, a zero timeout, never
	 * fires in 4.1). c is freed meanwhile (WSI_DESTROY): not touched.
	 */
	lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_SYNC);
}

struct conn *
conn_new(struct conns *set, struct lws *wsi)
{
	struct conn *c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->set = set;
	c->wsi = wsi;
	if (uv_timer_init(set->loop, &c->timer) != 0) {
		free(c);
		return NULL;
	}
	c->timer.data = c;
	PLINK_ADD(set->head, set->n, c, next, prevp);
	lws_set_opaque_user_data(wsi, c);
	conn_arm(c, 0);
	return c;
}

struct conn *
conn_of(struct lws *wsi)
{
	return wsi != NULL ? lws_get_opaque_user_data(wsi) : NULL;
}

void
conn_arm(struct conn *c, int idle)
{
	if (c == NULL || c->wsi == NULL)
		return;
	c->idle = idle;
	uv_timer_start(&c->timer, on_deadline, (uint64_t)c->set->timeout_ms,
	    0);
}

void
conn_disarm(struct conn *c)
{
	if (c != NULL)
		uv_timer_stop(&c->timer);
}

void
conn_free(struct conn *c)
{
	if (c == NULL)
		return;
	PLINK_DEL(c->set->n, c, next, prevp);
	if (c->wsi != NULL)
		lws_set_opaque_user_data(c->wsi, NULL);
	c->wsi = NULL;
	uv_timer_stop(&c->timer);
	uv_close((uv_handle_t *)&c->timer, on_closed);
}

/*
 * Every X-Forwarded-For field joined with commas into buf. Returns 0, 1
 * when there is none, -1 when they do not fit (proxyaddr would refuse
 * them as too long anyway).
 */
static int
forwarded_for(struct lws *wsi, char *buf, size_t cap)
{
	size_t used = 0;
	int i, n;

	for (i = 0; lws_hdr_fragment_length(wsi, WSI_TOKEN_X_FORWARDED_FOR,
	    i) > 0; i++) {
		if (used > 0) {
			if (used + 1 >= cap)
				return -1;
			buf[used++] = ',';
		}
		n = lws_hdr_copy_fragment(wsi, buf + used, (int)(cap - used),
		    WSI_TOKEN_X_FORWARDED_FOR, i);
		if (n < 0)
			return -1;
		used += (size_t)n;
	}
	buf[used] = '\0';
	return i == 0 ? 1 : 0;
}

int
conn_client(struct conn *c, const struct proxyaddr *pa)
{
	char xff[PROXYADDR_MAX_HEADER + 1], xri[PROXYADDR_STRLEN + 16];
	int rc, have_xri;

	memcpy(c->addr, c->peer, sizeof(c->addr));
	if (pa == NULL || c->wsi == NULL || !proxyaddr_trusted(pa, c->peer))
		return PROXYADDR_PEER;
	if ((rc = forwarded_for(c->wsi, xff, sizeof(xff))) == -1)
		return PROXYADDR_MALFORMED;
	have_xri = lws_hdr_total_length(c->wsi, WSI_TOKEN_HTTP_X_REAL_IP) > 0;
	if (have_xri && lws_hdr_copy(c->wsi, xri, (int)sizeof(xri),
	    WSI_TOKEN_HTTP_X_REAL_IP) < 0)
		return PROXYADDR_MALFORMED;
	return (int)proxyaddr_client(pa, c->peer, rc == 0 ? xff : NULL,
	    have_xri ? xri : NULL, c->addr, sizeof(c->addr));
}

void
conns_fini(struct conns *set)
{
	while (set->head != NULL)
		conn_free(set->head);
}
