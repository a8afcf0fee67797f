/*
 * input_redis: follows the aligner's Redis Streams (layout in
 * courtside(7)) on one hiredis connection: index, then rebuilds, then
 * XREAD BLOCK, in turn, so replies never interleave. Entries are checked
 * by bentry.c; only whole, in-order lines reach on_line. Must not block
 * the loop or hold more than the streams' own bounds.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hiredis/hiredis.h>
#include <hiredis/async.h>

#include "bentry.h"
#include "input_redis.h"
#include "log.h"
#include "redis.h"
#include "redis_url.h"
#include "timeutil.h"
#include "vec.h"

#define MAX_GAMES	4096
#define INDEX_PAGE	1000
#define REBUILD_PAGE	200
#define REBUILD_MAX	200000	/* entries scanned back at most */
#define REBUILD_BYTES	(256u << 20)	/* and their bytes */
#define READ_COUNT	500
#define BLOCK_MS	1000
#define STALL_MS	(BLOCK_MS + 4000)
#define LAG_EVERY_MS	1000
#define LAG_COUNT	1000

enum phase { P_DOWN, P_INDEX, P_REBUILD, P_LAG, P_FOLLOW, P_WAIT };
enum what { R_INDEX, R_REBUILD, R_READ, R_LAG };

struct held {
	struct bentry_id	 id;
	enum bentry_why	 why;
	struct bentry	 e;
};

struct rgame {
	char		 id[WSPATH_ID_MAX + 1];
	char		 key[REDIS_URL_NAME_MAX + WSPATH_ID_MAX + 8];
	struct bentry_id	 last;		/* last entry read */
	int		 have_pos;	/* last is meaningful */
	int		 tracked;	/* epoch/seq hold the last tick */
	int64_t		 epoch, seq;	/* epoch -1: a game-only full entry */
	int		 want_rebuild, forced, bad_key;
	struct held	*acc;		/* a rebuild's entries, newest first */
	size_t		 nacc, cacc, acc_bytes;
};

struct req {
	struct iredis	*s;
	struct rgame	*g;
	enum what	 what;
};

struct iredis {
	uv_loop_t		*loop;
	struct input_cfg	 icfg;
	struct broker_stats	*bs;
	struct redis_url	 url;
	struct redis_conn	*rc;
	char			 index_key[REDIS_URL_NAME_MAX + 8];
	struct bentry_id		 index_last;
	json_t			*sources;	/* latest source line per src */
	struct rgame		**games;
	size_t			 ngames, gcap;
	enum phase		 phase;
	unsigned		 outstanding;
	int64_t			 read_sent_ms, lag_ms;
	unsigned long long	 lag_acc;
	uv_timer_t		 tick;
	int			 closing;
	struct ratelimit	 rl;
};

static void	next_step(struct iredis *);

static void
acc_clear(struct rgame *g)
{
	size_t i;

	for (i = 0; i < g->nacc; i++)
		bentry_fini(&g->acc[i].e);
	free(g->acc);
	g->acc = NULL;
	g->nacc = g->cacc = g->acc_bytes = 0;
}

static struct rgame *
game_find(struct iredis *s, const char *id)
{
	size_t i;

	for (i = 0; i < s->ngames; i++)
		if (strcmp(s->games[i]->id, id) == 0)
			return s->games[i];
	return NULL;
}

static struct rgame *
game_add(struct iredis *s, const char *id)
{
	struct rgame *g;

	if ((g = game_find(s, id)) != NULL) {
		g->bad_key = 0;	/* announced again: try it again */
		return g;
	}
	if (s->ngames >= MAX_GAMES)
		return NULL;
	if ((g = vec_grow_new(&s->games, &s->gcap, s->ngames,
	    sizeof(*g))) == NULL)
		return NULL;
	snprintf(g->id, sizeof(g->id), "%s", id);
	(void)redis_url_game_key(&s->url, id, g->key, sizeof(g->key));
	g->want_rebuild = g->forced = 1;
	s->games[s->ngames++] = g;
	s->bs->games = s->ngames;
	return g;
}

static void
emit(struct iredis *s, json_t *line)
{
	if (line != NULL && s->icfg.on_line != NULL)
		s->icfg.on_line(s->icfg.arg, NULL, 0, line, NULL, 0);
}

static void
count_skip(struct iredis *s, const char *key, enum bentry_why why)
{
	unsigned long long *by[] = { NULL, &s->bs->skip_foreign,
	    &s->bs->skip_wrong_type, &s->bs->skip_too_big,
	    &s->bs->skip_not_json };

	s->bs->skipped++;
	if ((size_t)why < sizeof(by) / sizeof(by[0]) && by[why] != NULL)
		(*by[why])++;
	log_rl(&s->rl, LOG_LVL_WARN, "broker entry skipped", "key=%s kind=%s",
	    log_str(key), bentry_why_name(why));
}

/*
 * One entry of g's stream, in order. strict: a gap stops here and asks
 * for a rebuild (returns -1, the entry not consumed); else a gap is
 * counted and the entry used anyway (rooms keeps only new points).
 */
static int
deliver(struct iredis *s, struct rgame *g, const struct bentry_id *id,
    enum bentry_why why, struct bentry *e, int strict)
{
	int next;

	if (why != BENTRY_OK) {
		count_skip(s, g->key, why);
		goto used;
	}
	if (e->kind == BENTRY_FULL) {
		/* A checkpoint of what is held already: nothing new in it. */
		if (e->tick != NULL && g->tracked && e->epoch == g->epoch &&
		    e->seq <= g->seq)
			goto used;
		emit(s, e->game);
		emit(s, e->tick);
		g->tracked = 1;
		g->epoch = e->tick != NULL ? e->epoch : -1;
		g->seq = e->tick != NULL ? e->seq : 0;
		goto used;
	}
	if (e->tick == NULL) {
		emit(s, e->game);
		goto used;
	}
	next = g->tracked && ((g->epoch == -1 && e->seq == 1) ||
	    (e->epoch == g->epoch && e->seq == g->seq + 1));
	if (!next && g->tracked && e->epoch == g->epoch && e->seq <= g->seq)
		goto used;	/* already held */
	if (!next) {
		s->bs->gaps++;
		if (strict) {
			log_info("broker gap, rebuilding", "game=%s epoch=%lld "
			    "seq=%lld got_epoch=%lld got_seq=%lld", g->id,
			    (long long)g->epoch, (long long)g->seq,
			    (long long)e->epoch, (long long)e->seq);
			g->want_rebuild = g->forced = 1;
			return -1;
		}
	}
	emit(s, e->tick);
	g->tracked = 1;
	g->epoch = e->epoch;
	g->seq = e->seq;
used:
	g->last = *id;
	g->have_pos = 1;
	return 0;
}

/* Fields of one XRANGE/XREAD entry as bfields; n at most 32. */
static int
entry_fields(const redisReply *ent, struct bentry_id *id, struct bfield *kv,
    size_t *n)
{
	const redisReply *f;
	size_t i;

	if (ent->type != REDIS_REPLY_ARRAY || ent->elements != 2 ||
	    ent->element[0]->type != REDIS_REPLY_STRING ||
	    bentry_id_parse(ent->element[0]->str, ent->element[0]->len, id) == -1)
		return -1;
	f = ent->element[1];
	*n = 0;
	if (f->type != REDIS_REPLY_ARRAY)
		return 0;	/* an entry without fields: foreign */
	for (i = 0; i < f->elements && *n < 32; i++) {
		if (f->element[i]->type != REDIS_REPLY_STRING)
			return 0;
		kv[*n].p = f->element[i]->str;
		kv[*n].len = f->element[i]->len;
		(*n)++;
	}
	return 0;
}

static void	reply_cb(redisAsyncContext *, void *, void *);
static int	command(struct iredis *, struct rgame *, enum what, int,
		    const char **);

/*
 * One page of key, count entries: XRANGE from the start, or from just
 * after from; or with rev, XREVRANGE from the end, or from just before
 * from. Borrows from.
 */
static int
range(struct iredis *s, struct rgame *g, enum what what, int rev,
    const char *key, const struct bentry_id *from, int count)
{
	char n[16], a[48];
	const char *argv[6] = { rev ? "XREVRANGE" : "XRANGE", key, a,
	    rev ? "-" : "+", "COUNT", n };

	snprintf(a, sizeof(a), "%s", rev ? "+" : "-");
	if (from != NULL)
		bentry_id_fmt(from, a, sizeof(a), 1);
	snprintf(n, sizeof(n), "%d", count);
	return command(s, g, what, 6, argv);
}

static int
command(struct iredis *s, struct rgame *g, enum what what, int argc,
    const char **argv)
{
	redisAsyncContext *ac = redis_conn_ctx(s->rc);
	struct req *r;

	if (ac == NULL || (r = calloc(1, sizeof(*r))) == NULL)
		return -1;
	r->s = s;
	r->g = g;
	r->what = what;
	if (redisAsyncCommandArgv(ac, reply_cb, r, argc, argv, NULL) !=
	    REDIS_OK) {
		free(r);
		return -1;
	}
	s->outstanding++;
	return 0;
}

/* ---- index: every game announced, the latest state of each source. */

static void
index_page(struct iredis *s, const struct bentry_id *after)
{
	if (range(s, NULL, R_INDEX, 0, s->index_key, after, INDEX_PAGE) == -1)
		redis_conn_drop(s->rc, "cannot send");
}

static void
index_entry(struct iredis *s, const redisReply *ent, int follow)
{
	struct bfield kv[32];
	struct bentry e;
	enum bentry_why why;
	struct bentry_id id;
	size_t n;
	const char *src;

	if (entry_fields(ent, &id, kv, &n) == -1)
		return;
	s->index_last = id;
	s->bs->entries++;
	if ((why = bentry_parse(kv, n, NULL, s->icfg.max_line, &e)) !=
	    BENTRY_OK) {
		count_skip(s, s->index_key, why);
		return;
	}
	if (e.kind == BENTRY_GAME) {
		if (game_add(s, e.id) == NULL)
			log_rl(&s->rl, LOG_LVL_WARN, "too many games",
			    "game=%s", e.id);
	} else if (follow) {
		emit(s, e.source);
	} else if ((src = json_string_value(json_object_get(e.source,
	    "src"))) != NULL && (json_object_get(s->sources, src) != NULL ||
	    json_object_size(s->sources) < 64)) {
		json_object_set(s->sources, src, e.source);
	}
	bentry_fini(&e);
}

static void
index_reply(struct iredis *s, const redisReply *r)
{
	void *it;
	size_t i;

	if (r->type != REDIS_REPLY_ARRAY) {
		log_rl(&s->rl, LOG_LVL_WARN, "broker index unreadable",
		    "key=%s error=%s", s->index_key, log_str(r->type ==
		    REDIS_REPLY_ERROR ? r->str : "not an array"));
		s->phase = P_REBUILD;
		return;
	}
	for (i = 0; i < r->elements; i++)
		index_entry(s, r->element[i], 0);
	if (r->elements == INDEX_PAGE) {
		index_page(s, &s->index_last);
		return;
	}
	/* Only the latest state of each source: no stale notices. */
	for (it = json_object_iter(s->sources); it != NULL;
	    it = json_object_iter_next(s->sources, it))
		emit(s, json_object_iter_value(it));
	json_object_clear(s->sources);
	s->phase = P_REBUILD;
}

/* ---- rebuild: back from the newest entry to a full one (or to ours). */

static void
rebuild_page(struct iredis *s, struct rgame *g, const struct bentry_id *before)
{
	if (range(s, g, R_REBUILD, 1, g->key, before, REBUILD_PAGE) == -1)
		redis_conn_drop(s->rc, "cannot send");
}

static void
start_rebuilds(struct iredis *s)
{
	size_t i;

	s->phase = P_REBUILD;
	for (i = 0; i < s->ngames; i++) {
		struct rgame *g = s->games[i];

		if (!g->want_rebuild || g->bad_key)
			continue;
		g->want_rebuild = 0;
		acc_clear(g);
		rebuild_page(s, g, NULL);
	}
}

/* Hands over what a rebuild collected, oldest first. */
static void
rebuild_deliver(struct iredis *s, struct rgame *g, int from_full)
{
	size_t i;
	int strict = !g->forced;

	if (g->forced)
		s->bs->rebuilds++;
	if (g->forced && !from_full && g->nacc > 0)
		log_warn("broker rebuild without full state", "game=%s "
		    "entries=%zu", g->id, g->nacc);
	g->forced = 0;
	for (i = g->nacc; i > 0; i--) {
		struct held *h = &g->acc[i - 1];

		s->bs->entries++;
		if (deliver(s, g, &h->id, h->why, &h->e, strict) == -1)
			break;
	}
	acc_clear(g);
}

static void
rebuild_reply(struct iredis *s, struct rgame *g, const redisReply *r)
{
	struct bfield kv[32];
	struct held *h;
	struct bentry_id id;
	size_t i, n;

	if (r->type != REDIS_REPLY_ARRAY) {
		/* WRONGTYPE and the like: leave this key out of the reads. */
		g->bad_key = 1;
		s->bs->skipped++;
		s->bs->skip_wrong_type++;
		log_warn("broker key unreadable", "key=%s error=%s", g->key,
		    log_str(r->type == REDIS_REPLY_ERROR ? r->str : "?"));
		acc_clear(g);
		return;
	}
	if (r->elements == 0 && g->nacc == 0) {
		/*
		 * No stream (yet, or again after Redis lost it): read it from
		 * its first entry on, which the aligner makes a full one.
		 */
		memset(&g->last, 0, sizeof(g->last));
		g->have_pos = 1;
		g->forced = 0;
		return;
	}
	for (i = 0; i < r->elements; i++) {
		if (entry_fields(r->element[i], &id, kv, &n) == -1)
			continue;
		if (!g->forced && g->have_pos && bentry_id_cmp(&id, &g->last) <= 0) {
			rebuild_deliver(s, g, 0);	/* back at ours */
			return;
		}
		if (vec_grow(&g->acc, &g->cacc, g->nacc + 1, sizeof(*g->acc),
		    64) == -1) {
			acc_clear(g);
			g->want_rebuild = 1;
			return;
		}
		h = &g->acc[g->nacc++];
		h->id = id;
		h->why = bentry_parse(kv, n, g->id, s->icfg.max_line, &h->e);
		for (size_t f = 0; f < n; f++)
			g->acc_bytes += kv[f].len;
		if (h->why == BENTRY_OK && h->e.kind == BENTRY_FULL) {
			rebuild_deliver(s, g, 1);
			return;
		}
	}
	if (r->elements == REBUILD_PAGE && g->nacc < REBUILD_MAX &&
	    g->acc_bytes < REBUILD_BYTES) {
		rebuild_page(s, g, &g->acc[g->nacc - 1].id);
		return;
	}
	rebuild_deliver(s, g, 0);	/* the start of the stream */
}

/* ---- follow: XREAD BLOCK over the index and every game. */

static void
start_read(struct iredis *s)
{
	const char **argv;
	char (*ids)[48];
	char count[16], block[16];
	size_t i, n = 0, argc = 0;

	if ((argv = calloc(8 + 2 * (s->ngames + 1), sizeof(*argv))) == NULL ||
	    (ids = calloc(s->ngames + 1, sizeof(*ids))) == NULL) {
		free(argv);
		s->phase = P_WAIT;
		return;
	}
	snprintf(count, sizeof(count), "%d", READ_COUNT);
	snprintf(block, sizeof(block), "%d", BLOCK_MS);
	argv[argc++] = "XREAD";
	argv[argc++] = "COUNT";
	argv[argc++] = count;
	argv[argc++] = "BLOCK";
	argv[argc++] = block;
	argv[argc++] = "STREAMS";
	argv[argc++] = s->index_key;
	for (i = 0; i < s->ngames; i++)
		if (!s->games[i]->bad_key)
			argv[argc++] = s->games[i]->key;
	bentry_id_fmt(&s->index_last, ids[n], sizeof(ids[n]), 0);
	argv[argc++] = ids[n++];
	for (i = 0; i < s->ngames; i++) {
		if (s->games[i]->bad_key)
			continue;
		bentry_id_fmt(&s->games[i]->last, ids[n], sizeof(ids[n]), 0);
		argv[argc++] = ids[n++];
	}
	s->phase = P_FOLLOW;
	s->read_sent_ms = time_mono_ms();
	if (command(s, NULL, R_READ, (int)argc, argv) == -1)
		s->phase = P_WAIT;
	free(argv);
	free(ids);
}

static struct rgame *
game_by_key(struct iredis *s, const char *key, size_t len)
{
	size_t i;

	for (i = 0; i < s->ngames; i++)
		if (strlen(s->games[i]->key) == len &&
		    memcmp(s->games[i]->key, key, len) == 0)
			return s->games[i];
	return NULL;
}

static void
read_reply(struct iredis *s, const redisReply *r)
{
	const redisReply *st, *ents, *ent;
	struct bfield kv[32];
	struct bentry e;
	enum bentry_why why;
	struct rgame *g;
	struct bentry_id id;
	size_t i, j, n;

	if (s->bs->state == BROKER_STALLED)
		log_info("broker answers again", NULL);
	s->bs->state = BROKER_UP;
	if (r->type == REDIS_REPLY_NIL)
		return;	/* BLOCK timed out: nothing new */
	if (r->type != REDIS_REPLY_ARRAY) {
		/* A key of the wrong type fails the whole read: find it. */
		log_rl(&s->rl, LOG_LVL_WARN, "broker read failed", "error=%s",
		    log_str(r->type == REDIS_REPLY_ERROR ? r->str : "?"));
		for (i = 0; i < s->ngames; i++)
			s->games[i]->want_rebuild = 1;
		s->phase = P_WAIT;
		return;
	}
	for (i = 0; i < r->elements; i++) {
		st = r->element[i];
		if (st->type != REDIS_REPLY_ARRAY || st->elements != 2 ||
		    st->element[0]->type != REDIS_REPLY_STRING)
			continue;
		ents = st->element[1];
		if (ents->type != REDIS_REPLY_ARRAY)
			continue;
		if (st->element[0]->len == strlen(s->index_key) &&
		    memcmp(st->element[0]->str, s->index_key,
		    st->element[0]->len) == 0) {
			for (j = 0; j < ents->elements; j++)
				index_entry(s, ents->element[j], 1);
			continue;
		}
		if ((g = game_by_key(s, st->element[0]->str,
		    st->element[0]->len)) == NULL)
			continue;
		for (j = 0; j < ents->elements && !g->want_rebuild; j++) {
			ent = ents->element[j];
			if (entry_fields(ent, &id, kv, &n) == -1)
				continue;
			s->bs->entries++;
			why = bentry_parse(kv, n, g->id, s->icfg.max_line, &e);
			(void)deliver(s, g, &id, why, &e, 1);
			bentry_fini(&e);
		}
	}
}

/* ---- lag: entries after ours, per game, once a second. */

static void
start_lag(struct iredis *s)
{
	size_t i;

	s->lag_acc = 0;
	for (i = 0; i < s->ngames; i++) {
		if (s->games[i]->bad_key)
			continue;
		(void)range(s, s->games[i], R_LAG, 0, s->games[i]->key,
		    &s->games[i]->last, LAG_COUNT);
	}
}

static void
reply_cb(redisAsyncContext *ac, void *rv, void *priv)
{
	struct req *q = priv;
	struct iredis *s = q->s;
	redisReply *r = rv;

	(void)ac;
	s->outstanding--;
	if (r == NULL || s->closing) {
		free(q);
		return;	/* the connection went; on_up starts over */
	}
	switch (q->what) {
	case R_INDEX:
		index_reply(s, r);
		break;
	case R_REBUILD:
		rebuild_reply(s, q->g, r);
		break;
	case R_READ:
		read_reply(s, r);
		break;
	case R_LAG:
		if (r->type == REDIS_REPLY_ARRAY)
			s->lag_acc += r->elements;
		break;
	}
	free(q);
	if (s->outstanding == 0)
		next_step(s);
}

/* With nothing in flight: what comes next. */
static void
next_step(struct iredis *s)
{
	size_t i;
	int64_t now = time_mono_ms();

	if (s->phase == P_DOWN || s->phase == P_WAIT || s->closing ||
	    s->outstanding > 0)
		return;
	for (i = 0; i < s->ngames; i++)
		if (s->games[i]->want_rebuild && !s->games[i]->bad_key) {
			start_rebuilds(s);
			if (s->outstanding > 0)
				return;
			break;
		}
	if (s->phase == P_LAG)
		s->bs->lag = s->lag_acc;
	else if (now - s->lag_ms >= LAG_EVERY_MS) {
		s->lag_ms = now;
		s->phase = P_LAG;
		start_lag(s);
		if (s->outstanding > 0)
			return;
		s->bs->lag = 0;
	}
	start_read(s);
}

static void
on_tick(uv_timer_t *t)
{
	struct iredis *s = t->data;

	if (s->phase == P_FOLLOW && s->bs->state == BROKER_UP &&
	    time_mono_ms() - s->read_sent_ms > STALL_MS) {
		s->bs->state = BROKER_STALLED;
		log_warn("broker stalled", "waited_ms=%lld", (long long)
		    (time_mono_ms() - s->read_sent_ms));
	}
	if (s->phase == P_WAIT && s->outstanding == 0 &&
	    redis_conn_ctx(s->rc) != NULL) {
		s->phase = P_REBUILD;
		next_step(s);
	}
}

static void
on_up(void *arg, redisAsyncContext *ac)
{
	struct iredis *s = arg;
	size_t i;

	(void)ac;
	s->bs->connects++;
	s->bs->state = BROKER_UP;
	log_info("broker connected", "host=%s port=%d name=%s",
	    log_str(s->url.host), s->url.port, log_str(s->url.name));
	if (s->icfg.on_conn != NULL)
		s->icfg.on_conn(s->icfg.arg, NULL, 0, 1);
	/* Every game again from its latest full state, or from ours. */
	for (i = 0; i < s->ngames; i++) {
		s->games[i]->want_rebuild = 1;
		acc_clear(s->games[i]);
	}
	memset(&s->index_last, 0, sizeof(s->index_last));
	s->phase = P_INDEX;
	s->outstanding = 0;
	index_page(s, NULL);
}

static void
on_down(void *arg, const char *why, int was_up)
{
	struct iredis *s = arg;

	s->bs->state = BROKER_DOWN;
	s->phase = P_DOWN;
	if (was_up) {
		log_warn("broker lost", "host=%s port=%d error=%s",
		    log_str(s->url.host), s->url.port, log_str(why));
		if (s->icfg.on_conn != NULL)
			s->icfg.on_conn(s->icfg.arg, NULL, 0, 0);
	} else
		log_rl(&s->rl, LOG_LVL_WARN, "broker unreachable",
		    "host=%s port=%d error=%s", log_str(s->url.host),
		    s->url.port, log_str(why));
}

struct iredis *
iredis_open(uv_loop_t *loop, const char *spec, const struct input_cfg *icfg,
    struct broker_stats *bs, struct errbuf *err)
{
	struct redis_conn_cfg rcfg;
	struct iredis *s;

	if ((s = errbuf_calloc(sizeof(*s), err)) == NULL)
		return NULL;
	if (redis_url_parse(spec, &s->url, err) == -1 ||
	    (s->sources = json_object()) == NULL) {
		free(s);
		return NULL;
	}
	s->loop = loop;
	s->icfg = *icfg;
	if (s->icfg.max_line == 0)
		s->icfg.max_line = NDJSON_DEFAULT_MAX_LINE;
	s->bs = bs;
	memset(bs, 0, sizeof(*bs));
	bs->enabled = 1;
	s->rl = (struct ratelimit)RATELIMIT_INIT(10000, 5);
	(void)redis_url_index_key(&s->url, s->index_key, sizeof(s->index_key));
	memset(&rcfg, 0, sizeof(rcfg));
	rcfg.url = s->url;
	rcfg.base_ms = 100;
	rcfg.max_ms = 5000;
	rcfg.on_up = on_up;
	rcfg.on_down = on_down;
	rcfg.arg = s;
	if ((s->rc = redis_conn_new(loop, &rcfg, err)) == NULL) {
		json_decref(s->sources);
		free(s);
		return NULL;
	}
	uv_timer_init(loop, &s->tick);
	s->tick.data = s;
	uv_timer_start(&s->tick, on_tick, 250, 250);
	return s;
}

static void
tick_closed(uv_handle_t *h)
{
	struct iredis *s = h->data;
	size_t i;

	for (i = 0; i < s->ngames; i++) {
		acc_clear(s->games[i]);
		free(s->games[i]);
	}
	free(s->games);
	json_decref(s->sources);
	free(s);
}

void
iredis_close(struct iredis *s)
{
	if (s == NULL || s->closing)
		return;
	s->closing = 1;
	redis_conn_free(s->rc);	/* pending replies come back NULL */
	s->rc = NULL;
	uv_close((uv_handle_t *)&s->tick, tick_closed);
}
