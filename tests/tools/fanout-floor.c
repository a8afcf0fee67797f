/*
 * fanout-floor: this machine's own floor for the ws-fanout benchmark
 * (tests/bench/ws-fanout.sh). It does the same traffic with plain TCP
 * over loopback and nothing else: no WebSocket framing, no JSON, no
 * event library, no server logic. One process writes (the "server"),
 * one reads (the "clients"), each single-threaded like the real ones.
 *
 * "broadcast": N connections spread over GAMES games; every
 * 1/(RATE*GAMES) s the writer sends one SIZE-byte update, stamped with
 * CLOCK_MONOTONIC, to each client of the next game in turn, one send()
 * per client. The reader measures receive time - stamp. Any server
 * that fans out one write per subscriber pays at least these send()
 * calls in the kernel (on loopback most of the receive path too runs
 * inside the sender's send()), so its latency cannot beat these
 * figures on this machine, and send_us_per_msg * clients per game is
 * the CPU time one update costs before any server logic.
 * "connect": a client connects, sends a request of about the size of a
 * WebSocket upgrade, and receives a SIZE-byte reply (the snapshot); the
 * time from connect() to the last byte, one client at a time or all at
 * once (-b).
 *
 * It must not grow into a server: it parses nothing it receives.
 */
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "opts.h"
#include "ws-load-hist.h"

#define PROG		"fanout-floor"
#define REQ_LEN		230		/* about a WebSocket upgrade request */
#define FD_SPARE	64		/* descriptors beside the connections */
#define NOFILE_WANT	20000
#define RBUF_LEN	65536
#define MAX_SAMPLES	(1u << 26)
#define STALL_MS	30000		/* no progress this long: give up */
#define STAMP_LEN	9		/* 8-byte stamp, 1-byte "measured" */

struct opts {
	int		 connect;	/* mode: connect, else broadcast */
	unsigned	 n;		/* broadcast: clients */
	unsigned	 games, rate, secs;
	unsigned	 size;
	unsigned	 nsrc;		/* 0: ceil(clients / 100) */
	unsigned	 count;		/* connect: clients */
	int		 burst;		/* connect: all at once */
};

/* A reader-side connection: a partial message held between reads. */
struct rconn {
	int		 fd;
	unsigned	 have;
	int64_t		 t0;		/* connect: mono ns at connect() */
	size_t		 got;		/* connect: bytes received */
	int		 state;		/* connect: C_* */
};

enum { C_IDLE, C_CONNECTING, C_READING, C_DONE };

/* A writer-side connection of the connect mode. */
struct wconn {
	int		 fd;
	size_t		 req;		/* request bytes read */
	size_t		 sent;		/* reply bytes written */
	int		 state;		/* W_* */
};

enum { W_REQUEST, W_REPLY, W_LINGER };

static void
err(const char *fmt, ...)
{
	va_list ap;

	fputs(PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static int64_t
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* common/opts' range-checked integer, into an unsigned. */
static int
parse_uint(const char *s, unsigned min, unsigned max, unsigned *out)
{
	const char *why;
	long long v;

	if (opt_int(s, min, max, &v, &why) == -1)
		return -1;
	*out = (unsigned)v;
	return 0;
}

static int
set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	return fl == -1 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

/* Small messages go out now, as a WebSocket server sends them. */
static void
set_nodelay(int fd)
{
	int one = 1;

	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

/* Raises the soft limit towards NOFILE_WANT (or need); -1 if short. */
static int
raise_nofile(unsigned need, rlim_t *have)
{
	struct rlimit rl;
	rlim_t want = need > NOFILE_WANT ? need : NOFILE_WANT;

	*have = 0;
	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		return -1;
	*have = rl.rlim_cur;
	if (rl.rlim_max != RLIM_INFINITY && want > rl.rlim_max)
		want = rl.rlim_max;
	if (want > rl.rlim_cur) {
		rl.rlim_cur = want;
		if (setrlimit(RLIMIT_NOFILE, &rl) == -1)
			return -1;
	}
	*have = rl.rlim_cur;
	return rl.rlim_cur >= need ? 0 : -1;
}

static int
listen_on(struct sockaddr_in *sa)
{
	socklen_t len = sizeof(*sa);
	int fd, one = 1;

	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return -1;
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)sa, sizeof(*sa)) == -1 ||
	    listen(fd, 4096) == -1 ||
	    getsockname(fd, (struct sockaddr *)sa, &len) == -1 ||
	    set_nonblock(fd) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * A client socket bound to 127.0.0.(2 + i % nsrc), as ws-load -S does:
 * one source address has only ~28k ephemeral ports. The port is chosen
 * at connect() (IP_BIND_ADDRESS_NO_PORT) so that it may be shared
 * between destinations.
 */
static int
client_socket(unsigned i, unsigned nsrc, int nonblock)
{
	struct sockaddr_in src;
	int fd, one = 1;

	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return -1;
	(void)setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one,
	    sizeof(one));
	memset(&src, 0, sizeof(src));
	src.sin_family = AF_INET;
	src.sin_addr.s_addr = htonl(INADDR_LOOPBACK + 1 + i % nsrc);
	if (bind(fd, (struct sockaddr *)&src, sizeof(src)) == -1 ||
	    (nonblock && set_nonblock(fd) == -1)) {
		close(fd);
		return -1;
	}
	set_nodelay(fd);
	return fd;
}

static int
write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t r = write(fd, p, len);

		if (r == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += r;
		len -= (size_t)r;
	}
	return 0;
}

/* Waits up to ms for events on fd; 1 ready, 0 timeout, -1 error. */
static int
wait_fd(int fd, short events, int ms)
{
	struct pollfd p = { .fd = fd, .events = events };
	int r;

	while ((r = poll(&p, 1, ms)) == -1 && errno == EINTR)
		;
	return r;
}

/*
 * The reader's control channel tells the writer the clients are ready
 * and reports its own end by closing; the writer sends its figures,
 * one line, back before it closes the connections.
 */
static int
read_line(int fd, char *buf, size_t len)
{
	size_t n = 0;

	while (n + 1 < len) {
		ssize_t r = read(fd, buf + n, 1);

		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (buf[n] == '\n')
			break;
		n++;
	}
	buf[n] = '\0';
	return n > 0 ? 0 : -1;
}

/* ---- broadcast: the writer ---- */

struct bwriter {
	int		*fd;
	unsigned	 n, want;
	unsigned long long sent, short_writes, dropped;
	int64_t		 send_ns;	/* in send() loops, measured part */
	struct samples	 fanout_us;	/* one update to all its clients */
	struct samples	 lag_us;	/* due to its last send done */
};

/*
 * Sends the whole message or drops it whole, so that the reader's byte
 * stream stays cut in SIZE-byte messages: nothing written (EAGAIN) is
 * a drop; a part written is finished, waiting for room.
 */
static int
send_msg(struct bwriter *w, int fd, const char *msg, size_t len)
{
	ssize_t r;
	size_t off = 0;

	r = send(fd, msg, len, MSG_DONTWAIT | MSG_NOSIGNAL);
	if (r == (ssize_t)len)
		return 0;
	w->short_writes++;
	if (r == -1 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
		w->dropped++;
		return 0;
	}
	if (r == -1)
		return -1;
	for (off = (size_t)r; off < len; off += (size_t)r) {
		if (wait_fd(fd, POLLOUT, STALL_MS) != 1) {
			errno = ETIMEDOUT;
			return -1;
		}
		r = send(fd, msg + off, len - off, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (r == -1 && (errno == EAGAIN || errno == EINTR))
			r = 0;
		else if (r == -1)
			return -1;
	}
	return 0;
}

/* Accepts the n clients; -1 when the reader gave up or stalled. */
static int
accept_all(struct bwriter *w, int lfd, int ctl)
{
	struct pollfd p[2] = {
		{ .fd = lfd, .events = POLLIN }, { .fd = ctl, .events = 0 }
	};
	int fd;

	while (w->n < w->want) {
		int r = poll(p, 2, STALL_MS);

		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0) {
			err("accept: %s", r == 0 ? "no client for 30 s" :
			    strerror(errno));
			return -1;
		}
		/*
		 * Its "ready" may come before the last accept; only its
		 * end (it said why) stops here.
		 */
		if (p[1].revents & (POLLHUP | POLLERR))
			return -1;
		while ((fd = accept(lfd, NULL, NULL)) != -1) {
			if (set_nonblock(fd) == -1) {
				close(fd);
				return -1;
			}
			set_nodelay(fd);
			w->fd[w->n++] = fd;
			if (w->n == w->want)
				break;
		}
		if (fd == -1 && errno != EAGAIN && errno != EWOULDBLOCK &&
		    errno != EINTR && errno != ECONNABORTED) {
			err("accept: %s", strerror(errno));
			return -1;
		}
	}
	return 0;
}

static int
write_broadcast(const struct opts *o, int lfd, int ctl)
{
	struct bwriter w;
	struct timespec ts;
	char *msg = NULL, line[1024], hist[256], lag[256], ready;
	uint64_t k, ticks, warm, per_s;
	int64_t t0, at, tb, te;
	unsigned i, g;
	int rc = 1;

	memset(&w, 0, sizeof(w));
	samples_init(&w.fanout_us, MAX_SAMPLES);
	samples_init(&w.lag_us, MAX_SAMPLES);
	w.want = o->n;
	if ((w.fd = calloc(o->n, sizeof(*w.fd))) == NULL ||
	    (msg = malloc(o->size)) == NULL) {
		err("out of memory");
		goto out;
	}
	if (accept_all(&w, lfd, ctl) == -1)
		goto out;
	/* The clients are all in the reader's epoll set. */
	if (wait_fd(ctl, POLLIN, STALL_MS) != 1 || read(ctl, &ready, 1) != 1)
		goto out;
	/*
	 * A server woken by its input through epoll sees no timer slack;
	 * the default 50 us would show in every latency here.
	 */
	(void)prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
	memset(msg, 'x', o->size);
	per_s = (uint64_t)o->rate * o->games;
	warm = per_s;			/* one second, not recorded */
	ticks = warm + per_s * o->secs;
	t0 = mono_ns() + 1000000;
	for (k = 0; k < ticks; k++) {
		/* Absolute schedule: a late tick does not shift the next. */
		at = t0 + (int64_t)(k * 1000000000 / per_s);
		ts.tv_sec = (time_t)(at / 1000000000);
		ts.tv_nsec = (long)(at % 1000000000);
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts,
		    NULL) == EINTR)
			;
		/*
		 * Stamped with the time it was due, as a separate feeder
		 * would stamp it: a writer that falls behind shows it.
		 */
		memcpy(msg, &at, sizeof(at));
		msg[8] = k >= warm;
		g = (unsigned)(k % o->games);
		tb = mono_ns();
		for (i = g; i < w.n; i += o->games) {
			if (send_msg(&w, w.fd[i], msg, o->size) == -1) {
				err("send to client %u: %s", i,
				    strerror(errno));
				goto out;
			}
			if (k >= warm)
				w.sent++;
		}
		te = mono_ns();
		if (k >= warm) {
			w.send_ns += te - tb;
			samples_add(&w.fanout_us, (te - tb) / 1000);
			samples_add(&w.lag_us, (te - at) / 1000);
		}
	}
	samples_json(&w.fanout_us, hist, sizeof(hist));
	samples_json(&w.lag_us, lag, sizeof(lag));
	snprintf(line, sizeof(line), "\"sent\":%llu,\"short_writes\":%llu,"
	    "\"dropped\":%llu,\"send_us_per_msg\":%.2f,"
	    "\"writer_busy\":%.3f,\"fanout_us\":%s,\"lag_us\":%s\n", w.sent,
	    w.short_writes, w.dropped, w.sent ? (double)w.send_ns / 1000.0 /
	    (double)w.sent : 0.0, (double)w.send_ns / 1e9 / o->secs, hist, lag);
	if (write_all(ctl, line, strlen(line)) == -1) {
		err("control: %s", strerror(errno));
		goto out;
	}
	rc = 0;
out:
	for (i = 0; w.fd != NULL && i < w.n; i++)
		close(w.fd[i]);
	samples_fini(&w.fanout_us);
	samples_fini(&w.lag_us);
	free(w.fd);
	free(msg);
	return rc;
}

/* ---- broadcast: the reader ---- */

struct breader {
	const struct opts *o;
	struct rconn	*c;
	unsigned char	*part;		/* n * size: messages cut by TCP */
	unsigned long long msgs, warm_msgs;
	unsigned	 failed;
	struct samples	 lat_us;
};

static void
got_msg(struct breader *r, const unsigned char *m, int64_t now)
{
	int64_t stamp;

	memcpy(&stamp, m, sizeof(stamp));
	if (!m[8]) {
		r->warm_msgs++;
		return;
	}
	r->msgs++;
	samples_add(&r->lat_us, (now - stamp) / 1000);
}

/* Cuts p[0..len) into messages, keeping what a read cut in part. */
static void
feed(struct breader *r, struct rconn *c, const unsigned char *p,
    size_t len, int64_t now)
{
	unsigned char *part = r->part + (size_t)(c - r->c) * r->o->size;
	size_t size = r->o->size;

	if (c->have > 0) {
		size_t take = size - c->have;

		if (take > len)
			take = len;
		memcpy(part + c->have, p, take);
		c->have += (unsigned)take;
		p += take;
		len -= take;
		if (c->have < size)
			return;
		got_msg(r, part, now);
		c->have = 0;
	}
	for (; len >= size; p += size, len -= size)
		got_msg(r, p, now);
	if (len > 0) {
		memcpy(part, p, len);
		c->have = (unsigned)len;
	}
}

static int
connect_all(struct breader *r, const struct sockaddr_in *sa, int ep)
{
	struct epoll_event ev;
	unsigned i;

	for (i = 0; i < r->o->n; i++) {
		r->c[i].fd = -1;
		if ((r->c[i].fd = client_socket(i, r->o->nsrc, 0)) == -1 ||
		    connect(r->c[i].fd, (const struct sockaddr *)sa,
		    sizeof(*sa)) == -1 || set_nonblock(r->c[i].fd) == -1) {
			err("client %u: %s", i, strerror(errno));
			return -1;
		}
		memset(&ev, 0, sizeof(ev));
		ev.events = EPOLLIN;
		ev.data.u32 = i;
		if (epoll_ctl(ep, EPOLL_CTL_ADD, r->c[i].fd, &ev) == -1) {
			err("epoll_ctl: %s", strerror(errno));
			return -1;
		}
	}
	return 0;
}

static int
read_broadcast(const struct opts *o, const struct sockaddr_in *sa, int ctl)
{
	struct breader r;
	struct epoll_event evs[256];
	unsigned char *buf = NULL;
	char wline[1024], hist[256];
	unsigned i, open = 0;
	ssize_t len;
	int ep = -1, nev, j, rc = 1;

	memset(&r, 0, sizeof(r));
	r.o = o;
	samples_init(&r.lat_us, MAX_SAMPLES);
	if ((r.c = calloc(o->n, sizeof(*r.c))) == NULL ||
	    (r.part = malloc((size_t)o->n * o->size)) == NULL ||
	    (buf = malloc(RBUF_LEN)) == NULL) {
		err("out of memory");
		goto out;
	}
	for (i = 0; i < o->n; i++)
		r.c[i].fd = -1;
	if ((ep = epoll_create1(0)) == -1) {
		err("epoll_create1: %s", strerror(errno));
		goto out;
	}
	if (connect_all(&r, sa, ep) == -1)
		goto out;
	open = o->n;
	if (write_all(ctl, "R", 1) == -1)
		goto out;
	/* Until the writer closes them all after its last update. */
	while (open > 0) {
		if ((nev = epoll_wait(ep, evs, 256, -1)) == -1) {
			if (errno == EINTR)
				continue;
			err("epoll_wait: %s", strerror(errno));
			goto out;
		}
		for (j = 0; j < nev; j++) {
			struct rconn *c = &r.c[evs[j].data.u32];

			len = recv(c->fd, buf, RBUF_LEN, 0);
			if (len > 0) {
				feed(&r, c, buf, (size_t)len, mono_ns());
				continue;
			}
			if (len == -1 && (errno == EAGAIN || errno == EINTR))
				continue;
			if (len == -1 || c->have != 0) {
				err("client %u: %s", evs[j].data.u32, len ==
				    -1 ? strerror(errno) : "cut message");
				r.failed++;
			}
			close(c->fd);
			c->fd = -1;
			open--;
		}
	}
	if (read_line(ctl, wline, sizeof(wline)) == -1) {
		err("the writer failed");
		goto out;
	}
	samples_json(&r.lat_us, hist, sizeof(hist));
	printf("{\"mode\":\"broadcast\",\"clients\":%u,\"games\":%u,"
	    "\"rate\":%u,\"size\":%u,\"secs\":%u,\"sources\":%u,"
	    "\"msgs\":%llu,\"msgs_per_s\":%llu,\"failed\":%u,%s,"
	    "\"latency_us\":%s}\n", o->n, o->games, o->rate, o->size,
	    o->secs, o->nsrc, r.msgs, r.msgs / o->secs, r.failed, wline, hist);
	rc = r.failed > 0 || fflush(stdout) == EOF;
out:
	for (i = 0; r.c != NULL && i < o->n; i++)
		if (r.c[i].fd != -1)
			close(r.c[i].fd);
	if (ep != -1)
		close(ep);
	samples_fini(&r.lat_us);
	free(r.c);
	free(r.part);
	free(buf);
	return rc;
}

/* ---- connect: the writer ---- */

struct cwriter {
	const struct opts *o;
	int		 ep;
	struct wconn	**by_fd;
	rlim_t		 nfd;
	char		*reply;
	unsigned char	 scratch[4096];
};

static void
wconn_close(struct cwriter *w, struct wconn *c)
{
	w->by_fd[c->fd] = NULL;
	close(c->fd);
	free(c);
}

static void
wconn_events(struct cwriter *w, struct wconn *c, uint32_t events)
{
	struct epoll_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.events = events;
	ev.data.fd = c->fd;
	(void)epoll_ctl(w->ep, EPOLL_CTL_MOD, c->fd, &ev);
}

/* Writes what the socket takes of the reply; then waits for the close. */
static void
reply(struct cwriter *w, struct wconn *c)
{
	while (c->sent < w->o->size) {
		ssize_t r = send(c->fd, w->reply + c->sent, w->o->size - c->sent,
		    MSG_DONTWAIT | MSG_NOSIGNAL);
		if (r == -1 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (c->state != W_REPLY)
				wconn_events(w, c, EPOLLOUT);
			c->state = W_REPLY;
			return;
		}
		if (r == -1) {
			wconn_close(w, c);
			return;
		}
		c->sent += (size_t)r;
	}
	if (c->state == W_REPLY)
		wconn_events(w, c, EPOLLIN);
	c->state = W_LINGER;
}

static void
on_conn(struct cwriter *w, struct wconn *c)
{
	ssize_t r;

	if (c->state == W_REPLY) {
		reply(w, c);
		return;
	}
	r = recv(c->fd, w->scratch, sizeof(w->scratch), 0);
	if (r == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (r <= 0) {
		wconn_close(w, c);
		return;
	}
	if (c->state == W_REQUEST && (c->req += (size_t)r) >= REQ_LEN)
		reply(w, c);
}

static void
on_accept(struct cwriter *w, int lfd)
{
	struct epoll_event ev;
	struct wconn *c;
	int fd;

	while ((fd = accept(lfd, NULL, NULL)) != -1) {
		if ((rlim_t)fd >= w->nfd || set_nonblock(fd) == -1 ||
		    (c = calloc(1, sizeof(*c))) == NULL) {
			close(fd);
			continue;
		}
		set_nodelay(fd);
		c->fd = fd;
		memset(&ev, 0, sizeof(ev));
		ev.events = EPOLLIN;
		ev.data.fd = fd;
		if (epoll_ctl(w->ep, EPOLL_CTL_ADD, fd, &ev) == -1) {
			close(fd);
			free(c);
			continue;
		}
		w->by_fd[fd] = c;
	}
}

/* Serves until the reader closes the control channel. */
static int
write_connect(const struct opts *o, int lfd, int ctl, rlim_t nfd)
{
	struct cwriter w;
	struct epoll_event ev, evs[256];
	rlim_t i;
	int nev, j, fd, done = 0, rc = 1;

	memset(&w, 0, sizeof(w));
	w.o = o;
	w.nfd = nfd;
	if ((w.ep = epoll_create1(0)) == -1 ||
	    (w.by_fd = calloc((size_t)nfd, sizeof(*w.by_fd))) == NULL ||
	    (w.reply = malloc(o->size)) == NULL) {
		err("setup: %s", strerror(errno));
		goto out;
	}
	memset(w.reply, 'x', o->size);
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.fd = lfd;
	if (epoll_ctl(w.ep, EPOLL_CTL_ADD, lfd, &ev) == -1)
		goto out;
	ev.data.fd = ctl;
	if (epoll_ctl(w.ep, EPOLL_CTL_ADD, ctl, &ev) == -1)
		goto out;
	while (!done) {
		if ((nev = epoll_wait(w.ep, evs, 256, -1)) == -1) {
			if (errno == EINTR)
				continue;
			err("epoll_wait: %s", strerror(errno));
			goto out;
		}
		for (j = 0; j < nev; j++) {
			fd = evs[j].data.fd;
			if (fd == lfd)
				on_accept(&w, lfd);
			else if (fd == ctl)
				done = 1;
			else if (w.by_fd[fd] != NULL)
				on_conn(&w, w.by_fd[fd]);
		}
	}
	rc = 0;
out:
	for (i = 0; w.by_fd != NULL && i < nfd; i++)
		if (w.by_fd[i] != NULL)
			wconn_close(&w, w.by_fd[i]);
	if (w.ep != -1)
		close(w.ep);
	free(w.by_fd);
	free(w.reply);
	return rc;
}

/* ---- connect: the reader ---- */

struct creader {
	const struct opts *o;
	const struct sockaddr_in *sa;
	int		 ep;
	struct rconn	*c;
	unsigned	 done, failed;
	char		 req[REQ_LEN];
	unsigned char	 buf[RBUF_LEN];
	struct samples	 us;
};

static void
cfail(struct creader *r, unsigned i, const char *what)
{
	err("client %u: %s", i, what);
	if (r->c[i].fd != -1)
		close(r->c[i].fd);
	r->c[i].fd = -1;
	r->c[i].state = C_DONE;
	r->failed++;
	r->done++;
}

static void
cstart(struct creader *r, unsigned i)
{
	struct rconn *c = &r->c[i];
	struct epoll_event ev;

	/* From before socket(), as ws-load counts from its connect call. */
	c->t0 = mono_ns();
	if ((c->fd = client_socket(i, r->o->nsrc, 1)) == -1 ||
	    (connect(c->fd, (const struct sockaddr *)r->sa,
	    sizeof(*r->sa)) == -1 && errno != EINPROGRESS)) {
		cfail(r, i, strerror(errno));
		return;
	}
	c->state = C_CONNECTING;
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLOUT;
	ev.data.u32 = i;
	if (epoll_ctl(r->ep, EPOLL_CTL_ADD, c->fd, &ev) == -1)
		cfail(r, i, strerror(errno));
}

static void
cevent(struct creader *r, unsigned i)
{
	struct rconn *c = &r->c[i];
	struct epoll_event ev;
	socklen_t len = sizeof(int);
	ssize_t n;
	int e = 0;

	if (c->state == C_CONNECTING) {
		if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &e, &len) == -1)
			e = errno;
		if (e != 0) {
			cfail(r, i, strerror(e));
			return;
		}
		/* A fresh socket has room for the whole request. */
		if (send(c->fd, r->req, REQ_LEN, MSG_NOSIGNAL) != REQ_LEN) {
			cfail(r, i, "request not sent whole");
			return;
		}
		memset(&ev, 0, sizeof(ev));
		ev.events = EPOLLIN;
		ev.data.u32 = i;
		(void)epoll_ctl(r->ep, EPOLL_CTL_MOD, c->fd, &ev);
		c->state = C_READING;
		return;
	}
	if (c->state != C_READING)
		return;
	n = recv(c->fd, r->buf, sizeof(r->buf), 0);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		cfail(r, i, n == 0 ? "closed early" : strerror(errno));
		return;
	}
	if ((c->got += (size_t)n) < r->o->size)
		return;
	samples_add(&r->us, (mono_ns() - c->t0) / 1000);
	close(c->fd);
	c->fd = -1;
	c->state = C_DONE;
	r->done++;
}

/* Runs the loop until `until` clients are done; -1 on a stall. */
static int
crun(struct creader *r, unsigned until)
{
	struct epoll_event evs[256];
	int j;

	while (r->done < until) {
		int nev = epoll_wait(r->ep, evs, 256, STALL_MS);

		if (nev == -1) {
			if (errno == EINTR)
				continue;
			err("epoll_wait: %s", strerror(errno));
			return -1;
		}
		if (nev == 0) {
			err("no progress for 30 s");
			return -1;
		}
		for (j = 0; j < nev; j++)
			cevent(r, evs[j].data.u32);
	}
	return 0;
}

static int
read_connect(const struct opts *o, const struct sockaddr_in *sa)
{
	static const char head[] = "GET /ws/live/401800001 HTTP/1.1\r\n"
	    "Host: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
	    "Sec-WebSocket-Version: 13\r\nX-Pad: ";
	struct creader *r;
	char hist[256];
	unsigned i;
	int rc = 1;

	if ((r = calloc(1, sizeof(*r))) == NULL ||
	    (r->c = calloc(o->count, sizeof(*r->c))) == NULL) {
		err("out of memory");
		free(r);
		return 1;
	}
	r->o = o;
	r->sa = sa;
	r->ep = -1;
	samples_init(&r->us, MAX_SAMPLES);
	for (i = 0; i < o->count; i++)
		r->c[i].fd = -1;
	memset(r->req, 'k', sizeof(r->req));
	memcpy(r->req, head, sizeof(head) - 1);
	memcpy(r->req + REQ_LEN - 4, "\r\n\r\n", 4);
	if ((r->ep = epoll_create1(0)) == -1) {
		err("epoll_create1: %s", strerror(errno));
		goto out;
	}
	if (o->burst) {
		for (i = 0; i < o->count; i++)
			cstart(r, i);
		if (crun(r, o->count) == -1)
			goto out;
	} else {
		for (i = 0; i < o->count; i++) {
			cstart(r, i);
			if (crun(r, i + 1) == -1)
				goto out;
		}
	}
	samples_json(&r->us, hist, sizeof(hist));
	printf("{\"mode\":\"connect\",\"serial\":%s,\"clients\":%u,"
	    "\"size\":%u,\"ok\":%u,\"failed\":%u,\"connect_us\":%s}\n",
	    o->burst ? "false" : "true", o->count, o->size,
	    o->count - r->failed, r->failed, hist);
	rc = r->failed > 0 || fflush(stdout) == EOF;
out:
	for (i = 0; i < o->count; i++)
		if (r->c[i].fd != -1)
			close(r->c[i].fd);
	if (r->ep != -1)
		close(r->ep);
	samples_fini(&r->us);
	free(r->c);
	free(r);
	return rc;
}

/* ---- main ---- */

static const char usage[] =
    "usage: fanout-floor broadcast [-n clients] [-g games] [-r rate] "
    "[-s size]\n"
    "                              [-d seconds] [-S sources]\n"
    "       fanout-floor connect [-b] [-c count] [-s size] [-S sources]\n";

static int
parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "burst",	no_argument,		NULL, 'b' },
		{ "count",	required_argument,	NULL, 'c' },
		{ "duration",	required_argument,	NULL, 'd' },
		{ "games",	required_argument,	NULL, 'g' },
		{ "help",	no_argument,		NULL, 'h' },
		{ "clients",	required_argument,	NULL, 'n' },
		{ "rate",	required_argument,	NULL, 'r' },
		{ "size",	required_argument,	NULL, 's' },
		{ "sources",	required_argument,	NULL, 'S' },
		{ NULL,		0,			NULL, 0 }
	};
	const char *optstr = o->connect ? "bc:hs:S:" : "d:g:hn:r:s:S:";
	unsigned max_size = o->connect ? 1u << 26 : 65536;
	unsigned min_size = o->connect ? 1 : 16;
	int ch, bad = 0;

	while ((ch = getopt_long(argc, argv, optstr, longopts, NULL)) != -1) {
		switch (ch) {
		case 'b':
			o->burst = 1;
			break;
		case 'c':
			bad |= parse_uint(optarg, 1, 100000, &o->count);
			break;
		case 'd':
			bad |= parse_uint(optarg, 1, 3600, &o->secs);
			break;
		case 'g':
			bad |= parse_uint(optarg, 1, 100000, &o->games);
			break;
		case 'h':
			return 1;
		case 'n':
			bad |= parse_uint(optarg, 1, 1000000, &o->n);
			break;
		case 'r':
			bad |= parse_uint(optarg, 1, 100000, &o->rate);
			break;
		case 's':
			bad |= parse_uint(optarg, min_size, max_size, &o->size);
			break;
		case 'S':
			bad |= parse_uint(optarg, 1, 250, &o->nsrc);
			break;
		default:
			return -1;
		}
	}
	/* Updates a second: also keeps the schedule's arithmetic small. */
	if (bad || optind != argc || (uint64_t)o->rate * o->games > 100000)
		return -1;
	return 0;
}

int
main(int argc, char **argv)
{
	struct opts o;
	struct sockaddr_in sa;
	rlim_t nofile = 0;
	unsigned conns;
	pid_t pid;
	int lfd, ctl[2], st, rc;

	memset(&o, 0, sizeof(o));
	o.n = 1000;
	o.games = 10;
	o.rate = 10;
	o.secs = 10;
	o.count = 200;
	if (argc >= 2 && (strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "--help") == 0)) {
		fputs(usage, stdout);
		return 0;
	}
	if (argc < 2 || (strcmp(argv[1], "broadcast") != 0 &&
	    strcmp(argv[1], "connect") != 0)) {
		fputs(usage, stderr);
		return 64;
	}
	o.connect = strcmp(argv[1], "connect") == 0;
	o.size = o.connect ? 104000 : 300;
	switch (parse_opts(argc - 1, argv + 1, &o)) {
	case 1:
		fputs(usage, stdout);
		return 0;
	case -1:
		fputs(usage, stderr);
		return 64;
	}
	conns = o.connect ? o.count : o.n;
	if (o.nsrc == 0)
		o.nsrc = (conns + 99) / 100 > 250 ? 250 : (conns + 99) / 100;
	if (raise_nofile(conns + FD_SPARE, &nofile) == -1) {
		err("%u connections need %u descriptors, the limit is %llu",
		    conns, conns + FD_SPARE, (unsigned long long)nofile);
		return 1;
	}
	if ((lfd = listen_on(&sa)) == -1 ||
	    socketpair(AF_UNIX, SOCK_STREAM, 0, ctl) == -1) {
		err("listen: %s", strerror(errno));
		if (lfd != -1)
			close(lfd);
		return 1;
	}
	fflush(NULL);
	if ((pid = fork()) == -1) {
		err("fork: %s", strerror(errno));
		return 1;
	}
	if (pid == 0) {
		/* The clients; the one JSON line is printed here. */
		close(lfd);
		close(ctl[0]);
		rc = o.connect ? read_connect(&o, &sa) :
		    read_broadcast(&o, &sa, ctl[1]);
		close(ctl[1]);
		return rc;
	}
	close(ctl[1]);
	rc = o.connect ? write_connect(&o, lfd, ctl[0], nofile) :
	    write_broadcast(&o, lfd, ctl[0]);
	close(lfd);
	close(ctl[0]);
	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR) {
			err("waitpid: %s", strerror(errno));
			return 1;
		}
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		rc = 1;
	return rc;
}
