/*
 * accept: our own listening sockets on libuv (uv_poll on raw fds, so
 * that accept4's errno is ours to act on), the per-address and total
 * count of pending connections, and the EMFILE pause. Logs only the
 * rate-limited EMFILE warning, from its own loop callback.
 */
#define _GNU_SOURCE	/* accept4 */
#include <sys/socket.h>
#include <sys/types.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accept.h"
#include "log.h"

#define ACCEPTS_PER_EVENT	64

struct listener {
	struct acceptor	*a;
	uv_poll_t	 poll;
	int		 fd;
};

struct acceptor {
	uv_loop_t		*loop;
	struct acceptor_cfg	 cfg;
	struct listener		 l[ACCEPT_MAX_LISTENERS];
	unsigned		 nl;
	uv_timer_t		 pause;
	struct iplimit		*ips;
	unsigned		 pending;
	unsigned long		 fd_pauses, full_waits;
	int			 paused, full, stopped, open_handles;
	struct ratelimit	 rl;
};

static void	on_readable(uv_poll_t *, int, int);

static int
bind_one(const struct addrinfo *ai, int backlog, int *fdp, struct errbuf *err)
{
	int fd, one = 1;

	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, ai->ai_protocol);
	if (fd == -1)
		return -1;
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	/* Each address its own socket: :: must not take the IPv4 port. */
	if (ai->ai_family == AF_INET6)
		(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one,
		    sizeof(one));
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) == -1 ||
	    listen(fd, backlog) == -1) {
		errbuf_set(err, "%s", strerror(errno));
		close(fd);
		return -1;
	}
	*fdp = fd;
	return 0;
}

static void
handle_closed(uv_handle_t *h)
{
	struct acceptor *a = h->data;
	unsigned i;

	if (--a->open_handles == 0) {
		for (i = 0; i < a->nl; i++)
			close(a->l[i].fd);
		iplimit_free(a->ips);
		free(a);
	}
}

struct acceptor *
acceptor_new(uv_loop_t *loop, const struct acceptor_cfg *cfg,
    struct errbuf *err)
{
	struct addrinfo hints, *res = NULL, *ai;
	struct acceptor *a;
	struct errbuf berr;
	char host[256], port[16];
	const char *h = NULL;
	size_t n;
	int rc, fd;
	unsigned i;

	if ((a = errbuf_calloc(sizeof(*a), err)) == NULL)
		return NULL;
	a->loop = loop;
	a->cfg = *cfg;
	if (a->cfg.backlog <= 0)
		a->cfg.backlog = 4096;	/* the kernel caps it (somaxconn) */
	if (a->cfg.pause_ms <= 0)
		a->cfg.pause_ms = 100;
	a->rl = (struct ratelimit)RATELIMIT_INIT(10000, 1);
	if ((a->ips = iplimit_new(1024)) == NULL) {
		errbuf_set(err, "out of memory");
		goto fail;
	}
	if (cfg->host != NULL && cfg->host[0] != '\0') {
		n = strlen(cfg->host);
		if (cfg->host[0] == '[' && n > 2 && cfg->host[n - 1] == ']')
			snprintf(host, sizeof(host), "%.*s", (int)(n - 2),
			    cfg->host + 1);
		else
			snprintf(host, sizeof(host), "%s", cfg->host);
		h = host;
	}
	snprintf(port, sizeof(port), "%d", cfg->port);
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if ((rc = getaddrinfo(h, port, &hints, &res)) != 0) {
		errbuf_set(err, "cannot listen on %s:%d: %s",
		    cfg->host ? cfg->host : "*", cfg->port, gai_strerror(rc));
		goto fail;
	}
	berr.msg[0] = '\0';
	for (ai = res; ai != NULL && a->nl < ACCEPT_MAX_LISTENERS;
	    ai = ai->ai_next) {
		if (bind_one(ai, a->cfg.backlog, &fd, &berr) == -1) {
			/* A wildcard on a host without IPv6 is fine. */
			if (h == NULL && ai->ai_family == AF_INET6 &&
			    errno == EAFNOSUPPORT)
				continue;
			errbuf_set(err, "cannot listen on %s:%d: %s",
			    cfg->host ? cfg->host : "*", cfg->port,
			    berr.msg[0] ? berr.msg : strerror(errno));
			goto fail;
		}
		a->l[a->nl].fd = fd;
		a->l[a->nl].a = a;
		a->nl++;
	}
	freeaddrinfo(res);
	res = NULL;
	if (a->nl == 0) {
		errbuf_set(err, "cannot listen on %s:%d: no address",
		    cfg->host ? cfg->host : "*", cfg->port);
		goto fail;
	}
	for (i = 0; i < a->nl; i++) {
		uv_poll_init_socket(loop, &a->l[i].poll, a->l[i].fd);
		a->l[i].poll.data = &a->l[i];
		uv_poll_start(&a->l[i].poll, UV_READABLE, on_readable);
	}
	uv_timer_init(loop, &a->pause);
	a->pause.data = a;
	return a;
fail:
	if (res != NULL)
		freeaddrinfo(res);
	for (i = 0; i < a->nl; i++)
		close(a->l[i].fd);
	iplimit_free(a->ips);
	free(a);
	return NULL;
}

static void
set_polling(struct acceptor *a, int on)
{
	unsigned i;

	for (i = 0; i < a->nl; i++)
		if (on)
			uv_poll_start(&a->l[i].poll, UV_READABLE, on_readable);
		else
			uv_poll_stop(&a->l[i].poll);
}

static void
on_pause_end(uv_timer_t *t)
{
	struct acceptor *a = t->data;

	a->paused = 0;
	if (!a->stopped && !a->full)
		set_polling(a, 1);
}

/*
 * Out of descriptors: every listener waits pause_ms (the kernel keeps
 * the backlog), so the loop serves the connections it has instead of
 * failing the same accept again at full speed.
 */
static void
pause_accepting(struct acceptor *a, int error)
{
	a->fd_pauses++;
	log_rl(&a->rl, LOG_LVL_WARN, "accept paused",
	    "error=%s pause_ms=%lld pending=%u", log_str(strerror(error)),
	    (long long)a->cfg.pause_ms, a->pending);
	a->paused = 1;
	set_polling(a, 0);
	uv_timer_start(&a->pause, on_pause_end, (uint64_t)a->cfg.pause_ms, 0);
}

static void
peer_text(const struct sockaddr_storage *ss, char *out, size_t len)
{
	char tmp[PROXYADDR_STRLEN] = "?";

	if (ss->ss_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)ss)->sin_addr,
		    tmp, sizeof(tmp));
	else if (ss->ss_family == AF_INET6)
		inet_ntop(AF_INET6,
		    &((const struct sockaddr_in6 *)ss)->sin6_addr, tmp,
		    sizeof(tmp));
	(void)proxyaddr_canon(tmp, out, len);
}

static void
refuse(struct acceptor *a, int fd, const char *ip, enum accept_refusal why)
{
	close(fd);
	if (a->cfg.on_refuse != NULL)
		a->cfg.on_refuse(a->cfg.arg, ip, why);
}

static void
take(struct acceptor *a, int fd, const struct sockaddr_storage *ss)
{
	struct iplimit_ent *tok;
	char ip[PROXYADDR_STRLEN];

	peer_text(ss, ip, sizeof(ip));
	if (a->cfg.max_pending_per_addr &&
	    iplimit_count(a->ips, ip) >= a->cfg.max_pending_per_addr &&
	    !proxyaddr_trusted(a->cfg.exempt, ip)) {
		refuse(a, fd, ip, ACCEPT_REFUSED_PER_ADDR);
		return;
	}
	if ((tok = iplimit_take(a->ips, ip)) == NULL) {
		refuse(a, fd, ip, ACCEPT_REFUSED_NOMEM);
		return;
	}
	a->pending++;
	if (a->cfg.on_accept(a->cfg.arg, fd, ip, tok) == -1)
		acceptor_release(a, tok);
}

static void
on_readable(uv_poll_t *p, int status, int events)
{
	struct listener *l = p->data;
	struct acceptor *a = l->a;
	struct sockaddr_storage ss;
	socklen_t sl;
	int fd, i;

	(void)events;
	if (status < 0 || a->stopped)
		return;
	memset(&ss, 0, sizeof(ss));
	for (i = 0; i < ACCEPTS_PER_EVENT && !a->paused && !a->stopped; i++) {
		/*
		 * At the total cap the rest wait in the kernel's backlog, not
		 * refused: a burst of honest clients (a restart's reconnects)
		 * is served in turn as the deadlines and upgrades free room.
		 */
		if (a->cfg.max_pending && a->pending >= a->cfg.max_pending) {
			if (!a->full)
				a->full_waits++;
			a->full = 1;
			set_polling(a, 0);
			return;
		}
		sl = sizeof(ss);
		fd = accept4(l->fd, (struct sockaddr *)&ss, &sl,
		    SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd == -1) {
			if (errno == EMFILE || errno == ENFILE ||
			    errno == ENOBUFS || errno == ENOMEM)
				pause_accepting(a, errno);
			/* EAGAIN: drained; ECONNABORTED and the like: next. */
			if (errno == EAGAIN || errno == EWOULDBLOCK ||
			    a->paused)
				return;
			continue;
		}
		take(a, fd, &ss);
	}
}

void
acceptor_release(struct acceptor *a, struct iplimit_ent *tok)
{
	if (tok == NULL)
		return;
	iplimit_release(a->ips, tok);
	if (a->pending > 0)
		a->pending--;
	if (a->full && a->pending < a->cfg.max_pending) {
		a->full = 0;
		if (!a->paused && !a->stopped)
			set_polling(a, 1);
	}
}

unsigned
acceptor_pending(const struct acceptor *a)
{
	return a->pending;
}

unsigned
acceptor_pending_of(const struct acceptor *a, const char *ip)
{
	return iplimit_count(a->ips, ip);
}

unsigned long
acceptor_fd_pauses(const struct acceptor *a)
{
	return a->fd_pauses;
}

unsigned long
acceptor_full_waits(const struct acceptor *a)
{
	return a->full_waits;
}

void
acceptor_stop(struct acceptor *a)
{
	if (a == NULL || a->stopped)
		return;
	a->stopped = 1;
	set_polling(a, 0);
	uv_timer_stop(&a->pause);
}

void
acceptor_free(struct acceptor *a)
{
	unsigned i;

	if (a == NULL)
		return;
	acceptor_stop(a);
	a->open_handles = (int)a->nl + 1;
	for (i = 0; i < a->nl; i++) {
		a->l[i].poll.data = a;
		uv_close((uv_handle_t *)&a->l[i].poll, handle_closed);
	}
	uv_close((uv_handle_t *)&a->pause, handle_closed);
}
