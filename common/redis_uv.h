/*
 * redis_uv: hiredis's event hooks on a libuv poll handle, in place of
 * the adapter Debian's hiredis 0.14 ships. That one drops a poll error
 * (libuv reports a reset connection, EPOLLERR, as a status and stops
 * polling), so a Redis that died with a command unread never tells the
 * context, and a reader waits forever. Here an error is handed to
 * hiredis as a read, which finds the reset and disconnects. The
 * context owns the hooks' memory: it is freed on its cleanup.
 */
#ifndef COURTSIDE_REDIS_UV_H
#define COURTSIDE_REDIS_UV_H

#include <uv.h>
#include <hiredis/async.h>

/* Attaches ac to loop: 0, or -1 (ac is then left unattached). */
int	redis_uv_attach(redisAsyncContext *ac, uv_loop_t *loop);

#endif
