/*
 * rxguard: every WebSocket client's bytes are checked (wscheck_rx) as
 * they come off its socket, before libwebsockets parses them, because
 * lws 4.1's server parser takes unmasked client frames that RFC 6455
 * §5.1 says must close the connection. It works by defining recv(),
 * SSL_read(), SSL_get_error() and SSL_want(), which lws calls through
 * the PLT and so reach this executable's definitions first; a socket
 * that is not watched passes straight through. One table per process, indexed by
 * fd; server.c owns it and each client's struct wscheck_rx.
 */
#ifndef FANOUT_RXGUARD_H
#define FANOUT_RXGUARD_H

#include <uv.h>

#include "wscheck.h"

/*
 * Sizes the table for fds below max_fd; on_bad(owner) is called from
 * the loop (never from inside a read) once per connection whose client
 * sent an unmasked frame. 0, or -1 when out of memory.
 */
int	rxguard_init(uv_loop_t *loop, int max_fd, void (*on_bad)(void *owner));
/* Checks fd's bytes from now on into rx (zeroed here); owner is on_bad's. */
void	rxguard_watch(int fd, struct wscheck_rx *rx, void *owner);
/* Stops checking fd (before it is closed and its number reused). */
void	rxguard_forget(int fd);
/* Frees the table. */
void	rxguard_fini(void);

#endif
