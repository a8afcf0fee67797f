/*
 * output: NDJSON to stdout or to a Unix socket that is (re)connected with
 * backoff. Lines are batched: while one write is in flight the next ones
 * collect in a pending buffer. Never grows past max_queue: the oldest
 * whole lines are shed and counted.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backoff.h"
#include "output.h"
#include "output_redis.h"
#include "redis_url.h"
#include "timeutil.h"
#include "uvstream.h"

enum output_kind {
	OUT_STREAM,	/* stdout pipe or tty, through libuv */
	OUT_SYNC,	/* stdout a regular file: plain write(2) */
	OUT_UNIX,	/* connect to a listening socket */
	OUT_REDIS,	/* Redis Streams: output_redis.c does it all */
};

struct output {
	uv_loop_t		*loop;
	struct output_cfg	 cfg;
	enum output_kind	 kind;
	char			*path;
	union uvstream		 u;
	int			 stream_open;	/* u is initialised */
	int			 connected;
	int			 connecting;
	int			 failed;
	int			 busy;		/* above high water */
	int			 closing;
	int			 finished;	/* closing handles now */
	int			 tried;		/* a connect was attempted */
	int			 handles;
	uv_connect_t		 creq;
	uv_timer_t		 retry;
	uv_timer_t		 close_timer;
	int			 retry_open, close_timer_open;
	struct backoff		 backoff;
	/* pending: not yet handed to libuv */
	char			*pend;
	size_t			 plen, pcap;
	/* in flight: owned by the write request */
	char			*fly;
	size_t			 flen, fcap;
	uv_write_t		 wreq;
	int			 writing;
	struct output_stats	 stats;
	void			(*done)(void *);
	void			*done_arg;
	struct oredis		*rd;		/* OUT_REDIS */
};

static void	kick(struct output *);
static void	start_connect(struct output *);
static void	finish_close(struct output *);

static void
maybe_finish(struct output *out)
{
	if (!out->closing || out->handles > 0 || out->writing)
		return;
	if (out->done)
		out->done(out->done_arg);
	free(out->pend);
	free(out->fly);
	free(out->path);
	free(out);
}

static void
handle_closed(uv_handle_t *h)
{
	struct output *out = h->data;

	out->handles--;
	maybe_finish(out);
}

static void
check_drain(struct output *out)
{
	size_t q = output_queued(out);

	if (out->busy && q <= out->cfg.max_queue / 4) {
		out->busy = 0;
		if (out->cfg.on_drain && !out->closing)
			out->cfg.on_drain(out->cfg.arg, out);
	}
}

/* Drops whole lines from the front of pending until need bytes fit. */
static void
shed(struct output *out, size_t need)
{
	size_t cut = 0;
	const char *nl;

	while (out->plen - cut + out->flen + need > out->cfg.max_queue &&
	    cut < out->plen) {
		nl = memchr(out->pend + cut, '\n', out->plen - cut);
		cut = nl ? (size_t)(nl - out->pend) + 1 : out->plen;
		out->stats.dropped++;
	}
	if (cut > 0 && out->pend != NULL) {
		memmove(out->pend, out->pend + cut, out->plen - cut);
		out->plen -= cut;
	}
}

static int
append(struct output *out, const char *data, size_t len)
{
	size_t want;
	char *nb;

	if (out->plen + out->flen + len > out->cfg.max_queue) {
		if (len > out->cfg.max_queue) {
			out->stats.dropped++;
			return 0;
		}
		shed(out, len);
	}
	if (out->plen + len > out->pcap) {
		want = out->pcap ? out->pcap : 64 * 1024;
		while (want < out->plen + len)
			want *= 2;
		if ((nb = realloc(out->pend, want)) == NULL) {
			out->stats.dropped++;
			return -1;
		}
		out->pend = nb;
		out->pcap = want;
	}
	memcpy(out->pend + out->plen, data, len);
	out->plen += len;
	if (output_queued(out) > out->cfg.max_queue / 2)
		out->busy = 1;
	return 0;
}

static void
drop_connection(struct output *out)
{
	if (!out->stream_open)
		return;
	out->connected = 0;
	out->stream_open = 0;
	uv_close(&out->u.h, handle_closed);
	if (out->cfg.on_disconnect && !out->closing)
		out->cfg.on_disconnect(out->cfg.arg, out);
	start_connect(out);
}

static void
write_cb(uv_write_t *req, int status)
{
	struct output *out = req->data;

	out->writing = 0;
	if (status == 0) {
		out->stats.bytes += out->flen;
	} else if (out->kind == OUT_UNIX) {
		/* Lost with the connection; the peer resyncs on reconnect. */
		if (status != UV_ECANCELED)
			drop_connection(out);
	} else if (!out->failed) {
		out->failed = 1;
		out->plen = 0;
		if (out->cfg.on_error && !out->closing)
			out->cfg.on_error(out->cfg.arg, out, status);
	}
	out->flen = 0;
	if (out->closing && out->plen == 0) {
		finish_close(out);
		return;
	}
	kick(out);
	check_drain(out);
}

static void
kick(struct output *out)
{
	uv_buf_t b;
	char *t;
	size_t tc;
	int r;

	if (out->writing || out->plen == 0 || out->failed)
		return;
	if (out->kind == OUT_SYNC) {
		size_t off = 0;
		ssize_t n;

		while (off < out->plen) {
			n = write(STDOUT_FILENO, out->pend + off,
			    out->plen - off);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				out->failed = 1;
				if (out->cfg.on_error && !out->closing)
					out->cfg.on_error(out->cfg.arg, out,
					    uv_translate_sys_error(errno));
				break;
			}
			off += (size_t)n;
		}
		out->stats.bytes += off;
		out->plen = 0;
		return;
	}
	if (!out->connected)
		return;
	/* Swap buffers: pending becomes the in-flight buffer. */
	t = out->fly;
	tc = out->fcap;
	out->fly = out->pend;
	out->fcap = out->pcap;
	out->flen = out->plen;
	out->pend = t;
	out->pcap = tc;
	out->plen = 0;
	b = uv_buf_init(out->fly, (unsigned)out->flen);
	out->wreq.data = out;
	if ((r = uv_write(&out->wreq, &out->u.s, &b, 1, write_cb)) != 0) {
		out->flen = 0;
		if (out->kind == OUT_UNIX)
			drop_connection(out);
		else {
			out->failed = 1;
			if (out->cfg.on_error && !out->closing)
				out->cfg.on_error(out->cfg.arg, out, r);
		}
		return;
	}
	out->writing = 1;
}

int
output_write(struct output *out, const char *line, size_t len)
{
	if (out == NULL || out->failed)
		return -1;
	if (out->kind == OUT_REDIS)
		return oredis_write(out->rd, line, len);
	out->stats.lines++;
	if (append(out, line, len) == -1)
		return -1;
	kick(out);
	return 0;
}

int
output_busy(const struct output *out)
{
	if (out->kind == OUT_REDIS)
		return oredis_busy(out->rd);
	return out->busy;
}

size_t
output_queued(const struct output *out)
{
	if (out->kind == OUT_REDIS)
		return oredis_queued(out->rd);
	return out->plen + out->flen;
}

int
output_connected(const struct output *out)
{
	if (out->kind == OUT_REDIS)
		return oredis_connected(out->rd);
	return out->kind != OUT_UNIX || out->connected;
}

void
output_stats(const struct output *out, struct output_stats *st)
{
	if (out->kind == OUT_REDIS) {
		oredis_stats(out->rd, st);
		return;
	}
	*st = out->stats;
}

/* What the reader sends (it never should) lands here and is dropped. */
static void
peer_read_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	static char discard[256];

	*buf = uv_buf_init(discard, sizeof(discard));
}

static void
peer_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
	struct output *out = s->data;

	(void)buf;
	/* The reader never talks back: anything but data means it left. */
	if (n < 0)
		drop_connection(out);
}

static void
connect_cb(uv_connect_t *req, int status)
{
	struct output *out = req->data;
	char *held;
	size_t hlen, hcap;

	out->connecting = 0;
	if (out->finished) {
		if (out->stream_open) {
			out->stream_open = 0;
			uv_close(&out->u.h, handle_closed);
		}
		return;
	}
	if (status != 0) {
		out->stream_open = 0;
		uv_close(&out->u.h, handle_closed);
		start_connect(out);
		return;
	}
	out->connected = 1;
	out->stats.connects++;
	backoff_reset(&out->backoff);
	uv_read_start(&out->u.s, peer_read_alloc, peer_read);
	/* State from on_connect goes before what queued while away. */
	held = out->pend;
	hlen = out->plen;
	hcap = out->pcap;
	out->pend = NULL;
	out->plen = out->pcap = 0;
	if (out->cfg.on_connect)
		out->cfg.on_connect(out->cfg.arg, out);
	if (hlen > 0)
		append(out, held, hlen);
	free(held);
	(void)hcap;
	kick(out);
	if (out->closing && !out->writing && out->plen == 0)
		finish_close(out);
}

static void
retry_cb(uv_timer_t *t)
{
	struct output *out = t->data;
	int r;

	if (out->finished || out->stream_open)
		return;
	if ((r = uv_pipe_init(out->loop, &out->u.pipe, 0)) != 0) {
		start_connect(out);
		return;
	}
	out->u.h.data = out;
	out->stream_open = 1;
	out->handles++;
	out->connecting = 1;
	out->creq.data = out;
	uv_pipe_connect(&out->creq, &out->u.pipe, out->path, connect_cb);
}

static void
start_connect(struct output *out)
{
	int64_t delay;

	if (out->finished || !out->retry_open)
		return;
	/* The first try is immediate; later ones back off. */
	delay = out->tried ? backoff_next(&out->backoff) : 0;
	out->tried = 1;
	uv_timer_start(&out->retry, retry_cb, (uint64_t)delay, 0);
}

struct output *
output_open(uv_loop_t *loop, const char *spec, const struct output_cfg *cfg,
    struct errbuf *err)
{
	struct output *out;
	int r;

	if ((out = calloc(1, sizeof(*out))) == NULL) {
		errbuf_set(err, "%s: out of memory", spec);
		return NULL;
	}
	out->loop = loop;
	out->cfg = *cfg;
	if (out->cfg.max_queue == 0)
		out->cfg.max_queue = 64u * 1024 * 1024;
	/* A local neighbour: retry quickly, never give up. */
	backoff_init(&out->backoff, (uint64_t)time_now_ms() ^
	    (uint64_t)getpid());
	out->backoff.base_ms = 100;
	out->backoff.max_ms = 2000;
	out->backoff.give_up = 0;
	if (strcmp(spec, "-") == 0) {
		switch (uv_guess_handle(STDOUT_FILENO)) {
		case UV_NAMED_PIPE:
			r = uv_pipe_init(loop, &out->u.pipe, 0);
			if (r == 0) {
				out->stream_open = 1;
				out->handles++;
				r = uv_pipe_open(&out->u.pipe, STDOUT_FILENO);
			}
			out->kind = OUT_STREAM;
			break;
		case UV_TTY:
			r = uv_tty_init(loop, &out->u.tty, STDOUT_FILENO, 0);
			if (r == 0) {
				out->stream_open = 1;
				out->handles++;
			}
			out->kind = OUT_STREAM;
			break;
		default:
			out->kind = OUT_SYNC;
			r = 0;
			break;
		}
		out->u.h.data = out;
		out->connected = 1;
		if (r != 0) {
			errbuf_set(err, "stdout: %s", uv_strerror(r));
			goto fail;
		}
		return out;
	}
	if (redis_url_is(spec)) {
		out->kind = OUT_REDIS;
		if ((out->rd = oredis_open(loop, spec, &out->cfg, out,
		    err)) == NULL)
			goto fail;
		return out;
	}
	if (strncmp(spec, "unix:", 5) != 0 || spec[5] == '\0') {
		errbuf_set(err, "%s: output must be -, unix:PATH or "
		    "redis://[HOST][:PORT]/NAME", spec);
		goto fail;
	}
	out->kind = OUT_UNIX;
	if ((out->path = strdup(spec + 5)) == NULL) {
		errbuf_set(err, "%s: out of memory", spec);
		goto fail;
	}
	uv_timer_init(loop, &out->retry);
	out->retry.data = out;
	out->retry_open = 1;
	out->handles++;
	start_connect(out);
	return out;
fail:
	out->closing = 1;
	if (out->stream_open) {
		out->stream_open = 0;
		uv_close(&out->u.h, handle_closed);
	} else
		maybe_finish(out);
	return NULL;
}

static void
finish_close(struct output *out)
{
	out->finished = 1;
	if (out->close_timer_open) {
		out->close_timer_open = 0;
		uv_close((uv_handle_t *)&out->close_timer, handle_closed);
	}
	if (out->retry_open) {
		out->retry_open = 0;
		uv_close((uv_handle_t *)&out->retry, handle_closed);
	}
	if (out->stream_open && !out->connecting) {
		out->stream_open = 0;
		uv_close(&out->u.h, handle_closed);
	}
	maybe_finish(out);
}

static void
close_timeout(uv_timer_t *t)
{
	struct output *out = t->data;

	/* Give up on the flush: pending lines are lost, in flight cancelled. */
	out->plen = 0;
	finish_close(out);
}

static void
redis_closed(void *arg)
{
	struct output *out = arg;

	maybe_finish(out);
}

void
output_close(struct output *out, int64_t timeout_ms, void (*done)(void *),
    void *arg)
{
	if (out == NULL) {
		if (done)
			done(arg);
		return;
	}
	if (out->closing)
		return;
	out->closing = 1;
	out->done = done;
	out->done_arg = arg;
	if (out->kind == OUT_REDIS) {
		oredis_close(out->rd, timeout_ms, redis_closed, out);
		return;
	}
	if (out->kind == OUT_SYNC) {
		kick(out);
		finish_close(out);
		return;
	}
	if (!out->failed && (out->plen > 0 || out->writing)) {
		/* Flush, connecting first if need be, for up to timeout_ms. */
		uv_timer_init(out->loop, &out->close_timer);
		out->close_timer.data = out;
		out->close_timer_open = 1;
		out->handles++;
		uv_timer_start(&out->close_timer, close_timeout,
		    (uint64_t)(timeout_ms > 0 ? timeout_ms : 0), 0);
		kick(out);
		return;
	}
	finish_close(out);
}
