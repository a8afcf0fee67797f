/*
 * replay: paced playback of a recorded espn-poll stream. Lines are passed
 * through byte for byte; only their times are read. The file is local, so
 * reading it a line at a time from the loop does not stall it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonutil.h"
#include "log.h"
#include "ndjson.h"
#include "opts.h"
#include "replay.h"
#include "vec.h"

#define MAX_LINE	NDJSON_DEFAULT_MAX_LINE
#define MAX_KEPT	(64u << 20)	/* bytes kept for resending */
#define BURST		256		/* lines per loop turn at most */

struct kept {
	char	*line;
	size_t	 len;
	char	 game_id[24];	/* game lines: replaced by the next */
};

struct replay {
	uv_loop_t	*loop;
	FILE		*fp;
	double		 speed;
	struct output	*out;
	void		(*on_end)(void *, int);
	void		*arg;
	uv_timer_t	 timer;
	int		 timer_open;
	char		*buf;		/* getline's */
	size_t		 bufcap;
	char		*pending;	/* read, not yet due */
	size_t		 pending_len;
	int64_t		 pending_t;
	int64_t		 last_t;	/* recorded time of the last line out */
	int		 have_last;
	int64_t		 first_t;	/* recorded time of the first line */
	uint64_t	 start;		/* uv_now when it went out */
	struct kept	*kept;
	size_t		 nkept, capkept, kept_bytes;
	unsigned long	 bad;
	struct ratelimit rl;
};

static void
keep(struct replay *r, const char *line, size_t len, const json_t *obj)
{
	const char *type = jsonutil_str(obj, "type"), *gid = jsonutil_str(obj, "game_id");
	struct kept *k;
	size_t i;

	if (type == NULL || gid == NULL)
		return;
	if (strcmp(type, "game") == 0) {
		for (i = 0; i < r->nkept; i++) {
			k = &r->kept[i];
			if (k->game_id[0] != '\0' && strcmp(k->game_id, gid) == 0) {
				char *c = malloc(len);

				if (c == NULL)
					return;
				memcpy(c, line, len);
				r->kept_bytes += len - k->len;
				free(k->line);
				k->line = c;
				k->len = len;
				return;
			}
		}
	} else if (strcmp(type, "wp") != 0)
		return;
	if (r->kept_bytes + len > MAX_KEPT)
		return;
	if (vec_grow(&r->kept, &r->capkept, r->nkept + 1, sizeof(*r->kept),
	    256) == -1)
		return;
	k = &r->kept[r->nkept];
	if ((k->line = malloc(len)) == NULL)
		return;
	memcpy(k->line, line, len);
	k->len = len;
	k->game_id[0] = '\0';
	if (strcmp(type, "game") == 0)
		snprintf(k->game_id, sizeof(k->game_id), "%s", gid);
	r->kept_bytes += len;
	r->nkept++;
}

static void
finish(struct replay *r, int code)
{
	if (r->timer_open)
		uv_timer_stop(&r->timer);
	r->on_end(r->arg, code);
}

/* Reads the next usable line into pending; 1, 0 at EOF, -1 on error. */
static int
read_next(struct replay *r)
{
	json_t *obj = NULL;
	ssize_t n;
	long long t;

	for (;;) {
		errno = 0;
		if ((n = getline(&r->buf, &r->bufcap, r->fp)) < 0)
			return ferror(r->fp) ? -1 : 0;
		while (n > 0 && (r->buf[n - 1] == '\n' || r->buf[n - 1] == '\r'))
			n--;
		if (n == 0)
			continue;
		if ((size_t)n > MAX_LINE ||
		    (obj = json_loadb(r->buf, (size_t)n, 0, NULL)) == NULL ||
		    !json_is_object(obj)) {
			json_decref(obj);
			obj = NULL;
			r->bad++;
			log_rl(&r->rl, LOG_LVL_WARN, "line skipped",
			    "bad_lines=%lu", r->bad);
			continue;
		}
		if (jsonutil_int(obj, "recv_ts", &t) == -1 &&
		    jsonutil_int(obj, "ts", &t) == -1)
			t = r->have_last ? r->last_t : 0;
		r->buf[n] = '\n';
		r->pending = r->buf;
		r->pending_len = (size_t)n + 1;
		r->pending_t = t;
		json_decref(obj);
		return 1;
	}
}

static void
tick(uv_timer_t *t)
{
	struct replay *r = t->data;
	json_t *obj;
	int64_t wait;
	int i, rc;

	for (i = 0; i < BURST; i++) {
		if (r->pending == NULL) {
			if ((rc = read_next(r)) <= 0) {
				finish(r, rc == 0 ? 0 : EXIT_IOERR);
				return;
			}
			if (r->have_last && r->pending_t > r->last_t) {
				/* From the start, so rounding never adds up. */
				uv_update_time(r->loop);
				wait = (int64_t)r->start + (int64_t)((double)
				    (r->pending_t - r->first_t) / r->speed) -
				    (int64_t)uv_now(r->loop);
				if (wait > 0) {
					uv_timer_start(&r->timer, tick,
					    (uint64_t)wait, 0);
					return;
				}
			}
		}
		/* As in poller.c: a consumer that is away gets the state. */
		if (output_connected(r->out))
			output_write(r->out, r->pending, r->pending_len);
		/* Kept once due, so a resend never runs ahead. */
		if ((obj = json_loadb(r->pending, r->pending_len, 0,
		    NULL)) != NULL) {
			keep(r, r->pending, r->pending_len, obj);
			json_decref(obj);
		}
		if (!r->have_last) {
			r->first_t = r->pending_t;
			r->start = uv_now(r->loop);
		}
		if (!r->have_last || r->pending_t > r->last_t)
			r->last_t = r->pending_t;
		r->have_last = 1;
		r->pending = NULL;
	}
	uv_timer_start(&r->timer, tick, 0, 0);
}

struct replay *
replay_new(uv_loop_t *loop, const char *path, double speed,
    struct output *out, void (*on_end)(void *, int), void *arg,
    struct errbuf *err)
{
	struct replay *r;

	if ((r = errbuf_calloc(sizeof(*r), err)) == NULL)
		return NULL;
	if ((r->fp = fopen(path, "r")) == NULL) {
		errbuf_set(err, "%s: %s", path, strerror(errno));
		free(r);
		return NULL;
	}
	r->loop = loop;
	r->speed = speed > 0 ? speed : 1;
	r->out = out;
	r->on_end = on_end;
	r->arg = arg;
	r->rl = (struct ratelimit)RATELIMIT_INIT(10000, 5);
	uv_timer_init(loop, &r->timer);
	r->timer.data = r;
	r->timer_open = 1;
	uv_timer_start(&r->timer, tick, 0, 0);
	return r;
}

void
replay_resend(struct replay *r, struct output *out)
{
	size_t i;

	for (i = 0; i < r->nkept; i++)
		output_write(out, r->kept[i].line, r->kept[i].len);
}

void
replay_stop(struct replay *r)
{
	if (r != NULL && r->timer_open) {
		r->timer_open = 0;
		uv_close((uv_handle_t *)&r->timer, NULL);
	}
}

void
replay_free(struct replay *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nkept; i++)
		free(r->kept[i].line);
	free(r->kept);
	free(r->buf);
	fclose(r->fp);
	free(r);
}
