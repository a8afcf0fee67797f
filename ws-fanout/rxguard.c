/*
 * rxguard: client frames checked on the bytes as read, before lws (see
 * rxguard.h). The reads are lws' own; from an unmasked frame on, a
 * watched socket's bytes are read and dropped, and lws is told there is
 * nothing yet (EAGAIN, or SSL_ERROR_WANT_READ) until on_bad has closed
 * the connection with 1002.
 */
#define _GNU_SOURCE	/* RTLD_NEXT */
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <openssl/ssl.h>

#include "rxguard.h"

struct slot {
	struct wscheck_rx	*rx;		/* NULL: not watched */
	void			*owner;
	int			 next_bad;	/* -1: end of the list */
	unsigned		 queued:1;	/* in the list for bad_cb */
	unsigned		 told:1;	/* its owner is due an on_bad */
	unsigned		 faked:1;	/* SSL_read said -1 for us */
};

static struct {
	struct slot	*slots;
	int		 max_fd;
	int		 bad_head;
	uv_timer_t	 timer;
	int		 timer_on;
	void		(*on_bad)(void *);
} g = { NULL, 0, -1, { 0 }, 0, NULL };

static ssize_t	(*real_recv)(int, void *, size_t, int);
static int	(*real_ssl_read)(SSL *, void *, int);
static int	(*real_ssl_get_error)(const SSL *, int);
static int	(*real_ssl_want)(const SSL *);

static void
bad_cb(uv_timer_t *t)
{
	int fd;

	(void)t;
	while ((fd = g.bad_head) >= 0) {
		g.bad_head = g.slots[fd].next_bad;
		g.slots[fd].next_bad = -1;
		g.slots[fd].queued = 0;
		if (g.slots[fd].told && g.slots[fd].rx != NULL) {
			g.slots[fd].told = 0;
			g.on_bad(g.slots[fd].owner);
		}
	}
}

int
rxguard_init(uv_loop_t *loop, int max_fd, void (*on_bad)(void *))
{
	int i;

	if (max_fd < 1 || (g.slots = calloc((size_t)max_fd,
	    sizeof(*g.slots))) == NULL)
		return -1;
	for (i = 0; i < max_fd; i++)
		g.slots[i].next_bad = -1;
	g.max_fd = max_fd;
	g.on_bad = on_bad;
	*(void **)&real_recv = dlsym(RTLD_NEXT, "recv");
	*(void **)&real_ssl_read = dlsym(RTLD_NEXT, "SSL_read");
	*(void **)&real_ssl_get_error = dlsym(RTLD_NEXT, "SSL_get_error");
	*(void **)&real_ssl_want = dlsym(RTLD_NEXT, "SSL_want");
	if (real_recv == NULL || real_ssl_read == NULL ||
	    real_ssl_get_error == NULL || real_ssl_want == NULL) {
		free(g.slots);
		g.slots = NULL;
		return -1;
	}
	uv_timer_init(loop, &g.timer);
	uv_unref((uv_handle_t *)&g.timer);
	g.timer_on = 1;
	return 0;
}

static struct slot *
slot(int fd)
{
	return fd >= 0 && fd < g.max_fd && g.slots[fd].rx != NULL ?
	    &g.slots[fd] : NULL;
}

void
rxguard_watch(int fd, struct wscheck_rx *rx, void *owner)
{
	if (fd < 0 || fd >= g.max_fd)
		return;
	memset(rx, 0, sizeof(*rx));
	g.slots[fd].rx = rx;
	g.slots[fd].owner = owner;
	g.slots[fd].told = g.slots[fd].faked = 0;
}

void
rxguard_forget(int fd)
{
	if (fd >= 0 && fd < g.max_fd) {
		g.slots[fd].rx = NULL;
		g.slots[fd].told = g.slots[fd].faked = 0;
	}
}

void
rxguard_fini(void)
{
	if (g.timer_on)
		uv_close((uv_handle_t *)&g.timer, NULL);
	g.timer_on = 0;
	free(g.slots);
	g.slots = NULL;
	g.max_fd = 0;
	g.bad_head = -1;
}

/* n bytes were read on fd into p: how many lws may have. */
static size_t
check(int fd, struct slot *s, const void *p, size_t n)
{
	size_t k = wscheck_rx(s->rx, p, n);

	if (s->rx->bad && !s->told && g.timer_on) {
		s->told = 1;
		if (!s->queued) {
			s->queued = 1;
			s->next_bad = g.bad_head;
			g.bad_head = fd;
		}
		uv_timer_start(&g.timer, bad_cb, 0, 0);
	}
	return k;
}

ssize_t
recv(int fd, void *buf, size_t len, int flags)
{
	struct slot *s;
	ssize_t n;
	size_t k;

	if (real_recv == NULL)
		*(void **)&real_recv = dlsym(RTLD_NEXT, "recv");
	n = real_recv(fd, buf, len, flags);
	if (n <= 0 || (flags & MSG_PEEK) || (s = slot(fd)) == NULL)
		return n;
	if ((k = check(fd, s, buf, (size_t)n)) > 0)
		return (ssize_t)k;
	errno = EAGAIN;
	return -1;
}

int
SSL_read(SSL *ssl, void *buf, int num)
{
	struct slot *s;
	int n;
	size_t k;

	if (real_ssl_read == NULL)
		*(void **)&real_ssl_read = dlsym(RTLD_NEXT, "SSL_read");
	n = real_ssl_read(ssl, buf, num);
	if ((s = slot(SSL_get_fd(ssl))) == NULL)
		return n;
	s->faked = 0;
	if (n <= 0)
		return n;
	if ((k = check(SSL_get_fd(ssl), s, buf, (size_t)n)) > 0)
		return (int)k;
	s->faked = 1;
	errno = EAGAIN;
	return -1;
}

/* After a faked -1: "read again later", as for a record not yet whole. */
static int
faked(const SSL *ssl)
{
	struct slot *s = slot(SSL_get_fd(ssl));

	return s != NULL && s->faked;
}

int
SSL_get_error(const SSL *ssl, int ret)
{
	if (real_ssl_get_error == NULL)
		*(void **)&real_ssl_get_error = dlsym(RTLD_NEXT,
		    "SSL_get_error");
	if (ret == -1 && faked(ssl))
		return SSL_ERROR_WANT_READ;
	return real_ssl_get_error(ssl, ret);
}

int
SSL_want(const SSL *ssl)
{
	if (real_ssl_want == NULL)
		*(void **)&real_ssl_want = dlsym(RTLD_NEXT, "SSL_want");
	if (faked(ssl))
		return SSL_READING;
	return real_ssl_want(ssl);
}
