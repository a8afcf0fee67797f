/*
 * service: signals handled inside the loop, and readiness for --ready-fd
 * and systemd's NOTIFY_SOCKET. Never exits but on a second signal.
 */
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "log.h"
#include "service.h"

static uv_signal_t sig_term, sig_int;
static int sig_open;
static int sig_seen;
static void (*stop_fn)(void *, int);
static void *stop_arg;

static void
on_signal(uv_signal_t *h, int signum)
{
	(void)h;
	if (sig_seen++)
		_exit(1);	/* asked twice: the operator means it */
	if (stop_fn)
		stop_fn(stop_arg, signum);
}

int
service_signals(uv_loop_t *loop, void (*on_stop)(void *, int), void *arg,
    struct errbuf *err)
{
	int r;

	signal(SIGPIPE, SIG_IGN);
	stop_fn = on_stop;
	stop_arg = arg;
	if ((r = uv_signal_init(loop, &sig_term)) != 0 ||
	    (r = uv_signal_init(loop, &sig_int)) != 0)
		return errbuf_set(err, "signals: %s", uv_strerror(r));
	sig_open = 1;
	if ((r = uv_signal_start(&sig_term, on_signal, SIGTERM)) != 0 ||
	    (r = uv_signal_start(&sig_int, on_signal, SIGINT)) != 0)
		return errbuf_set(err, "signals: %s", uv_strerror(r));
	/* Signal handles must not keep a finished loop alive. */
	uv_unref((uv_handle_t *)&sig_term);
	uv_unref((uv_handle_t *)&sig_int);
	return 0;
}

void
service_signals_close(void)
{
	if (!sig_open)
		return;
	sig_open = 0;
	uv_close((uv_handle_t *)&sig_term, NULL);
	uv_close((uv_handle_t *)&sig_int, NULL);
}

static int
notify(const char *msg, struct errbuf *err)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa;
	socklen_t len;
	size_t n;
	int fd, r = 0;

	if (path == NULL || *path == '\0')
		return 0;
	n = strlen(path);
	if ((path[0] != '/' && path[0] != '@') || n >= sizeof(sa.sun_path))
		return errbuf_set(err, "NOTIFY_SOCKET: unsupported address");
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, path, n);
	if (path[0] == '@')
		sa.sun_path[0] = '\0';	/* abstract namespace */
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return errbuf_set(err, "NOTIFY_SOCKET: %s", strerror(errno));
	if (sendto(fd, msg, strlen(msg), MSG_NOSIGNAL,
	    (struct sockaddr *)&sa, len) == -1)
		r = errbuf_set(err, "NOTIFY_SOCKET: %s", strerror(errno));
	close(fd);
	return r;
}

int
service_ready(int ready_fd, struct errbuf *err)
{
	int r = 0;

	if (ready_fd >= 0) {
		if (write(ready_fd, "\n", 1) != 1)
			r = errbuf_set(err, "--ready-fd %d: %s", ready_fd,
			    strerror(errno));
		close(ready_fd);
	}
	if (notify("READY=1", err) == -1)
		r = -1;
	return r;
}

void
service_stopping(void)
{
	(void)notify("STOPPING=1", NULL);
}

static void
close_one(uv_handle_t *h, void *arg)
{
	(void)arg;
	if (!uv_is_closing(h))
		uv_close(h, NULL);
}

void
service_loop_close(uv_loop_t *loop)
{
	uv_walk(loop, close_one, NULL);
	uv_run(loop, UV_RUN_DEFAULT);
	uv_loop_close(loop);
}

static void
stop_now(uv_timer_t *h)
{
	struct service *s = h->data;

	uv_close((uv_handle_t *)&s->stop_timer, NULL);
	service_signals_close();
	if (s->on_stop != NULL)
		s->on_stop(s->arg, s->exit_code);
}

static void
stop_on_signal(void *arg, int signum)
{
	log_info("stopping", "signal=%d", signum);
	service_stop(arg, 0);
}

int
service_init(struct service *s, void (*on_stop)(void *arg, int code),
    void *arg, struct errbuf *err)
{
	int r;

	memset(s, 0, sizeof(*s));
	s->on_stop = on_stop;
	s->arg = arg;
	if ((r = uv_loop_init(&s->loop)) != 0)
		return errbuf_set(err, "event loop: %s", uv_strerror(r));
	uv_timer_init(&s->loop, &s->stop_timer);
	s->stop_timer.data = s;
	if (service_signals(&s->loop, stop_on_signal, s, err) != 0) {
		service_loop_close(&s->loop);
		return -1;
	}
	return 0;
}

void
service_stop(struct service *s, int code)
{
	if (s->stopping)
		return;
	s->stopping = 1;
	s->exit_code = code;
	service_stopping();
	uv_timer_start(&s->stop_timer, stop_now, 0, 0);
}

int
service_run(struct service *s, int ready_fd)
{
	struct errbuf err;

	if (!s->stopping && service_ready(ready_fd, &err) != 0)
		log_warn("readiness notification failed", "error=%s",
		    log_str(err.msg));
	uv_run(&s->loop, UV_RUN_DEFAULT);
	if (s->on_ended != NULL)
		s->on_ended(s->arg);
	service_loop_close(&s->loop);
	return s->exit_code;
}
