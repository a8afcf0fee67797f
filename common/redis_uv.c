/*
 * redis_uv: hiredis's event hooks on a libuv poll handle (see
 * redis_uv.h for why this is not hiredis's own adapter).
 */
#include <stdlib.h>

#include "redis_uv.h"

struct hooks {
	redisAsyncContext	*ac;	/* NULL once hiredis cleaned up */
	uv_poll_t		 poll;
	int			 events;
};

static void
on_poll(uv_poll_t *h, int status, int events)
{
	struct hooks *k = h->data;

	/*
	 * An error (a reset) stopped the handle: let hiredis read, so it
	 * meets the error itself and runs its disconnect path.
	 */
	if (status < 0)
		events = k->events | UV_READABLE;
	if (k->ac != NULL && (events & UV_READABLE))
		redisAsyncHandleRead(k->ac);
	if (k->ac != NULL && (events & UV_WRITABLE))
		redisAsyncHandleWrite(k->ac);
}

static void
set_events(struct hooks *k, int events)
{
	k->events = events;
	if (events != 0)
		(void)uv_poll_start(&k->poll, events, on_poll);
	else
		(void)uv_poll_stop(&k->poll);
}

static void
add_read(void *p)
{
	struct hooks *k = p;

	set_events(k, k->events | UV_READABLE);
}

static void
del_read(void *p)
{
	struct hooks *k = p;

	set_events(k, k->events & ~UV_READABLE);
}

static void
add_write(void *p)
{
	struct hooks *k = p;

	set_events(k, k->events | UV_WRITABLE);
}

static void
del_write(void *p)
{
	struct hooks *k = p;

	set_events(k, k->events & ~UV_WRITABLE);
}

static void
closed(uv_handle_t *h)
{
	free(h->data);
}

/* hiredis is done with the context: no callback may reach it now. */
static void
cleanup(void *p)
{
	struct hooks *k = p;

	k->ac = NULL;
	uv_close((uv_handle_t *)&k->poll, closed);
}

int
redis_uv_attach(redisAsyncContext *ac, uv_loop_t *loop)
{
	struct hooks *k;

	if (ac->ev.data != NULL || (k = calloc(1, sizeof(*k))) == NULL)
		return -1;
	if (uv_poll_init(loop, &k->poll, ac->c.fd) != 0) {
		free(k);
		return -1;
	}
	k->ac = ac;
	k->poll.data = k;
	ac->ev.data = k;
	ac->ev.addRead = add_read;
	ac->ev.delRead = del_read;
	ac->ev.addWrite = add_write;
	ac->ev.delWrite = del_write;
	ac->ev.cleanup = cleanup;
	return 0;
}
