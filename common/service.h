/*
 * service: what every long-running tool does around its loop: SIGTERM
 * and SIGINT stop it gracefully from inside the loop, SIGPIPE is ignored,
 * and readiness goes to --ready-fd and to systemd's NOTIFY_SOCKET.
 */
#ifndef COURTSIDE_SERVICE_H
#define COURTSIDE_SERVICE_H

#include <uv.h>
#include "errbuf.h"

/*
 * Installs SIGTERM/SIGINT handlers on loop that call on_stop(arg, signum)
 * (a second signal exits at once with status 1); ignores SIGPIPE.
 * Returns 0 or -1 with err set.
 */
int	service_signals(uv_loop_t *loop, void (*on_stop)(void *arg, int signum),
	    void *arg, struct errbuf *err);
/* Closes the signal handles so the loop can end. */
void	service_signals_close(void);
/*
 * Once really serving: writes "\n" to ready_fd (if >= 0) and closes it;
 * sends READY=1 to $NOTIFY_SOCKET when set. Returns 0 or -1 with err set.
 */
int	service_ready(int ready_fd, struct errbuf *err);
/* Sends "STOPPING=1" to NOTIFY_SOCKET (no-op when unset). */
void	service_stopping(void);
/* Closes every handle still open on loop and runs it until they are gone. */
void	service_loop_close(uv_loop_t *loop);

#endif
