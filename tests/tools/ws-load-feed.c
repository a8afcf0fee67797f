/*
 * ws-load feed: paces synthetic aligner frames into ws-fanout's input
 * (stdout or unix:PATH) or publishes the equivalent update messages to
 * nchan over HTTP, one channel per game. Each live point carries
 * "stamp_us", the wall-clock time its tick was due, so clients can
 * measure due-to-receive latency even when the server holds the feed
 * back (-L says by how much, at the end; SIGTERM ends the ticks). A
 * test tool: blocking I/O is fine here.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <netdb.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <time.h>
#include <unistd.h>

#include "timeutil.h"

int	feed_main(int argc, char **argv);

struct feed {
	int		 games;
	char		**ids;
	double		 rate;		/* ticks per game per second */
	double		 jitter_ms;	/* -J: each tick this early or late, in turn */
	double		 duration;	/* seconds, 0: until count */
	long		 count;		/* live ticks per game, 0: no limit */
	int		 espn_pts, kalshi_pts;	/* initial series ("halftime") */
	int64_t		 epoch;
	long		 seq0;		/* first live seq - 1 */
	int		 no_history;
	int		 no_points;	/* live ticks carry no new points */
	int		 together;	/* -T: all games' ticks at once */
	const char	*out;
	const char	*nchan;		/* host:port of nchan publisher */
	int		 pad;		/* extra bytes per live point */
	double		 linger;	/* keep the output open after */
	double		 warmup;	/* seconds between history and live */
	const char	*wait_file;	/* live ticks start once it exists */
	int		 fd;
	char		*buf;
	size_t		 len, cap;
};

/*
 * SIGTERM ends the ticks where the feed waits (sleep_until, the -W
 * file); anywhere else (a write or an nchan publish that blocks) it ends
 * the feed at once, as the default action would, with the -L line first.
 */
static volatile sig_atomic_t feed_stop, feed_waiting, feed_say_late;
static volatile long feed_ticks;
static volatile int64_t feed_late_us;

/* The -L line, with write(2) alone: it is also said from on_term. */
static void
say_late(void)
{
	char b[96], d[24];
	size_t n = 0, k;
	long v;
	int i;
	const char *parts[3] = { "ws-load feed: ", " ticks, the latest ",
	    " ms after its time\n" };

	for (i = 0; i < 3; i++) {
		for (k = 0; parts[i][k] != '\0'; k++)
			b[n++] = parts[i][k];
		if (i == 2)
			break;
		v = i == 0 ? feed_ticks : (long)(feed_late_us / 1000);
		k = 0;
		do
			d[k++] = (char)('0' + v % 10);
		while ((v /= 10) > 0 && k < sizeof(d));
		while (k > 0)
			b[n++] = d[--k];
	}
	(void)write(2, b, n);
}

static void
on_term(int sig)
{
	(void)sig;
	feed_stop = 1;
	if (feed_waiting)
		return;
	if (feed_say_late)
		say_late();
	_exit(143);
}

static void
sleep_until(int64_t due_us)
{
	struct timespec ts;

	ts.tv_sec = due_us / 1000000;
	ts.tv_nsec = (due_us % 1000000) * 1000;
	feed_waiting = 1;
	while (!feed_stop && clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME,
	    &ts, NULL) == EINTR)
		;
	feed_waiting = 0;
}

static void
add(struct feed *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
add(struct feed *f, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(f->buf + f->len, f->cap - f->len, fmt, ap);
		va_end(ap);
		if (n < 0)
			exit(70);
		if ((size_t)n < f->cap - f->len) {
			f->len += (size_t)n;
			return;
		}
		f->cap = f->cap * 2 + (size_t)n + 1;
		if ((f->buf = realloc(f->buf, f->cap)) == NULL)
			exit(71);
	}
}

static void
write_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		if ((w = write(fd, p, n)) < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "ws-load feed: write: %s\n",
			    strerror(errno));
			exit(74);
		}
		p += w;
		n -= (size_t)w;
	}
}

static int
connect_unix(const char *path)
{
	struct sockaddr_un sa;
	int fd, tries;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa.sun_path))
		return -1;
	strcpy(sa.sun_path, path);
	for (tries = 0; tries < 100; tries++) {
		if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) < 0)
			return -1;
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
			return fd;
		close(fd);
		usleep(50000);
	}
	return -1;
}

static int
connect_tcp(const char *hostport)
{
	char host[256], *colon;
	struct sockaddr_in sa;
	int fd, one = 1;

	snprintf(host, sizeof(host), "%s", hostport);
	if ((colon = strrchr(host, ':')) == NULL)
		return -1;
	*colon = '\0';
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)atoi(colon + 1));
	if (inet_pton(AF_INET, host, &sa.sin_addr) != 1)
		return -1;
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return -1;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

/* A new publish connection in place of the one nginx closed. */
static void
nchan_reconnect(struct feed *f)
{
	close(f->fd);
	if ((f->fd = connect_tcp(f->nchan)) < 0) {
		fprintf(stderr, "ws-load feed: nchan: cannot connect again\n");
		exit(74);
	}
}

/*
 * POSTs body to /pub/ID on the kept-alive connection; reads the reply.
 * A connection nginx closed between two publishes (its keepalive_requests
 * or keepalive_timeout) is made again once and the publish repeated.
 */
static void
nchan_publish(struct feed *f, const char *id, const char *body, size_t n)
{
	char hdr[512], resp[4096];
	size_t got = 0;
	ssize_t r;
	char *end, *cl;
	long clen = 0;
	int hl, again = 1;

	hl = snprintf(hdr, sizeof(hdr), "POST /pub/%s HTTP/1.1\r\n"
	    "Host: localhost\r\nContent-Type: application/json\r\n"
	    "Accept: text/json\r\nContent-Length: %zu\r\n\r\n", id, n);
retry:
	write_all(f->fd, hdr, (size_t)hl);
	write_all(f->fd, body, n);
	for (;;) {
		if (got >= sizeof(resp) - 1) {
			fprintf(stderr, "ws-load feed: nchan reply too long\n");
			exit(74);
		}
		r = read(f->fd, resp + got, sizeof(resp) - 1 - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0 && got == 0 && again) {
			again = 0;
			nchan_reconnect(f);
			goto retry;
		}
		if (r <= 0) {
			fprintf(stderr, "ws-load feed: nchan closed\n");
			exit(74);
		}
		got += (size_t)r;
		resp[got] = '\0';
		if ((end = strstr(resp, "\r\n\r\n")) == NULL)
			continue;
		if (((cl = strstr(resp, "Content-Length:")) != NULL ||
		    (cl = strstr(resp, "content-length:")) != NULL) &&
		    cl < end)
			clen = strtol(cl + 15, NULL, 10);
		if ((size_t)(end + 4 - resp) + (size_t)clen <= got)
			break;
	}
	if (strncmp(resp, "HTTP/1.1 20", 11) != 0) {
		fprintf(stderr, "ws-load feed: nchan: %.40s\n", resp);
		exit(74);
	}
	/* The last request nginx takes on this connection: a new one. */
	if ((cl = strstr(resp, "\r\nConnection: close")) != NULL && cl < end)
		nchan_reconnect(f);
}

static double
wp_at(long k, int g)
{
	double v = 0.5 + 0.4 * ((double)((k * 7919 + g * 104729) % 1000) /
	    1000.0 - 0.5);

	return v;
}

static void
point_espn(struct feed *f, int g, long k, int64_t ts, int64_t stamp)
{
	add(f, "{\"ts\":%" PRId64 ",\"home\":%.3f,\"play_id\":\"%s%06ld\","
	    "\"period\":%ld,\"clock\":\"%ld:%02ld\"", ts, wp_at(k, g),
	    f->ids[g], k, 1 + (k / 120) % 4, 11 - (k % 12), (k * 7) % 60);
	if (stamp)
		add(f, ",\"stamp_us\":%" PRId64, stamp);
	add(f, "}");
}

static void
point_kalshi(struct feed *f, int g, long k, int64_t ts, int64_t stamp)
{
	double h = wp_at(k + 3, g);
	int i;

	add(f, "{\"ts\":%" PRId64 ",\"home\":%.3f,\"bid\":%.2f,\"ask\":%.2f,"
	    "\"last\":%.2f", ts, h, h - 0.005, h + 0.005, h);
	if (stamp)
		add(f, ",\"stamp_us\":%" PRId64, stamp);
	if (f->pad > 0) {
		add(f, ",\"pad\":\"");
		for (i = 0; i < f->pad; i++)
			add(f, "x");
		add(f, "\"");
	}
	add(f, "}");
}

static void
game_line(struct feed *f, int g)
{
	add(f, "{\"type\":\"game\",\"src\":\"espn\",\"game_id\":\"%s\","
	    "\"ts\":%" PRId64 ",\"state\":\"in\",\"status\":"
	    "\"STATUS_IN_PROGRESS\",\"period\":3,\"clock\":\"7:12\","
	    "\"home\":{\"abbr\":\"IND\",\"name\":\"Indiana Pacers\","
	    "\"score\":88},\"away\":{\"abbr\":\"NY\",\"name\":"
	    "\"New York Knicks\",\"score\":80}}\n", f->ids[g], time_now_us() / 1000);
}

/* The aligner's first tick: the whole series so far (halftime). */
static void
history_tick(struct feed *f, int g, int64_t t0, int nchan)
{
	int i;

	add(f, "{\"type\":\"%s\",\"src\":\"aligner\",\"game_id\":\"%s\","
	    "\"epoch\":%" PRId64 ",\"seq\":%ld,\"ts\":%" PRId64 ",\"espn\":[",
	    nchan ? "snapshot" : "tick", f->ids[g], f->epoch, f->seq0, t0);
	for (i = 0; i < f->espn_pts; i++) {
		if (i)
			add(f, ",");
		point_espn(f, g, -1000000 + i, t0 - 3000000 + i * 1000, 0);
	}
	add(f, "],\"kalshi\":[");
	for (i = 0; i < f->kalshi_pts; i++) {
		if (i)
			add(f, ",");
		point_kalshi(f, g, -1000000 + i, t0 - 3000000 + i * 500, 0);
	}
	add(f, "],\"aligned\":{\"ts\":%" PRId64 ",\"espn\":0.5,\"kalshi\":0.5,"
	    "\"diff\":0}}%s", t0, nchan ? "" : "\n");
}

static void
live(struct feed *f, int g, long k, int nchan, int64_t due_us)
{
	/*
	 * Stamped with the time the tick was due, not the time it was
	 * written: a server that makes the feed wait (nchan answers a
	 * publish only once it has handed the message to its subscribers)
	 * would otherwise push its backlog out of the figures.
	 */
	int64_t stamp = time_now_us() - (time_mono_us() - due_us);
	int64_t ts = stamp / 1000;
	long seq = f->seq0 + k;

	if (nchan)
		add(f, "{\"type\":\"update\",\"game_id\":\"%s\","
		    "\"epoch\":%" PRId64 ",\"seq\":%ld,\"espn\":[", f->ids[g],
		    f->epoch, seq);
	else
		add(f, "{\"type\":\"tick\",\"src\":\"aligner\",\"game_id\":"
		    "\"%s\",\"epoch\":%" PRId64 ",\"seq\":%ld,\"ts\":%" PRId64
		    ",\"espn\":[", f->ids[g], f->epoch, seq, ts);
	if (k % 2 == 1 && !f->no_points)
		point_espn(f, g, k, ts, stamp);
	add(f, "],\"kalshi\":[");
	if (!f->no_points)
		point_kalshi(f, g, k, ts, stamp);
	add(f, "],\"aligned\":{\"ts\":%" PRId64 ",\"espn\":%.3f,\"kalshi\":"
	    "%.3f,\"diff\":%.3f}}%s", ts, wp_at(k, g), wp_at(k + 3, g),
	    wp_at(k, g) - wp_at(k + 3, g), nchan ? "" : "\n");
}

static const char feed_usage[] =
    "usage: ws-load feed [-ALT] [-g games] [-i ids] [-r rate] [-d seconds] "
    "[-n count] [-J jitter_ms] [-E espn_pts] [-K kalshi_pts] [-e epoch] [-s seq0] [-H] "
    "[-o -|unix:PATH] [-N host:port] [-p pad] [-l linger] [-w warmup] [-W file]\n";

int
feed_main(int argc, char **argv)
{
	struct feed f;
	char *idlist = NULL, *tok, *save;
	int ch, g, i, nchan;
	int64_t start, due, end, interval;
	long j, k;

	signal(SIGPIPE, SIG_IGN);	/* a closed socket: EPIPE, said */
	signal(SIGTERM, on_term);	/* ends the ticks: the summary goes out */
	memset(&f, 0, sizeof(f));
	f.games = 1;
	f.rate = 10;
	f.espn_pts = 240;
	f.kalshi_pts = 1200;
	f.epoch = time_now_us() / 1000;
	f.seq0 = 1;
	f.out = "-";
	f.warmup = 1;
	while ((ch = getopt(argc, argv, "Ad:e:E:g:Hhi:J:K:Ll:n:N:o:p:r:s:Tw:W:")) != -1) {
		switch (ch) {
		case 'A': f.no_points = 1; break;
		case 'd': f.duration = atof(optarg); break;
		case 'e': f.epoch = strtoll(optarg, NULL, 10); break;
		case 'E': f.espn_pts = atoi(optarg); break;
		case 'g': f.games = atoi(optarg); break;
		case 'H': f.no_history = 1; break;
		case 'i': idlist = optarg; break;
		case 'J': f.jitter_ms = atof(optarg); break;
		case 'K': f.kalshi_pts = atoi(optarg); break;
		case 'l': f.linger = atof(optarg); break;
		case 'L': feed_say_late = 1; break;
		case 'n': f.count = atol(optarg); break;
		case 'N': f.nchan = optarg; break;
		case 'o': f.out = optarg; break;
		case 'p': f.pad = atoi(optarg); break;
		case 'r': f.rate = atof(optarg); break;
		case 's': f.seq0 = atol(optarg); break;
		case 'T': f.together = 1; break;
		case 'w': f.warmup = atof(optarg); break;
		case 'W': f.wait_file = optarg; break;
		case 'h': fputs(feed_usage, stdout); return 0;
		default: fputs(feed_usage, stderr); return 64;
		}
	}
	if (f.rate <= 0 || (f.duration <= 0 && f.count <= 0) ||
	    (idlist == NULL && (f.games < 1 || f.games > 1000))) {
		fputs(feed_usage, stderr);
		return 64;
	}
	if (idlist != NULL) {
		f.games = 0;
		if ((f.ids = calloc(256, sizeof(*f.ids))) == NULL)
			exit(71);
		for (tok = strtok_r(idlist, ",", &save); tok && f.games < 256;
		    tok = strtok_r(NULL, ",", &save))
			if ((f.ids[f.games++] = strdup(tok)) == NULL)
				exit(71);
	} else {
		if ((f.ids = calloc((size_t)f.games, sizeof(*f.ids))) == NULL)
			exit(71);
		for (g = 0; g < f.games; g++) {
			if ((f.ids[g] = malloc(16)) == NULL)
				exit(71);
			snprintf(f.ids[g], 16, "%d", 401800001 + g);
		}
	}
	if (f.games < 1) {
		free(f.ids);
		fputs(feed_usage, stderr);
		return 64;
	}
	nchan = f.nchan != NULL;
	if (nchan)
		f.fd = connect_tcp(f.nchan);
	else if (f.out == NULL || strcmp(f.out, "-") == 0)
		f.fd = 1;
	else if (strncmp(f.out, "unix:", 5) == 0)
		f.fd = connect_unix(f.out + 5);
	else
		f.fd = -1;
	if (f.fd < 0) {
		fprintf(stderr, "ws-load feed: cannot open %s\n",
		    nchan ? f.nchan : f.out);
		for (g = 0; g < f.games; g++)
			free(f.ids[g]);
		free(f.ids);
		return 69;
	}
	f.cap = 1 << 16;
	if ((f.buf = malloc(f.cap)) == NULL)
		exit(71);

	start = time_now_us() / 1000;
	for (g = 0; g < f.games && !f.no_history; g++) {
		f.len = 0;
		if (nchan) {
			/* The same halftime series as a first message. */
			history_tick(&f, g, start, 1);
			nchan_publish(&f, f.ids[g], f.buf, f.len);
		} else {
			game_line(&f, g);
			history_tick(&f, g, start, 0);
			write_all(f.fd, f.buf, f.len);
		}
	}
	interval = (int64_t)(1e6 / (f.rate * (f.together ? 1 : f.games)));
	if (f.wait_file != NULL)
		while (!feed_stop && access(f.wait_file, F_OK) != 0) {
			feed_waiting = 1;
			if (!feed_stop)
				usleep(20000);
			feed_waiting = 0;
		}
	/*
	 * Live ticks start a quiet spell after the history, so the
	 * server's time spent on the history is not a phase shift that a
	 * rate limiter would carry into every later tick.
	 */
	start = time_mono_us() + (f.no_history ? interval :
	    (int64_t)(f.warmup * 1e6));
	end = f.duration > 0 ? start + (int64_t)(f.duration * 1e6) : INT64_MAX;
	for (j = 0;; j++) {
		k = f.together ? j + 1 : j / f.games + 1;
		if (f.count > 0 && k > f.count)
			break;
		due = start + j * interval;
		if (due >= end || feed_stop)
			break;
		/* -J: early then late in turn, the worst case for a limiter. */
		due += (int64_t)(f.jitter_ms * 1000) * (j % 2 ? 1 : -1);
		sleep_until(due);
		feed_ticks = j + 1;
		if (time_mono_us() - due > feed_late_us)
			feed_late_us = time_mono_us() - due;
		f.len = 0;
		if (!f.together) {
			g = (int)(j % f.games);
			live(&f, g, k, nchan, due);
			if (nchan)
				nchan_publish(&f, f.ids[g], f.buf, f.len);
			else
				write_all(f.fd, f.buf, f.len);
			continue;
		}
		/*
		 * -T: every game's tick at once, in one write (one publish
		 * each for nchan), first to last and last to first in turn.
		 */
		for (i = 0; i < f.games; i++) {
			g = k % 2 ? i : f.games - 1 - i;
			if (nchan)
				f.len = 0;
			live(&f, g, k, nchan, due);
			if (nchan)
				nchan_publish(&f, f.ids[g], f.buf, f.len);
		}
		if (!nchan)
			write_all(f.fd, f.buf, f.len);
	}
	/* A server that held the feed back (see live()) shows here. */
	if (feed_say_late)
		say_late();
	if (f.linger > 0 && !feed_stop)
		usleep((useconds_t)(f.linger * 1e6));
	if (f.fd > 2)
		close(f.fd);
	for (g = 0; g < f.games; g++)
		free(f.ids[g]);
	free(f.ids);
	free(f.buf);
	return 0;
}
