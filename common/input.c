/*
 * input: NDJSON sources on libuv: stdin, a file or FIFO, or a listening
 * Unix socket with any number of writers. Turns bytes into lines through
 * ndjson.c; never interprets the lines. Memory of handles is freed only
 * in close callbacks.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "input.h"
#include "uvstream.h"

#define READ_CHUNK (64 * 1024)

enum input_kind {
	IN_STREAM,		/* stdin pipe/tty, or an opened FIFO */
	IN_FILE,		/* regular file: uv_fs_read */
	IN_FIFO_OPENING,	/* FIFO: blocking open in the threadpool */
	IN_UNIX,		/* listening socket */
};

struct conn {
	struct input		*in;
	union uvstream		 u;
	unsigned		 id;
	int			 reading;
	int			 closing;
	struct ndjson_reader	 rd;
	struct conn		*next;
};

struct input {
	uv_loop_t		*loop;
	struct input_cfg	 cfg;
	char			*spec;
	char			*path;		/* file, FIFO or socket path */
	enum input_kind		 kind;
	int			 paused;
	int			 closing;
	int			 eof;
	int			 handles;	/* open handles + pending fs reqs */
	unsigned		 next_id;
	int			 nconns;
	struct conn		*conns;
	uv_pipe_t		 server;
	int			 server_open;
	/* IN_FILE */
	uv_fs_t			 fsreq;
	uv_file			 fd;
	int			 own_fd;
	int			 read_pending;
	int64_t			 off;
	struct ndjson_reader	 file_rd;
	/* IN_FIFO_OPENING */
	uv_fs_t			 openreq;
	int			 open_pending;
	struct ndjson_stats	 closed;	/* stats of finished conns */
	char			 buf[READ_CHUNK];
};

static void	conn_line(void *, json_t *, const char *, size_t);
static void	conn_bad(void *, enum ndjson_bad, const char *);
static void	file_read(struct input *);

static void
maybe_free(struct input *in)
{
	if (!in->closing || in->handles > 0)
		return;
	ndjson_reader_fini(&in->file_rd);
	free(in->spec);
	free(in->path);
	free(in);
}

static void
add_stats(struct ndjson_stats *to, const struct ndjson_stats *from)
{
	to->lines += from->lines;
	to->too_long += from->too_long;
	to->not_json += from->not_json;
	to->not_object += from->not_object;
	to->bytes += from->bytes;
}

/* Line callbacks: the reader's arg is the conn, or the input for files. */
static void
deliver(struct input *in, unsigned id, json_t *obj, const char *line,
    size_t len)
{
	if (in->closing)
		return;
	in->cfg.on_line(in->cfg.arg, in, id, obj, line, len);
}

static void
conn_line(void *arg, json_t *obj, const char *line, size_t len)
{
	struct conn *c = arg;

	deliver(c->in, c->id, obj, line, len);
}

static void
file_line(void *arg, json_t *obj, const char *line, size_t len)
{
	deliver(arg, 0, obj, line, len);
}

static void
report_bad(struct input *in, enum ndjson_bad why, const char *detail)
{
	if (!in->closing && in->cfg.on_bad)
		in->cfg.on_bad(in->cfg.arg, in, why, detail);
}

static void
conn_bad(void *arg, enum ndjson_bad why, const char *detail)
{
	report_bad(((struct conn *)arg)->in, why, detail);
}

static void
file_bad(void *arg, enum ndjson_bad why, const char *detail)
{
	report_bad(arg, why, detail);
}

static void
conn_closed(uv_handle_t *h)
{
	struct conn *c = h->data;
	struct input *in = c->in;

	ndjson_reader_fini(&c->rd);
	free(c);
	in->handles--;
	maybe_free(in);
}

static void
conn_close(struct conn *c)
{
	struct input *in = c->in;
	struct conn **pp;

	if (c->closing)
		return;
	c->closing = 1;
	add_stats(&in->closed, &c->rd.stats);
	memset(&c->rd.stats, 0, sizeof(c->rd.stats));
	for (pp = &in->conns; *pp; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	in->nconns--;
	uv_close(&c->u.h, conn_closed);
}

static void
alloc_cb(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	struct conn *c = h->data;

	(void)suggested;
	/* Safe to share: libuv calls read_cb right after each alloc_cb. */
	*buf = uv_buf_init(c->in->buf, sizeof(c->in->buf));
}

static void
read_cb(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
	struct conn *c = s->data;
	struct input *in = c->in;

	if (n > 0) {
		if (ndjson_reader_feed(&c->rd, buf->base, (size_t)n) == -1 &&
		    in->cfg.on_error)
			in->cfg.on_error(in->cfg.arg, in, "out of memory",
			    UV_ENOMEM);
		return;
	}
	if (n == 0)
		return;
	if (in->kind == IN_UNIX) {
		/* A writer went away: a partial line is dropped with it. */
		unsigned id = c->id;

		if (n != UV_EOF && in->cfg.on_error && !in->closing)
			in->cfg.on_error(in->cfg.arg, in, "read", (int)n);
		conn_close(c);
		if (in->cfg.on_conn && !in->closing)
			in->cfg.on_conn(in->cfg.arg, in, id, 0);
		return;
	}
	if (n == UV_EOF)
		ndjson_reader_finish(&c->rd);
	else if (in->cfg.on_error && !in->closing)
		in->cfg.on_error(in->cfg.arg, in, "read", (int)n);
	conn_close(c);
	in->eof = 1;
	if (in->cfg.on_eof && !in->closing)
		in->cfg.on_eof(in->cfg.arg, in);
}

static struct conn *
conn_new(struct input *in)
{
	struct conn *c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->in = in;
	c->id = in->next_id++;
	c->u.h.data = c;
	ndjson_reader_init(&c->rd, in->cfg.max_line, conn_line, conn_bad, c);
	c->rd.raw = in->cfg.raw;
	return c;
}

static void
conn_add(struct input *in, struct conn *c)
{
	c->next = in->conns;
	in->conns = c;
	in->nconns++;
	in->handles++;
	if (!in->paused && uv_read_start(&c->u.s, alloc_cb, read_cb) == 0)
		c->reading = 1;
}

static void
on_connection(uv_stream_t *server, int status)
{
	struct input *in = server->data;
	struct conn *c;

	if (status < 0 || in->closing)
		return;
	if ((c = conn_new(in)) == NULL)
		return;
	if (uv_pipe_init(in->loop, &c->u.pipe, 0) != 0) {
		ndjson_reader_fini(&c->rd);
		free(c);
		return;
	}
	c->u.h.data = c;
	if (uv_accept(server, &c->u.s) != 0 || in->nconns >= in->cfg.max_conns) {
		/* Over the limit: accept and close so the writer sees it. */
		in->handles++;
		c->closing = 1;
		uv_close(&c->u.h, conn_closed);
		return;
	}
	conn_add(in, c);
	if (in->cfg.on_conn)
		in->cfg.on_conn(in->cfg.arg, in, c->id, 1);
}

static int
open_stream_fd(struct input *in, int fd, struct errbuf *err)
{
	struct conn *c;
	int r;

	if ((c = conn_new(in)) == NULL)
		return errbuf_set(err, "%s: out of memory", in->spec);
	if (uv_guess_handle(fd) == UV_TTY)
		r = uv_tty_init(in->loop, &c->u.tty, fd, 1);
	else if ((r = uv_pipe_init(in->loop, &c->u.pipe, 0)) == 0 &&
	    (r = uv_pipe_open(&c->u.pipe, fd)) != 0) {
		c->closing = 1;
		in->handles++;
		uv_close(&c->u.h, conn_closed);
		return errbuf_set(err, "%s: %s", in->spec, uv_strerror(r));
	}
	if (r != 0) {
		ndjson_reader_fini(&c->rd);
		free(c);
		return errbuf_set(err, "%s: %s", in->spec, uv_strerror(r));
	}
	c->u.h.data = c;
	in->kind = IN_STREAM;
	conn_add(in, c);
	return 0;
}

static void
file_read_cb(uv_fs_t *req)
{
	struct input *in = req->data;
	ssize_t n = req->result;

	uv_fs_req_cleanup(req);
	in->read_pending = 0;
	in->handles--;
	if (in->closing) {
		if (in->own_fd) {
			uv_fs_t creq;

			uv_fs_close(NULL, &creq, in->fd, NULL);
			uv_fs_req_cleanup(&creq);
		}
		maybe_free(in);
		return;
	}
	if (n > 0) {
		if (in->off >= 0)
			in->off += n;
		ndjson_reader_feed(&in->file_rd, in->buf, (size_t)n);
		if (!in->closing)
			file_read(in);
		else
			maybe_free(in);
		return;
	}
	if (n < 0 && in->cfg.on_error)
		in->cfg.on_error(in->cfg.arg, in, "read", (int)n);
	else
		ndjson_reader_finish(&in->file_rd);
	in->eof = 1;
	if (in->own_fd) {
		uv_fs_t creq;

		uv_fs_close(NULL, &creq, in->fd, NULL);
		uv_fs_req_cleanup(&creq);
		in->own_fd = 0;
	}
	if (in->cfg.on_eof && !in->closing)
		in->cfg.on_eof(in->cfg.arg, in);
}

static void
file_read(struct input *in)
{
	uv_buf_t b = uv_buf_init(in->buf, sizeof(in->buf));

	if (in->paused || in->read_pending || in->eof || in->closing)
		return;
	in->fsreq.data = in;
	if (uv_fs_read(in->loop, &in->fsreq, in->fd, &b, 1, in->off,
	    file_read_cb) == 0) {
		in->read_pending = 1;
		in->handles++;
	}
}

static void
fifo_open_cb(uv_fs_t *req)
{
	struct input *in = req->data;
	ssize_t fd = req->result;
	struct errbuf err;

	uv_fs_req_cleanup(req);
	in->open_pending = 0;
	in->handles--;
	if (in->closing) {
		if (fd >= 0)
			close((int)fd);
		maybe_free(in);
		return;
	}
	if (fd < 0 || open_stream_fd(in, (int)fd, &err) == -1) {
		if (fd >= 0)
			close((int)fd);
		in->eof = 1;
		if (in->cfg.on_error)
			in->cfg.on_error(in->cfg.arg, in, "open",
			    fd < 0 ? (int)fd : UV_EINVAL);
		if (in->cfg.on_eof)
			in->cfg.on_eof(in->cfg.arg, in);
	}
}

static int
open_path(struct input *in, const char *path, struct errbuf *err)
{
	struct stat st;
	int fd;

	if (stat(path, &st) == -1)
		return errbuf_set(err, "%s: %s", path, strerror(errno));
	if (S_ISFIFO(st.st_mode)) {
		/*
		 * A blocking open in the threadpool waits for the writer, as
		 * a FIFO reader should, without blocking the loop.
		 */
		in->kind = IN_FIFO_OPENING;
		in->openreq.data = in;
		if (uv_fs_open(in->loop, &in->openreq, path, O_RDONLY, 0,
		    fifo_open_cb) != 0)
			return errbuf_set(err, "%s: cannot open", path);
		in->open_pending = 1;
		in->handles++;
		return 0;
	}
	if (S_ISDIR(st.st_mode))
		return errbuf_set(err, "%s: is a directory", path);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return errbuf_set(err, "%s: %s", path, strerror(errno));
	/*
	 * A character device other than a terminal (/dev/null) cannot be
	 * polled (epoll_ctl: EPERM, and libuv aborts): it is read like a
	 * file, in the threadpool, at no offset (-1: plain read()).
	 */
	if (S_ISREG(st.st_mode) || (S_ISCHR(st.st_mode) && !isatty(fd))) {
		in->kind = IN_FILE;
		in->fd = fd;
		in->own_fd = 1;
		in->off = S_ISREG(st.st_mode) ? 0 : -1;
		file_read(in);
		return 0;
	}
	if (open_stream_fd(in, fd, err) == -1) {
		close(fd);
		return -1;
	}
	return 0;
}

static int
open_unix(struct input *in, const char *path, struct errbuf *err)
{
	struct stat st;
	int r;

	/* A socket left by a previous run would make bind fail. */
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode))
			return errbuf_set(err, "%s: exists and is not a socket",
			    path);
		unlink(path);
	}
	if ((r = uv_pipe_init(in->loop, &in->server, 0)) != 0)
		return errbuf_set(err, "unix:%s: %s", path, uv_strerror(r));
	in->server.data = in;
	in->server_open = 1;
	in->handles++;
	if ((r = uv_pipe_bind(&in->server, path)) != 0 ||
	    (r = uv_listen((uv_stream_t *)&in->server, 128,
	    on_connection)) != 0)
		return errbuf_set(err, "unix:%s: %s", path, uv_strerror(r));
	in->kind = IN_UNIX;
	return 0;
}

struct input *
input_open(uv_loop_t *loop, const char *spec, const struct input_cfg *cfg,
    struct errbuf *err)
{
	struct input *in;
	int r = 0;

	if (cfg->on_line == NULL) {
		errbuf_set(err, "%s: no line callback", spec);
		return NULL;
	}
	if ((in = calloc(1, sizeof(*in))) == NULL ||
	    (in->spec = strdup(spec)) == NULL) {
		free(in);
		errbuf_set(err, "%s: out of memory", spec);
		return NULL;
	}
	in->loop = loop;
	in->cfg = *cfg;
	if (in->cfg.max_conns <= 0)
		in->cfg.max_conns = 64;
	in->fd = -1;
	ndjson_reader_init(&in->file_rd, cfg->max_line, file_line, file_bad,
	    in);
	in->file_rd.raw = cfg->raw;
	if (strcmp(spec, "-") == 0) {
		if (uv_guess_handle(0) == UV_FILE) {
			in->kind = IN_FILE;
			in->fd = 0;
			file_read(in);
		} else
			r = open_stream_fd(in, 0, err);
	} else if (strncmp(spec, "unix:", 5) == 0) {
		if (spec[5] == '\0')
			r = errbuf_set(err, "%s: empty socket path", spec);
		else if ((in->path = strdup(spec + 5)) == NULL)
			r = errbuf_set(err, "%s: out of memory", spec);
		else
			r = open_unix(in, in->path, err);
	} else if (spec[0] == '\0') {
		r = errbuf_set(err, "empty input name");
	} else {
		if ((in->path = strdup(spec)) == NULL)
			r = errbuf_set(err, "%s: out of memory", spec);
		else
			r = open_path(in, in->path, err);
	}
	if (r == -1) {
		input_close(in);
		return NULL;
	}
	return in;
}

void
input_pause(struct input *in)
{
	struct conn *c;

	if (in->paused)
		return;
	in->paused = 1;
	for (c = in->conns; c; c = c->next)
		if (c->reading) {
			uv_read_stop(&c->u.s);
			c->reading = 0;
		}
}

void
input_resume(struct input *in)
{
	struct conn *c;

	if (!in->paused || in->closing)
		return;
	in->paused = 0;
	for (c = in->conns; c; c = c->next)
		if (!c->reading && !c->closing &&
		    uv_read_start(&c->u.s, alloc_cb, read_cb) == 0)
			c->reading = 1;
	if (in->kind == IN_FILE)
		file_read(in);
}

void
input_stats(const struct input *in, struct ndjson_stats *st)
{
	const struct conn *c;

	*st = in->closed;
	add_stats(st, &in->file_rd.stats);
	for (c = in->conns; c; c = c->next)
		add_stats(st, &c->rd.stats);
}

const char *
input_spec(const struct input *in)
{
	return in->spec;
}

int
input_is_socket(const struct input *in)
{
	return in->kind == IN_UNIX;
}

static void
server_closed(uv_handle_t *h)
{
	struct input *in = h->data;

	in->handles--;
	maybe_free(in);
}

void
input_close(struct input *in)
{
	if (in == NULL || in->closing)
		return;
	in->closing = 1;
	while (in->conns)
		conn_close(in->conns);
	if (in->server_open) {
		in->server_open = 0;
		uv_close((uv_handle_t *)&in->server, server_closed);
		if (in->kind == IN_UNIX && in->path)
			unlink(in->path);
	}
	if (in->open_pending && in->path != NULL) {
		/* Unblock the threadpool open by playing writer for a moment. */
		int fd = open(in->path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);

		if (fd >= 0)
			close(fd);
	}
	if (in->kind == IN_FILE && in->own_fd && !in->read_pending) {
		close(in->fd);
		in->own_fd = 0;
	}
	maybe_free(in);
}
