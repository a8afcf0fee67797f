/*
 * test_accept: common/accept.c on a real loop and real sockets: the
 * per-address cap closes at once, the total cap holds the rest in the
 * backlog until tokens come back, and out of descriptors (EMFILE, made
 * here with a low RLIMIT_NOFILE) it pauses instead of spinning, then
 * accepts the waiting connections once descriptors are free again.
 */
#include <sys/resource.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>

#include "t.h"

#include "accept.h"
#include "log.h"

#define MAXC 64

static int accepted_fd[MAXC];
static struct iplimit_ent *tok[MAXC];
static int naccepted, nrefused;

static int
on_accept(void *arg, int fd, const char *ip, struct iplimit_ent *t)
{
	(void)arg;
	(void)ip;
	if (naccepted >= MAXC) {
		close(fd);
		return -1;
	}
	accepted_fd[naccepted] = fd;
	tok[naccepted++] = t;
	return 0;
}

static void
on_refuse(void *arg, const char *ip, enum accept_refusal why)
{
	(void)arg;
	(void)ip;
	(void)why;
	nrefused++;
}

static void
on_stop(uv_timer_t *t)
{
	uv_stop(t->loop);
}

static void
run_for(uv_loop_t *loop, uint64_t ms)
{
	uv_timer_t t;

	uv_timer_init(loop, &t);
	uv_timer_start(&t, on_stop, ms, 0);
	uv_run(loop, UV_RUN_DEFAULT);
	uv_close((uv_handle_t *)&t, NULL);
	uv_run(loop, UV_RUN_NOWAIT);
}

static int
free_port(void)
{
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);
	int fd = socket(AF_INET, SOCK_STREAM, 0), port;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	(void)bind(fd, (struct sockaddr *)&sin, sizeof(sin));
	(void)getsockname(fd, (struct sockaddr *)&sin, &sl);
	port = ntohs(sin.sin_port);
	close(fd);
	return port;
}

static int
dial(int port, const char *src)
{
	struct sockaddr_in sin;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	inet_pton(AF_INET, src, &sin.sin_addr);
	(void)bind(fd, (struct sockaddr *)&sin, sizeof(sin));
	sin.sin_port = htons((uint16_t)port);
	inet_pton(AF_INET, "127.0.0.1", &sin.sin_addr);
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

static void
reset(struct acceptor *a)
{
	int i;

	for (i = 0; i < naccepted; i++) {
		acceptor_release(a, tok[i]);
		close(accepted_fd[i]);
	}
	naccepted = nrefused = 0;
}

static double
cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

int
main(void)
{
	struct acceptor_cfg cfg;
	struct acceptor *a;
	struct errbuf err;
	struct rlimit rl, low;
	uv_loop_t loop;
	int cl[40], i, n, port = free_port(), maxfd = 0;
	double cpu;

	log_init("test_accept", LOG_LVL_ERROR);
	uv_loop_init(&loop);
	memset(&cfg, 0, sizeof(cfg));
	cfg.host = "127.0.0.1";
	cfg.port = port;
	cfg.max_pending = 8;
	cfg.max_pending_per_addr = 3;
	cfg.on_accept = on_accept;
	cfg.on_refuse = on_refuse;
	a = acceptor_new(&loop, &cfg, &err);
	T_CHECK(a != NULL);
	if (a == NULL)
		return t_done("test_accept");
	/* A second one on the same port fails with the reason. */
	T_CHECK(acceptor_new(&loop, &cfg, &err) == NULL);
	T_CHECK(strstr(err.msg, "cannot listen on 127.0.0.1:") != NULL);

	/* Per address: 3 of 5 from 127.0.0.2 kept, 2 closed at once. */
	for (i = 0; i < 5; i++)
		cl[i] = dial(port, "127.0.0.2");
	run_for(&loop, 100);
	T_EQ_INT(naccepted, 3);
	T_EQ_INT(nrefused, 2);
	T_EQ_INT(acceptor_pending_of(a, "127.0.0.2"), 3);
	reset(a);
	for (i = 0; i < 5; i++)
		close(cl[i]);
	T_EQ_INT(acceptor_pending(a), 0);

	/* Total: 8 kept, the other 4 wait until tokens come back. */
	for (i = 0; i < 12; i++)
		cl[i] = dial(port, i % 4 == 0 ? "127.0.0.3" : i % 4 == 1 ?
		    "127.0.0.4" : i % 4 == 2 ? "127.0.0.5" : "127.0.0.6");
	run_for(&loop, 100);
	T_EQ_INT(naccepted, 8);
	T_EQ_INT(nrefused, 0);
	T_EQ_INT(acceptor_full_waits(a), 1);
	for (i = 0; i < 4; i++)
		acceptor_release(a, tok[i]);
	run_for(&loop, 100);
	T_EQ_INT(naccepted, 12);
	for (i = 4; i < 12; i++)
		acceptor_release(a, tok[i]);
	for (i = 0; i < 12; i++) {
		close(accepted_fd[i]);
		close(cl[i]);
	}
	naccepted = 0;

	/* Out of descriptors: pauses, no spinning, then catches up. */
	acceptor_free(a);
	run_for(&loop, 10);
	cfg.max_pending = 0;
	cfg.max_pending_per_addr = 0;
	a = acceptor_new(&loop, &cfg, &err);
	T_CHECK(a != NULL);
	if (a == NULL)
		return t_done("test_accept");
	for (i = 0; i < 30; i++) {
		cl[i] = dial(port, "127.0.0.7");
		if (cl[i] > maxfd)
			maxfd = cl[i];
	}
	getrlimit(RLIMIT_NOFILE, &rl);
	low = rl;
	low.rlim_cur = (rlim_t)maxfd + 1 + 5;	/* room for 5 more */
	setrlimit(RLIMIT_NOFILE, &low);
	cpu = cpu_s();
	run_for(&loop, 600);
	cpu = cpu_s() - cpu;
	n = naccepted;
	T_CHECK(n <= 5);
	T_CHECK(acceptor_fd_pauses(a) >= 1);
	/* 100 ms pauses: a handful in 600 ms, not millions. */
	T_CHECK(acceptor_fd_pauses(a) <= 8);
	T_CHECK(cpu < 0.2);
	setrlimit(RLIMIT_NOFILE, &rl);
	run_for(&loop, 300);
	T_EQ_INT(naccepted, 30);
	reset(a);
	for (i = 0; i < 30; i++)
		close(cl[i]);
	acceptor_free(a);
	run_for(&loop, 10);
	T_EQ_INT(uv_loop_close(&loop), 0);
	return t_done("test_accept");
}
