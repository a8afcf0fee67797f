/*
 * output_redis: aligner lines into Redis Streams (the layout is in
 * man/courtside.7). Holds a bounded queue while Redis is away or slow;
 * past it, sheds the queue and republishes every game's full state.
 * Notices keys that went missing (EXISTS on reconnect, XADD NOMKSTREAM
 * answering nil) and republishes those games. Must not block the loop
 * and must not call the writer back from inside oredis_write.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hiredis/hiredis.h>
#include <hiredis/async.h>
#include <jansson.h>

#include "digits.h"
#include "log.h"
#include "link.h"
#include "output_redis.h"
#include "redis.h"
#include "redis_url.h"
#include "vec.h"

#define GAME_ID_MAX	31
#define MAX_GAMES	65536
#define INDEX_MAXLEN	4096
#define WINDOW_MAX	(8u * 1024 * 1024)	/* bytes sent, not answered */

enum ent_kind { ENT_FULL, ENT_LINE, ENT_SOURCE, ENT_EXISTS };

struct ogame {
	char		 id[GAME_ID_MAX + 1];
	char		 key[REDIS_URL_NAME_MAX + GAME_ID_MAX + 8];
	int		 have_full;	/* a full entry was queued */
	int		 acked;		/* and Redis took one */
	int		 want_full;	/* republish at the next resync */
	int		 final;		/* state "post": expire the stream */
	unsigned	 gen;		/* bumped when the key went missing */
	unsigned long	 since_full;	/* entries since the last full one */
};

struct ent {
	struct ent	*next;
	struct ogame	*g;		/* NULL: the index */
	enum ent_kind	 kind;
	char		*a, *b;		/* FULL: game, tick; else a = line */
	size_t		 alen, blen;
	size_t		 bytes;
};

struct cmd {
	struct oredis	*s;
	struct ogame	*g;
	enum ent_kind	 kind;
	unsigned	 gen;
	size_t		 bytes;
};

struct oredis {
	uv_loop_t		*loop;
	struct output_cfg	 cfg;
	struct output		*outer;
	struct redis_url	 url;
	struct redis_conn	*rc;
	char			 index_key[REDIS_URL_NAME_MAX + 8];
	char			 maxlen[24], ttl[24], imaxlen[24];
	size_t			 checkpoint;
	struct ogame		**games;
	size_t			 ngames, gcap;
	struct ent		*qhead, *qtail;
	size_t			 qbytes, inflight, window;
	unsigned long		 inflight_n;
	int			 shed;		/* queue lost: resync all */
	int			 want_sources;
	int			 busy;
	int			 in_snap, snap_all, snap_sources;
	struct ogame		*snap_g;	/* its game line held */
	char			*snap_game;
	size_t			 snap_glen;
	uv_timer_t		 resync_timer, close_timer;
	int			 handles, closing, finished;
	void			(*done)(void *);
	void			*done_arg;
	struct output_stats	 st;
	struct ratelimit	 rl;
};

static void	pump(struct oredis *);
static void	resync_cb(uv_timer_t *);
static void	handle_closed(uv_handle_t *);

/* Resyncs run from the loop, never inside the writer's own write. */
static void
schedule_resync(struct oredis *s)
{
	if (!s->finished)
		uv_timer_start(&s->resync_timer, resync_cb, 0, 0);
}

static void
ent_free(struct ent *e)
{
	free(e->a);
	free(e->b);
	free(e);
}

static void
queue_clear(struct oredis *s)
{
	struct ent *e, *n;

	for (e = s->qhead; e != NULL; e = n) {
		n = e->next;
		s->st.dropped++;
		ent_free(e);
	}
	s->qhead = s->qtail = NULL;
	s->qbytes = 0;
}

static struct ogame *
game_get(struct oredis *s, const char *id)
{
	struct ogame *g;
	size_t i, n = strlen(id);

	for (i = s->ngames; i > 0; i--)
		if (strcmp(s->games[i - 1]->id, id) == 0)
			return s->games[i - 1];
	if (n == 0 || n > GAME_ID_MAX || s->ngames >= MAX_GAMES ||
	    !digits_only(id, n))
		return NULL;
	if ((g = vec_grow_new(&s->games, &s->gcap, s->ngames,
	    sizeof(*g))) == NULL)
		return NULL;
	memcpy(g->id, id, n + 1);
	(void)redis_url_game_key(&s->url, id, g->key, sizeof(g->key));
	s->games[s->ngames++] = g;
	return g;
}

static void
check_drain(struct oredis *s)
{
	if (s->busy && s->qbytes + s->inflight <= s->cfg.max_queue / 4) {
		s->busy = 0;
		if (s->cfg.on_drain != NULL && !s->closing)
			s->cfg.on_drain(s->cfg.arg, s->outer);
	}
}

static void
finish(struct oredis *s);

static void
maybe_closed(struct oredis *s)
{
	if (s->closing && !s->finished && s->qhead == NULL &&
	    s->inflight_n == 0)
		finish(s);
}

/* The key went missing (Redis restarted empty, expired, deleted). */
static void
gone(struct oredis *s, struct ogame *g)
{
	if (g != NULL) {
		g->gen++;
		g->have_full = g->acked = 0;
		g->want_full = 1;
	}
	s->want_sources = 1;
	schedule_resync(s);
}

static void
reply_cb(redisAsyncContext *ac, void *rv, void *priv)
{
	struct cmd *c = priv;
	struct oredis *s = c->s;
	redisReply *r = rv;

	(void)ac;
	s->inflight -= c->bytes;
	s->inflight_n--;
	if (r == NULL) {
		/* Lost with the connection: it may or may not be in Redis. */
		if (!s->closing)
			s->shed = 1;
	} else if (r->type == REDIS_REPLY_ERROR) {
		s->st.dropped++;
		log_rl(&s->rl, LOG_LVL_WARN, "redis refused an entry",
		    "key=%s error=%s", c->g ? c->g->key : s->index_key,
		    log_str(r->str));
	} else if (c->kind == ENT_EXISTS) {
		if (r->type == REDIS_REPLY_INTEGER && r->integer == 0)
			gone(s, c->g);
	} else if (r->type == REDIS_REPLY_NIL) {
		/* NOMKSTREAM: the game's stream is not there any more. */
		if (c->g != NULL && c->gen == c->g->gen)
			gone(s, c->g);
	} else {
		s->st.bytes += c->bytes;
		if (c->kind == ENT_FULL && c->g != NULL && c->gen == c->g->gen)
			c->g->acked = 1;
	}
	free(c);
	if (s->finished)
		return;
	if (s->shed && s->inflight_n == 0)
		schedule_resync(s);
	pump(s);
	check_drain(s);
	maybe_closed(s);
}

static int
command(struct oredis *s, struct ogame *g, enum ent_kind kind, size_t bytes,
    int argc, const char **argv, const size_t *lens)
{
	redisAsyncContext *ac = redis_conn_ctx(s->rc);
	struct cmd *c;

	if (ac == NULL || (c = calloc(1, sizeof(*c))) == NULL)
		return -1;
	c->s = s;
	c->g = g;
	c->kind = kind;
	c->gen = g != NULL ? g->gen : 0;
	c->bytes = bytes;
	if (redisAsyncCommandArgv(ac, reply_cb, c, argc, argv, lens) !=
	    REDIS_OK) {
		free(c);
		return -1;
	}
	s->inflight += bytes;
	s->inflight_n++;
	return 0;
}

#define ARG(str, n) do { argv[argc] = (str); lens[argc] = (n); argc++; } \
	while (0)
#define ARGS(str) ARG((str), strlen(str))

static void
send_ent(struct oredis *s, struct ent *e)
{
	const char *argv[16];
	size_t lens[16];
	int argc = 0;

	ARGS("XADD");
	if (e->kind == ENT_SOURCE) {
		ARGS(s->index_key);
		ARGS("MAXLEN"); ARGS("~"); ARGS(s->imaxlen); ARGS("*");
		ARGS("k"); ARGS("source");
		ARGS("line"); ARG(e->a, e->alen);
		command(s, NULL, e->kind, e->bytes, argc, argv, lens);
		return;
	}
	ARGS(e->g->key);
	if (e->kind == ENT_LINE)
		ARGS("NOMKSTREAM");
	ARGS("MAXLEN"); ARGS("~"); ARGS(s->maxlen); ARGS("*");
	ARGS("k");
	if (e->kind == ENT_LINE) {
		ARGS("line");
		ARGS("line"); ARG(e->a, e->alen);
	} else {
		ARGS("full");
		if (e->a != NULL) {
			ARGS("game"); ARG(e->a, e->alen);
		}
		if (e->b != NULL) {
			ARGS("tick"); ARG(e->b, e->blen);
		}
	}
	if (command(s, e->g, e->kind, e->bytes, argc, argv, lens) == -1)
		return;
	if (e->kind == ENT_FULL) {
		/* Announce the game: a new instance finds it in the index. */
		argc = 0;
		ARGS("XADD"); ARGS(s->index_key);
		ARGS("MAXLEN"); ARGS("~"); ARGS(s->imaxlen); ARGS("*");
		ARGS("k"); ARGS("game"); ARGS("id"); ARGS(e->g->id);
		command(s, NULL, ENT_SOURCE, 64, argc, argv, lens);
	}
	if (e->g->final) {
		argc = 0;
		ARGS("EXPIRE"); ARGS(e->g->key); ARGS(s->ttl);
		command(s, e->g, ENT_SOURCE, 32, argc, argv, lens);
	}
}

static void
pump(struct oredis *s)
{
	struct ent *e;

	while ((e = s->qhead) != NULL && redis_conn_ctx(s->rc) != NULL &&
	    s->inflight < s->window && !s->shed) {
		s->qhead = e->next;
		if (s->qhead == NULL)
			s->qtail = NULL;
		s->qbytes -= e->bytes;
		send_ent(s, e);
		ent_free(e);
	}
}

static char *
dup_line(const char *p, size_t *len)
{
	char *d;

	while (*len > 0 && (p[*len - 1] == '\n' || p[*len - 1] == '\r'))
		(*len)--;
	if ((d = malloc(*len + 1)) == NULL)
		return NULL;
	memcpy(d, p, *len);
	d[*len] = '\0';
	return d;
}

/* Queues an entry; a and b are taken over. */
static int
enqueue(struct oredis *s, struct ogame *g, enum ent_kind kind, char *a,
    size_t alen, char *b, size_t blen)
{
	struct ent *e;
	size_t bytes = alen + blen + 64;

	if (s->qbytes + s->inflight + bytes > s->cfg.max_queue) {
		/* Past the backlog: drop it all, republish full state. */
		free(a);
		free(b);
		queue_clear(s);
		s->st.dropped++;
		s->shed = 1;
		schedule_resync(s);
		return 0;
	}
	if ((e = calloc(1, sizeof(*e))) == NULL) {
		free(a);
		free(b);
		s->st.dropped++;
		return -1;
	}
	e->g = g;
	e->kind = kind;
	e->a = a;
	e->alen = alen;
	e->b = b;
	e->blen = blen;
	e->bytes = bytes;
	LINK_APPEND(s->qhead, s->qtail, e, next);
	s->qbytes += bytes;
	if (s->qbytes + s->inflight > s->cfg.max_queue / 2)
		s->busy = 1;
	if (g != NULL && kind == ENT_FULL) {
		g->have_full = 1;
		g->want_full = 0;
		g->since_full = 0;
	} else if (g != NULL)
		g->since_full++;
	pump(s);
	return 0;
}

static void
snap_flush_game(struct oredis *s)
{
	if (s->snap_g != NULL)
		enqueue(s, s->snap_g, ENT_FULL, s->snap_game, s->snap_glen,
		    NULL, 0);
	s->snap_g = NULL;
	s->snap_game = NULL;
}

static int
is_final(const json_t *o)
{
	const char *st = json_string_value(json_object_get(o, "state"));

	return st != NULL && strcmp(st, "post") == 0;
}

int
oredis_write(struct oredis *s, const char *line, size_t len)
{
	json_t *o;
	const char *type, *gid;
	struct ogame *g = NULL;
	json_int_t seq = 0;
	char *copy;
	int game_line, r = 0;

	s->st.lines++;
	if (s->closing && s->finished)
		return -1;
	if ((o = json_loadb(line, len, 0, NULL)) == NULL ||
	    (type = json_string_value(json_object_get(o, "type"))) == NULL) {
		s->st.dropped++;
		json_decref(o);
		return 0;
	}
	if (strcmp(type, "source") == 0) {
		json_decref(o);
		if (s->in_snap && !s->snap_sources)
			return 0;
		if ((copy = dup_line(line, &len)) == NULL)
			return -1;
		return enqueue(s, NULL, ENT_SOURCE, copy, len, NULL, 0);
	}
	game_line = strcmp(type, "game") == 0;
	gid = json_string_value(json_object_get(o, "game_id"));
	if ((!game_line && strcmp(type, "tick") != 0) || gid == NULL ||
	    (g = game_get(s, gid)) == NULL) {
		s->st.dropped++;
		json_decref(o);
		return 0;
	}
	if (game_line && is_final(o))
		g->final = 1;
	seq = json_integer_value(json_object_get(o, "seq"));
	json_decref(o);
	if (s->in_snap) {
		if (!s->snap_all && !g->want_full)
			return 0;
		if (s->snap_g != NULL && (s->snap_g != g || game_line))
			snap_flush_game(s);
		if ((copy = dup_line(line, &len)) == NULL)
			return -1;
		if (game_line) {
			s->snap_g = g;
			s->snap_game = copy;
			s->snap_glen = len;
			return 0;
		}
		r = enqueue(s, g, ENT_FULL, s->snap_game, s->snap_game ?
		    s->snap_glen : 0, copy, len);
		s->snap_g = NULL;
		s->snap_game = NULL;
		return r;
	}
	if (g->want_full)
		return 0;	/* the full entry on its way holds it */
	if ((copy = dup_line(line, &len)) == NULL)
		return -1;
	if (!g->have_full && (game_line || seq == 1)) {
		return enqueue(s, g, ENT_FULL, game_line ? copy : NULL,
		    game_line ? len : 0, game_line ? NULL : copy,
		    game_line ? 0 : len);
	}
	if (!g->have_full || g->since_full + 1 >= s->checkpoint) {
		/* Keep a full entry within reach of every reader. */
		g->want_full = 1;
		schedule_resync(s);
	}
	return enqueue(s, g, ENT_LINE, copy, len, NULL, 0);
}

/* Asks the writer for its state; keeps what this resync wants. */
static void
resync(struct oredis *s, int all)
{
	size_t i;

	s->in_snap = 1;
	s->snap_all = all;
	s->snap_sources = all || s->want_sources;
	if (all && s->cfg.on_connect != NULL)
		s->cfg.on_connect(s->cfg.arg, s->outer);
	else if (s->cfg.on_resync != NULL)
		s->cfg.on_resync(s->cfg.arg, s->outer);
	else if (s->cfg.on_connect != NULL)
		s->cfg.on_connect(s->cfg.arg, s->outer);
	snap_flush_game(s);
	s->in_snap = 0;
	s->want_sources = 0;
	/* A game the writer no longer holds has nothing to republish. */
	for (i = 0; i < s->ngames; i++)
		s->games[i]->want_full = 0;
}

static void
resync_cb(uv_timer_t *t)
{
	struct oredis *s = t->data;
	size_t i;
	int want = s->want_sources;

	if (s->finished || redis_conn_ctx(s->rc) == NULL)
		return;	/* on_up does it */
	if (s->shed) {
		if (s->inflight_n > 0)
			return;	/* after what is in flight: a reply calls us */
		queue_clear(s);
		s->shed = 0;
		resync(s, 1);
		pump(s);
		return;
	}
	for (i = 0; i < s->ngames && !want; i++)
		want = s->games[i]->want_full;
	if (want)
		resync(s, 0);
	pump(s);
}

static void
on_up(void *arg, redisAsyncContext *ac)
{
	struct oredis *s = arg;
	const char *argv[2];
	size_t lens[2], i;

	(void)ac;
	s->st.connects++;
	log_info("redis connected", "host=%s port=%d name=%s",
	    log_str(s->url.host), s->url.port, log_str(s->url.name));
	/* Keys gone while we were away (Redis restarted empty)? */
	for (i = 0; i < s->ngames; i++) {
		if (!s->games[i]->acked)
			continue;
		argv[0] = "EXISTS";
		argv[1] = s->games[i]->key;
		lens[0] = 6;
		lens[1] = strlen(argv[1]);
		command(s, s->games[i], ENT_EXISTS, 16, 2, argv, lens);
	}
	if (s->shed) {
		queue_clear(s);
		s->shed = 0;
		resync(s, 1);
	}
	pump(s);
	/* Games that wanted a full entry while Redis was away. */
	schedule_resync(s);
}

static void
on_down(void *arg, const char *why, int was_up)
{
	struct oredis *s = arg;

	if (was_up) {
		log_warn("redis lost", "host=%s port=%d error=%s",
		    log_str(s->url.host), s->url.port, log_str(why));
		if (s->cfg.on_disconnect != NULL && !s->closing)
			s->cfg.on_disconnect(s->cfg.arg, s->outer);
	} else
		log_rl(&s->rl, LOG_LVL_WARN, "redis unreachable",
		    "host=%s port=%d error=%s", log_str(s->url.host),
		    s->url.port, log_str(why));
	if (s->closing)
		finish(s);
}

struct oredis *
oredis_open(uv_loop_t *loop, const char *spec, const struct output_cfg *cfg,
    struct output *outer, struct errbuf *err)
{
	struct redis_conn_cfg rcfg;
	struct oredis *s;

	if ((s = errbuf_calloc(sizeof(*s), err)) == NULL)
		return NULL;
	if (redis_url_parse(spec, &s->url, err) == -1) {
		free(s);
		return NULL;
	}
	s->loop = loop;
	s->cfg = *cfg;
	s->outer = outer;
	s->rl = (struct ratelimit)RATELIMIT_INIT(10000, 5);
	if (s->cfg.redis_maxlen == 0)
		s->cfg.redis_maxlen = OUTPUT_REDIS_DEFAULT_MAXLEN;
	if (s->cfg.redis_expire_s == 0)
		s->cfg.redis_expire_s = OUTPUT_REDIS_DEFAULT_EXPIRE;
	s->checkpoint = s->cfg.redis_maxlen / 2;
	if (s->checkpoint < 2)
		s->checkpoint = 2;
	s->window = s->cfg.max_queue < WINDOW_MAX ? s->cfg.max_queue :
	    WINDOW_MAX;
	(void)redis_url_index_key(&s->url, s->index_key, sizeof(s->index_key));
	snprintf(s->maxlen, sizeof(s->maxlen), "%zu", s->cfg.redis_maxlen);
	snprintf(s->imaxlen, sizeof(s->imaxlen), "%d", INDEX_MAXLEN);
	snprintf(s->ttl, sizeof(s->ttl), "%" PRId64, s->cfg.redis_expire_s);
	uv_timer_init(loop, &s->resync_timer);
	s->resync_timer.data = s;
	uv_timer_init(loop, &s->close_timer);
	s->close_timer.data = s;
	s->handles = 2;
	memset(&rcfg, 0, sizeof(rcfg));
	rcfg.url = s->url;
	rcfg.on_up = on_up;
	rcfg.on_down = on_down;
	rcfg.arg = s;
	if ((s->rc = redis_conn_new(loop, &rcfg, err)) == NULL) {
		/* Freed once the timers are closed. */
		s->finished = 1;
		s->closing = 1;
		uv_close((uv_handle_t *)&s->resync_timer, handle_closed);
		uv_close((uv_handle_t *)&s->close_timer, handle_closed);
		return NULL;
	}
	return s;
}

int
oredis_busy(const struct oredis *s)
{
	return s->busy;
}

size_t
oredis_queued(const struct oredis *s)
{
	return s->qbytes + s->inflight;
}

int
oredis_connected(const struct oredis *s)
{
	return redis_conn_ctx(s->rc) != NULL;
}

void
oredis_stats(const struct oredis *s, struct output_stats *st)
{
	*st = s->st;
}

static void
handle_closed(uv_handle_t *h)
{
	struct oredis *s = h->data;

	if (--s->handles > 0)
		return;
	vec_free_all(&s->games, &s->ngames);
	free(s->snap_game);
	if (s->done != NULL)
		s->done(s->done_arg);
	free(s);
}

static void
finish(struct oredis *s)
{
	if (s->finished)
		return;
	s->finished = 1;
	queue_clear(s);
	redis_conn_free(s->rc);	/* pending replies come back NULL now */
	s->rc = NULL;
	uv_close((uv_handle_t *)&s->resync_timer, handle_closed);
	uv_close((uv_handle_t *)&s->close_timer, handle_closed);
}

static void
close_timeout(uv_timer_t *t)
{
	finish(t->data);
}

void
oredis_close(struct oredis *s, int64_t timeout_ms, void (*done)(void *),
    void *arg)
{
	if (s->closing)
		return;
	s->closing = 1;
	s->done = done;
	s->done_arg = arg;
	if ((s->qhead == NULL && s->inflight_n == 0) ||
	    redis_conn_ctx(s->rc) == NULL) {
		finish(s);
		return;
	}
	uv_timer_start(&s->close_timer, close_timeout,
	    (uint64_t)(timeout_ms > 0 ? timeout_ms : 0), 0);
}
