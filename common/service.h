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

/*
 * The skeleton of a tool's main(): a loop, signals that stop it, a stop
 * that is always deferred, readiness, and one close of everything.
 *
 *	service_init(&svc, teardown, tool, &err);
 *	... wiring; on failure service_stop(&svc, EXIT_...) ...
 *	return service_run(&svc, ready_fd);
 */
struct service {
	uv_loop_t	 loop;
	uv_timer_t	 stop_timer;
	void		(*on_stop)(void *arg, int code);
	void		*arg;
	int		 stopping;	/* service_stop was called */
	int		 exit_code;	/* the first stop's code */
	/*
	 * Optional, set after service_init: called once the loop has run
	 * out, before service_run closes every handle left, to free what
	 * owns handles of its own (a libwebsockets context) while they are
	 * still open.
	 */
	void		(*on_ended)(void *arg);
};

/*
 * Initialises the loop and the signal handlers (SIGTERM, SIGINT: a stop
 * with code 0). on_stop(arg, code) tears the tool down (closes its
 * handles, lingers on its output); it runs once, from its own loop turn,
 * never inside another library's callback. Returns 0, or -1 with err set
 * (nothing to undo then).
 */
int	service_init(struct service *s, void (*on_stop)(void *arg, int code),
	    void *arg, struct errbuf *err);
/*
 * Asks the service to stop with code (sysexits). Idempotent: the first
 * code wins. Never calls on_stop itself: that waits for the next turn.
 */
void	service_stop(struct service *s, int code);
/*
 * Signals readiness (unless already stopping), runs the loop until the
 * tool's handles are gone, then closes every handle left and the loop,
 * once. Returns the exit code.
 */
int	service_run(struct service *s, int ready_fd);

#endif
