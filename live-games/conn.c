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
unlink_conn(struct conn *c)
{
	if (c->prevp == NULL)
		return;
	*c->prevp = c->next;
	if (c->next != NULL)
		c->next->prevp = c->prevp;
	c->next = NULL;
	c->prevp = NULL;
	c->set->n--;
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
	c->next = set->head;
	if (set->head != NULL)
		set->head->prevp = &c->next;
	set->head = c;
	c->prevp = &set->head;
	set->n++;
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
	unlink_conn(c);
	if (c->wsi != NULL)
		lws_set_opaque_user_data(c->wsi, NULL);
	c->wsi = NULL;
	uv_timer_stop(&c->timer);
	uv_close((uv_handle_t *)&c->timer, on_closed);
}

void
conns_fini(struct conns *set)
{
	while (set->head != NULL)
		conn_free(set->head);
}
