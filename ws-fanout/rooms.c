/*
 * rooms: per-game held state and the encoding of what subscribers see.
 * Points are kept as their compact JSON text, comma-joined, so a snapshot
 * is a few memcpy calls and an update is the pending text of one game.
 * Must not do I/O or read a clock: callers pass the time in.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "link.h"
#include "rooms.h"
#include "sources.h"

#if SOURCES_MAX != ROOMS_MAX_SOURCES || SOURCES_NAME_MAX != ROOMS_SOURCE_NAME_MAX
#error "sources.h and rooms.h disagree"
#endif

struct room {
	struct room	*next;		/* registry list */
	struct room	*next_dirty;	/* rooms with pending ticks */
	struct rooms	*rs;
	char		 id[WSPATH_ID_MAX + 1];
	int64_t		 epoch;
	int64_t		 seq;		/* last committed tick */
	int64_t		 pend_seq;	/* last ingested tick */
	int		 dirty;		/* pending changes */
	int		 pend_game;	/* pending game line differs */
	int64_t		 pend_ingest_us;
	int64_t		 pend_first_us;	/* monotonic arrival of the first */
	int		 pend_ticks;

	struct buf	 espn, kalshi;	/* held points, comma-joined */
	size_t		 n_espn, n_kalshi;
	struct buf	 game, aligned;	/* held objects ("" none) */
	json_t		*play_ids;	/* espn play ids held or pending */
	int64_t		 kalshi_last_ts;

	struct buf	 p_espn, p_kalshi, p_game, p_aligned;
	size_t		 pn_espn, pn_kalshi;

	struct msg	**hist;		/* ring of committed updates */
	unsigned	 hist_head, hist_count;
	size_t		 hist_bytes;

	struct throttle	 thr;
	struct msg	*snap[2];	/* cache: plain, resync */
	void		*user;
};

struct rooms {
	struct rooms_cfg	 cfg;
	struct room		*first, *last;
	unsigned		 n;
	struct room		*dirty;		/* in arrival order */
	struct room		**dirty_tail;
	struct sources		 src;		/* upstream health */
	struct rooms_stats	 st;
};

struct rooms *
rooms_new(const struct rooms_cfg *cfg)
{
	struct rooms *rs;

	if ((rs = calloc(1, sizeof(*rs))) == NULL)
		return NULL;
	rs->cfg = *cfg;
	if (rs->cfg.rate == 0)
		rs->cfg.rate = 10;
	if (rs->cfg.history == 0)
		rs->cfg.history = 1;
	if (rs->cfg.max_rooms == 0)
		rs->cfg.max_rooms = 256;
	return rs;
}

void
rooms_set_sink(struct rooms *rs, const struct rooms_sink *sink)
{
	if (sink != NULL)
		rs->cfg.sink = *sink;
	else
		memset(&rs->cfg.sink, 0, sizeof(rs->cfg.sink));
}

static void
hist_clear(struct room *r)
{
	unsigned i;

	for (i = 0; i < r->hist_count; i++)
		msg_unref(r->hist[(r->hist_head + i) % r->rs->cfg.history]);
	r->hist_head = r->hist_count = 0;
	r->hist_bytes = 0;
}

static void
snap_drop(struct room *r)
{
	msg_unref(r->snap[0]);
	msg_unref(r->snap[1]);
	r->snap[0] = r->snap[1] = NULL;
}

static void
room_free(struct room *r)
{
	hist_clear(r);
	free(r->hist);
	snap_drop(r);
	buf_fini(&r->espn);
	buf_fini(&r->kalshi);
	buf_fini(&r->game);
	buf_fini(&r->aligned);
	buf_fini(&r->p_espn);
	buf_fini(&r->p_kalshi);
	buf_fini(&r->p_game);
	buf_fini(&r->p_aligned);
	json_decref(r->play_ids);
	free(r);
}

void
rooms_free(struct rooms *rs)
{
	struct room *r, *next;

	if (rs == NULL)
		return;
	for (r = rs->first; r != NULL; r = next) {
		next = r->next;
		room_free(r);
	}
	free(rs);
}

struct room *
rooms_find(struct rooms *rs, const char *game_id)
{
	struct room *r;

	for (r = rs->first; r != NULL; r = r->next)
		if (strcmp(r->id, game_id) == 0)
			return r;
	return NULL;
}

static struct room *
room_get(struct rooms *rs, const char *id, enum rooms_skip *why)
{
	struct room *r;
	size_t ms = rs->cfg.max_series;

	if ((r = rooms_find(rs, id)) != NULL)
		return r;
	if (rs->n >= rs->cfg.max_rooms) {
		*why = ROOMS_SKIP_FULL;
		return NULL;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL ||
	    (r->hist = calloc(rs->cfg.history, sizeof(*r->hist))) == NULL ||
	    (r->play_ids = json_object()) == NULL) {
		if (r != NULL) {
			free(r->hist);
			free(r);
		}
		*why = ROOMS_SKIP_NOMEM;
		return NULL;
	}
	r->rs = rs;
	strcpy(r->id, id);	/* checked by wspath_valid_id */
	buf_init(&r->espn, ms);
	buf_init(&r->kalshi, ms);
	buf_init(&r->game, 0);
	buf_init(&r->aligned, 0);
	buf_init(&r->p_espn, ms);
	buf_init(&r->p_kalshi, ms);
	buf_init(&r->p_game, 0);
	buf_init(&r->p_aligned, 0);
	r->kalshi_last_ts = INT64_MIN;
	throttle_init(&r->thr, rs->cfg.rate, 1000000);
	LINK_APPEND(rs->first, rs->last, r, next);
	rs->n++;
	return r;
}

static void
mark_dirty(struct room *r)
{
	if (r->dirty)
		return;
	r->dirty = 1;
	r->next_dirty = NULL;
	if (r->rs->dirty == NULL)
		r->rs->dirty_tail = &r->rs->dirty;
	*r->rs->dirty_tail = r;
	r->rs->dirty_tail = &r->next_dirty;
}

/*
 * Appends obj's compact text to b: after a comma when b holds something
 * and comma is set; b emptied first when reset is set.
 */
static int
put_obj(struct buf *b, const json_t *obj, int reset, int comma)
{
	char *s;
	int rc;

	if ((s = json_dumps(obj, JSON_COMPACT | JSON_REAL_PRECISION(15))) == NULL)
		return -1;
	if (reset)
		buf_reset(b);
	if (comma && b->len > 0 && buf_add(b, ",", 1) == -1)
		rc = -1;
	else
		rc = buf_adds(b, s);
	free(s);
	return rc;
}

/* Appends obj's compact text to b, comma-separated. */
static int
add_point(struct buf *b, const json_t *obj)
{
	return put_obj(b, obj, 0, 1);
}

/* b holds obj's compact text, alone. */
static int
set_obj(struct buf *b, const json_t *obj)
{
	return put_obj(b, obj, 1, 0);
}

static int
get_i64(const json_t *o, const char *key, int64_t *out)
{
	const json_t *v = json_object_get(o, key);

	if (!json_is_integer(v))
		return -1;
	*out = (int64_t)json_integer_value(v);
	return 0;
}

static const char *
get_game_id(const json_t *line)
{
	const char *id = json_string_value(json_object_get(line, "game_id"));

	if (id == NULL || !wspath_valid_id(id, strlen(id)))
		return NULL;
	return id;
}

/* The pending update's series and aligned state go (its game line stays). */
static void
pend_series_clear(struct room *r)
{
	buf_reset(&r->p_espn);
	buf_reset(&r->p_kalshi);
	buf_reset(&r->p_aligned);
	r->pn_espn = r->pn_kalshi = 0;
}

/* A new epoch: forget the series, keep the game line. */
static void
room_reset(struct room *r, int64_t epoch)
{
	buf_reset(&r->espn);
	buf_reset(&r->kalshi);
	buf_reset(&r->aligned);
	pend_series_clear(r);
	r->n_espn = r->n_kalshi = 0;
	json_object_clear(r->play_ids);
	r->kalshi_last_ts = INT64_MIN;
	r->epoch = epoch;
	r->seq = r->pend_seq = 0;
	r->pend_ticks = 0;
	hist_clear(r);
	snap_drop(r);
	r->rs->st.resets++;
	if (r->rs->cfg.sink.on_reset != NULL)
		r->rs->cfg.sink.on_reset(r->rs->cfg.sink.arg, r);
}

static void
pend_start(struct room *r, int64_t now_us, int64_t ingest_us)
{
	if (r->pend_ingest_us == 0) {
		r->pend_ingest_us = ingest_us;
		r->pend_first_us = now_us;
	}
}

static enum rooms_skip
ingest_game(struct rooms *rs, const json_t *line, int64_t now_us,
    int64_t ingest_us)
{
	enum rooms_skip why = ROOMS_SKIP_INVALID;
	const char *id;
	struct room *r;
	char *s;
	int same;

	if ((id = get_game_id(line)) == NULL)
		return ROOMS_SKIP_INVALID;
	if ((r = room_get(rs, id, &why)) == NULL)
		return why;
	rs->st.games++;
	if ((s = json_dumps(line, JSON_COMPACT | JSON_REAL_PRECISION(15))) == NULL)
		return ROOMS_SKIP_NOMEM;
	/* An unchanged game line is no news. */
	same = r->pend_game ? strcmp(r->p_game.p, s) == 0 :
	    (r->game.len > 0 && strcmp(r->game.p, s) == 0);
	if (!same) {
		buf_reset(&r->p_game);
		if (buf_adds(&r->p_game, s) == -1) {
			free(s);
			return ROOMS_SKIP_NOMEM;
		}
		r->pend_game = 1;
		pend_start(r, now_us, ingest_us);
		mark_dirty(r);
	}
	free(s);
	return ROOMS_OK;
}

static int
espn_seen(struct room *r, const json_t *pt)
{
	const char *pid = json_string_value(json_object_get(pt, "play_id"));

	return pid != NULL && json_object_get(r->play_ids, pid) != NULL;
}

static enum rooms_skip
ingest_tick(struct rooms *rs, const json_t *line, int64_t now_us,
    int64_t ingest_us)
{
	enum rooms_skip why = ROOMS_SKIP_INVALID;
	const json_t *espn, *kalshi, *aligned, *pt;
	const char *id, *pid;
	int64_t epoch, seq, ts, kalshi_floor;
	struct room *r;
	size_t i;
	int dedupe;

	if ((id = get_game_id(line)) == NULL ||
	    get_i64(line, "epoch", &epoch) == -1 ||
	    get_i64(line, "seq", &seq) == -1 || epoch < 0 || seq < 0)
		return ROOMS_SKIP_INVALID;
	espn = json_object_get(line, "espn");
	kalshi = json_object_get(line, "kalshi");
	aligned = json_object_get(line, "aligned");
	if ((espn != NULL && !json_is_array(espn)) ||
	    (kalshi != NULL && !json_is_array(kalshi)) ||
	    (aligned != NULL && !json_is_object(aligned) &&
	    !json_is_null(aligned)))
		return ROOMS_SKIP_INVALID;
	if ((r = room_get(rs, id, &why)) == NULL)
		return why;
	rs->st.ticks++;
	if (epoch < r->epoch)
		return ROOMS_SKIP_STALE;
	if (epoch > r->epoch)
		room_reset(r, epoch);
	else if (seq <= r->pend_seq)
		return ROOMS_SKIP_STALE;
	/*
	 * A gap means we missed ticks (a reconnect): the aligner's first
	 * tick then carries the whole series, so keep only what is new.
	 * So does a snapshot tick that happens to follow on (one tick lost).
	 */
	dedupe = seq != r->pend_seq + 1 ||
	    json_is_true(json_object_get(line, "snapshot"));
	/*
	 * Kalshi points are deduped against what was held before this tick:
	 * the points of one tick may share a time (two quotes in the same
	 * second) and are all new.
	 */
	kalshi_floor = r->kalshi_last_ts;
	json_array_foreach(espn, i, pt) {
		if (!json_is_object(pt))
			continue;
		if (dedupe && espn_seen(r, pt)) {
			rs->st.dup_points++;
			continue;
		}
		if (add_point(&r->p_espn, pt) == -1)
			return ROOMS_SKIP_NOMEM;
		r->pn_espn++;
		pid = json_string_value(json_object_get(pt, "play_id"));
		if (pid != NULL)
			json_object_set_new(r->play_ids, pid, json_true());
	}
	json_array_foreach(kalshi, i, pt) {
		if (!json_is_object(pt))
			continue;
		ts = INT64_MIN;
		(void)get_i64(pt, "ts", &ts);
		if (dedupe && ts != INT64_MIN && ts <= kalshi_floor) {
			rs->st.dup_points++;
			continue;
		}
		if (add_point(&r->p_kalshi, pt) == -1)
			return ROOMS_SKIP_NOMEM;
		r->pn_kalshi++;
		if (ts > r->kalshi_last_ts)
			r->kalshi_last_ts = ts;
	}
	if (json_is_object(aligned) && set_obj(&r->p_aligned, aligned) == -1)
		return ROOMS_SKIP_NOMEM;
	r->pend_seq = seq;
	if (r->pend_ticks++ > 0)
		rs->st.merged++;
	pend_start(r, now_us, ingest_us);
	mark_dirty(r);
	return ROOMS_OK;
}

static enum rooms_skip
ingest_source(struct rooms *rs, const json_t *line, int64_t ingest_us)
{
	const char *name = json_string_value(json_object_get(line, "src"));
	const char *state = json_string_value(json_object_get(line, "state"));
	const char *detail = json_string_value(json_object_get(line, "detail"));
	const char *gid;
	struct room *r = NULL;
	struct msg *m;
	int64_t ts;
	int was_ok = 0, changed;

	if (name == NULL || state == NULL || name[0] == '\0' ||
	    strlen(name) > ROOMS_SOURCE_NAME_MAX || !sources_state_valid(state))
		return ROOMS_SKIP_INVALID;
	rs->st.sources++;
	if ((gid = get_game_id(line)) != NULL &&
	    (r = rooms_find(rs, gid)) == NULL)
		return ROOMS_OK;	/* about a game nobody can watch */
	if ((changed = sources_set(&rs->src, name, state, &was_ok)) == -1)
		return ROOMS_SKIP_FULL;
	if (changed == 0)
		return ROOMS_OK;
	for (struct room *it = rs->first; it != NULL; it = it->next)
		snap_drop(it);	/* snapshots carry the source states */
	if (strcmp(state, "ok") == 0 && was_ok)
		return ROOMS_OK;	/* first sight of a healthy source */
	if (get_i64(line, "ts", &ts) == -1)
		ts = ingest_us / 1000;
	if ((m = sources_notice(rs->cfg.pre, name, state, detail,
	    r != NULL ? r->id : NULL, ts)) == NULL)
		return ROOMS_SKIP_NOMEM;
	m->ingest_us = ingest_us;
	if (rs->cfg.sink.on_notice != NULL)
		rs->cfg.sink.on_notice(rs->cfg.sink.arg, r, m);
	msg_unref(m);
	return ROOMS_OK;
}

enum rooms_skip
rooms_ingest(struct rooms *rs, const json_t *line, int64_t now_us,
    int64_t ingest_us)
{
	const char *type;
	enum rooms_skip why;

	rs->st.lines++;
	if (!json_is_object(line) ||
	    (type = json_string_value(json_object_get(line, "type"))) == NULL)
		why = ROOMS_SKIP_TYPE;
	else if (strcmp(type, "tick") == 0)
		why = ingest_tick(rs, line, now_us, ingest_us);
	else if (strcmp(type, "game") == 0)
		why = ingest_game(rs, line, now_us, ingest_us);
	else if (strcmp(type, "source") == 0)
		why = ingest_source(rs, line, ingest_us);
	else
		why = ROOMS_SKIP_TYPE;
	if (why != ROOMS_OK)
		rs->st.skipped++;
	return why;
}

static void
hist_push(struct room *r, struct msg *m)
{
	const struct rooms_cfg *cfg = &r->rs->cfg;
	struct msg *old;

	while (r->hist_count > 0 && (r->hist_count == cfg->history ||
	    (cfg->history_bytes && r->hist_bytes + m->len >
	    cfg->history_bytes))) {
		old = r->hist[r->hist_head];
		r->hist_head = (r->hist_head + 1) % cfg->history;
		r->hist_count--;
		r->hist_bytes -= old->len;
		msg_unref(old);
	}
	r->hist[(r->hist_head + r->hist_count) % cfg->history] = msg_ref(m);
	r->hist_count++;
	r->hist_bytes += m->len;
}

static void
add_array(struct buf *b, const char *key, const struct buf *pts)
{
	buf_addf(b, ",\"%s\":[", key);
	if (pts->len)
		buf_add(b, pts->p, pts->len);
	buf_adds(b, "]");
}

static void
add_held(struct buf *b, const char *key, const struct buf *obj)
{
	buf_addf(b, ",\"%s\":", key);
	if (obj->len)
		buf_add(b, obj->p, obj->len);
	else
		buf_adds(b, "null");
}

/* Appends pending text to held text, comma-joined. */
static int
join(struct buf *held, const struct buf *pend)
{
	if (pend->len == 0)
		return 0;
	if (held->len > 0 && buf_add(held, ",", 1) == -1)
		return -1;
	return buf_add(held, pend->p, pend->len);
}

/* b, a new buffer, opens a message of type for r at seq. */
static void
open_msg(struct buf *b, const char *type, const struct room *r, int64_t seq)
{
	buf_init(b, 0);
	buf_addf(b, "{\"type\":\"%s\",\"game_id\":", type);
	buf_add_jstr(b, r->id);
	buf_addf(b, ",\"epoch\":%" PRId64 ",\"seq\":%" PRId64, r->epoch,
	    seq);
}

static void
room_commit(struct room *r)
{
	struct rooms *rs = r->rs;
	struct buf b;
	struct msg *m = NULL;

	open_msg(&b, "update", r, r->pend_seq);
	add_array(&b, "espn", &r->p_espn);
	add_array(&b, "kalshi", &r->p_kalshi);
	if (r->p_aligned.len)
		add_held(&b, "aligned", &r->p_aligned);
	if (r->pend_game)
		add_held(&b, "game", &r->p_game);
	buf_adds(&b, "}");
	if (!b.failed)
		m = msg_new(MSG_UPDATE, rs->cfg.pre, b.p, b.len);
	buf_fini(&b);

	/* Held state moves on even when encoding failed: nothing is lost
	 * for later snapshots. */
	if (join(&r->espn, &r->p_espn) == 0)
		r->n_espn += r->pn_espn;
	if (join(&r->kalshi, &r->p_kalshi) == 0)
		r->n_kalshi += r->pn_kalshi;
	if (r->p_aligned.len) {
		buf_reset(&r->aligned);
		buf_add(&r->aligned, r->p_aligned.p, r->p_aligned.len);
	}
	if (r->pend_game) {
		buf_reset(&r->game);
		buf_add(&r->game, r->p_game.p, r->p_game.len);
	}
	pend_series_clear(r);
	buf_reset(&r->p_game);
	r->pend_game = 0;
	if (m != NULL) {
		m->epoch = r->epoch;
		m->seq_from = r->seq;
		m->seq_to = r->pend_seq;
		m->ingest_us = r->pend_ingest_us;
	}
	r->seq = r->pend_seq;
	r->pend_ticks = 0;
	r->pend_ingest_us = 0;
	throttle_sent(&r->thr, r->pend_first_us);
	r->pend_first_us = 0;
	snap_drop(r);
	rs->st.updates++;
	if (m == NULL) {
		/* Subscribers cannot get this update: resync them. */
		if (rs->cfg.sink.on_reset != NULL)
			rs->cfg.sink.on_reset(rs->cfg.sink.arg, r);
		return;
	}
	hist_push(r, m);
	if (rs->cfg.sink.on_update != NULL)
		rs->cfg.sink.on_update(rs->cfg.sink.arg, r, m);
	msg_unref(m);
}

int64_t
rooms_flush(struct rooms *rs, int64_t now_us)
{
	struct room **pp, *r;
	int64_t wait, next = -1;

	/* First come, first served: rooms in the order their ticks came. */
	for (pp = &rs->dirty; (r = *pp) != NULL;) {
		wait = throttle_wait(&r->thr, r->pend_first_us, now_us);
		if (wait == 0) {
			*pp = r->next_dirty;
			if (rs->dirty_tail == &r->next_dirty)
				rs->dirty_tail = pp;
			r->dirty = 0;
			r->next_dirty = NULL;
			room_commit(r);
			continue;
		}
		if (next == -1 || wait < next)
			next = wait;
		pp = &r->next_dirty;
	}
	return next;
}

struct msg *
room_snapshot(struct room *r, int resync)
{
	struct rooms *rs = r->rs;
	struct buf b;
	struct msg *m;

	resync = resync ? 1 : 0;
	if (r->snap[resync] != NULL)
		return r->snap[resync];
	open_msg(&b, "snapshot", r, r->seq);
	add_held(&b, "game", &r->game);
	add_array(&b, "espn", &r->espn);
	add_array(&b, "kalshi", &r->kalshi);
	add_held(&b, "aligned", &r->aligned);
	sources_add_json(&rs->src, &b);
	if (resync)
		buf_adds(&b, ",\"resync\":true");
	buf_adds(&b, "}");
	m = b.failed ? NULL : msg_new(MSG_SNAPSHOT, rs->cfg.pre, b.p, b.len);
	buf_fini(&b);
	if (m == NULL)
		return NULL;
	m->epoch = r->epoch;
	m->seq_from = m->seq_to = r->seq;
	rs->st.snapshots++;
	r->snap[resync] = m;
	return m;
}

int
room_since(struct room *r, int64_t epoch, int64_t seq, struct msg **out,
    size_t n)
{
	unsigned i, cap = r->rs->cfg.history;
	struct msg *m;
	size_t k = 0;

	if (epoch != r->epoch || seq > r->seq)
		return -1;
	if (seq == r->seq)
		return 0;
	if (r->hist_count == 0 || r->hist[r->hist_head]->seq_from > seq)
		return -1;
	for (i = 0; i < r->hist_count; i++) {
		m = r->hist[(r->hist_head + i) % cap];
		if (m->seq_to <= seq &&
		    !(m->seq_to == seq && m->seq_from == seq))
			continue;
		/* A merged update that straddles seq cannot be split. */
		if (m->seq_from < seq && m->seq_to > seq)
			return -1;
		if (k == n)
			return -1;
		out[k++] = m;
	}
	return (int)k;
}

struct msg *
rooms_unknown_game_msg(size_t pre, const char *game_id, int64_t now_ms)
{
	struct buf b, t;
	struct msg *m;

	buf_init(&b, 4096);
	buf_init(&t, 256);
	buf_adds(&t, "unknown game ");
	buf_adds(&t, game_id);
	if (t.failed) {
		buf_reset(&t);
		buf_adds(&t, "unknown game");
	}
	buf_adds(&b, "{\"type\":\"error\",\"code\":\"unknown_game\",\"message\":");
	buf_add_jstr(&b, t.p);
	buf_addf(&b, ",\"timestamp\":%" PRId64 "}", now_ms);
	m = b.failed ? NULL : msg_new(MSG_NOTICE, pre, b.p, b.len);
	buf_fini(&b);
	buf_fini(&t);
	return m;
}

void
rooms_stats(const struct rooms *rs, struct rooms_stats *st)
{
	*st = rs->st;
}

struct room *
rooms_first(struct rooms *rs)
{
	return rs->first;
}

struct room *
room_next(struct room *r)
{
	return r->next;
}

const char *
room_id(const struct room *r)
{
	return r->id;
}

const char *
room_game_json(const struct room *r)
{
	return r->game.len > 0 ? r->game.p : NULL;
}

int64_t
room_epoch(const struct room *r)
{
	return r->epoch;
}

int64_t
room_seq(const struct room *r)
{
	return r->seq;
}

size_t
room_points(const struct room *r, size_t *espn, size_t *kalshi)
{
	if (espn != NULL)
		*espn = r->n_espn;
	if (kalshi != NULL)
		*kalshi = r->n_kalshi;
	return r->n_espn + r->n_kalshi;
}

void *
room_user(const struct room *r)
{
	return r->user;
}

void
room_set_user(struct room *r, void *user)
{
	r->user = user;
}
