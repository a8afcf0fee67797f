/*
 * align: per-game state and the tick builder behind aligner(1). Turns
 * wp/quote/trade/game/source objects into tick and pass-through lines.
 * Must stay pure: no I/O, no clock, no globals; every table is bounded.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "align.h"
#include "buf.h"
#include "fnv.h"
#include "hmap.h"
#include "jsonw.h"
#include "fields.h"
#include "teams.h"
#include "timeutil.h"

enum { HOME = 0, AWAY = 1 };
enum { HAS_BID = 1, HAS_ASK = 2, HAS_LAST = 4 };
enum { RULE_MID = 0, RULE_AWAY_MID, RULE_LAST, RULE_AWAY_LAST };
static const char *const rule_names[] = { "mid", "away_mid", "last",
    "away_last" };

#define NONE		((size_t)-1)
#define MAX_SOURCES	8
#define MAX_FP		4

/* Copies src into dst[size], truncating; always terminated. */
static void
scopy(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%.*s", (int)(size - 1), src);
}

/* ---------------------------------------------------------------- */
/* State. */

struct espn_pt {
	int64_t		ts;
	long long	seq;
	double		home;
	int		period, home_score, away_score;
	unsigned char	has;		/* 1 period, 2 scores, 4 clock */
	unsigned char	pending;	/* not yet in a tick */
	char		play_id[32];
	char		clock[16];
};

struct kalshi_pt {
	int64_t		ts;
	double		home, bid, ask, last;
	unsigned char	has;		/* HAS_* of the home market */
	unsigned char	rule;
	unsigned char	pending;
};

struct market {
	char		ticker[ALIGN_TICKER_MAX];
	int64_t		ts;
	double		bid, ask, last;
	unsigned char	has;
	int		seen;
	uint64_t	fp[MAX_FP];	/* quotes seen at ts */
	unsigned	nfp;
};

struct game {
	char		 id[24];
	char		*line;		/* latest game line, with '\n' */
	size_t		 line_len;
	json_t		*cmp;		/* the same without ts/recv_ts */
	int64_t		 line_ts;	/* its ts */
	int		 has_line_ts;
	char		 home[8], away[8];	/* Kalshi codes, "" unknown */
	char		 event[ALIGN_TICKER_MAX];	/* "" none */
	int		 by_map;	/* named in the map file */
	struct market	*mk[2];

	struct espn_pt	*ep;
	size_t		 en, ecap, elo;	/* elo: no pending point below */
	struct kalshi_pt *kp;
	size_t		 kn, kcap, klo;
	size_t		 npending;
	struct u64set	 plays;
	int		 has_kval;
	double		 kval;		/* latest home probability computed */

	long long	 seq;		/* ticks so far */
	int64_t		 tick_ts;
	int		 t_has_e, t_has_k;
	double		 t_e, t_k;

	int		 dirty;
	unsigned long long touched;
};

struct mapent {
	char	ticker[ALIGN_TICKER_MAX];
	char	game_id[24];
	char	team[8];	/* Kalshi code, or "home" / "away" */
};

struct pquote {
	char		ticker[ALIGN_TICKER_MAX];
	int64_t		ts;
	double		bid, ask, last;
	unsigned char	has;
};

struct source {
	char	 src[16];
	char	*line;
	size_t	 len;
};

struct align {
	struct align_cfg cfg;
	struct align_stats st;

	struct game	**games;	/* creation order */
	size_t		 ngames, gcap;
	struct hmap	 by_id, by_event;
	struct game	**dirty;
	size_t		 ndirty, dcap;

	struct hmap	 markets;
	struct market	**mlist;
	size_t		 nmarkets, mcap;

	struct hmap	 map;		/* ticker -> mapent */
	struct hmap	 map_games;	/* game_id -> mapent */
	struct mapent	**mapents;
	size_t		 nmap, mapcap;

	struct pquote	*pq;		/* quotes for no known game */
	size_t		 pqn, pqcap;

	struct source	 src[MAX_SOURCES];
	size_t		 nsrc;

	unsigned long long clock;	/* touch counter for eviction */
	struct buf	 out;
};

static int
grow(void *pp, size_t *cap, size_t need, size_t elem)
{
	void *np;
	size_t ncap;

	if (need <= *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 16;
	while (ncap < need)
		ncap *= 2;
	if ((np = realloc(*(void **)pp, ncap * elem)) == NULL)
		return -1;
	*(void **)pp = np;
	*cap = ncap;
	return 0;
}

struct align *
align_new(const struct align_cfg *cfg)
{
	struct align *a;

	if ((a = calloc(1, sizeof(*a))) == NULL)
		return NULL;
	a->cfg = *cfg;
	if (a->cfg.max_points == 0)
		a->cfg.max_points = ALIGN_DEFAULT_MAX_POINTS;
	if (a->cfg.max_games == 0)
		a->cfg.max_games = ALIGN_DEFAULT_MAX_GAMES;
	if (a->cfg.max_unmapped == 0)
		a->cfg.max_unmapped = ALIGN_DEFAULT_MAX_UNMAPPED;
	if (a->cfg.max_tick == 0)
		a->cfg.max_tick = ALIGN_DEFAULT_MAX_TICK;
	return a;
}

static void
game_free(struct game *g)
{
	if (g == NULL)
		return;
	free(g->line);
	json_decref(g->cmp);
	free(g->ep);
	free(g->kp);
	u64set_fini(&g->plays);
	free(g);
}

void
align_free(struct align *a)
{
	size_t i;

	if (a == NULL)
		return;
	for (i = 0; i < a->ngames; i++)
		game_free(a->games[i]);
	free(a->games);
	hmap_fini(&a->by_id);
	hmap_fini(&a->by_event);
	free(a->dirty);
	for (i = 0; i < a->nmarkets; i++)
		free(a->mlist[i]);
	free(a->mlist);
	hmap_fini(&a->markets);
	for (i = 0; i < a->nmap; i++)
		free(a->mapents[i]);
	free(a->mapents);
	hmap_fini(&a->map);
	hmap_fini(&a->map_games);
	free(a->pq);
	for (i = 0; i < a->nsrc; i++)
		free(a->src[i].line);
	buf_fini(&a->out);
	free(a);
}

/* ---------------------------------------------------------------- */
/* Output. */

static void
emit_buf(struct align *a)
{
	if (!a->out.failed)
		a->cfg.emit(a->cfg.arg, a->out.p, a->out.len);
	buf_reset(&a->out);
}

static void
put_espn(struct buf *b, const struct espn_pt *p, int *first)
{
	buf_adds(b, *first ? "{\"ts\":" : ",{\"ts\":");
	*first = 0;
	jsonw_i64(b, p->ts);
	buf_adds(b, ",\"home\":");
	jsonw_fixed6(b, p->home);
	buf_adds(b, ",\"play_id\":");
	jsonw_str(b, p->play_id);
	buf_adds(b, ",\"seq\":");
	jsonw_i64(b, p->seq);
	if (p->has & 1) {
		buf_adds(b, ",\"period\":");
		jsonw_i64(b, p->period);
	}
	if (p->has & 4) {
		buf_adds(b, ",\"clock\":");
		jsonw_str(b, p->clock);
	}
	if (p->has & 2) {
		buf_adds(b, ",\"home_score\":");
		jsonw_i64(b, p->home_score);
		buf_adds(b, ",\"away_score\":");
		jsonw_i64(b, p->away_score);
	}
	buf_adds(b, "}");
}

static void
put_kalshi(struct buf *b, const struct kalshi_pt *p, int *first)
{
	buf_adds(b, *first ? "{\"ts\":" : ",{\"ts\":");
	*first = 0;
	jsonw_i64(b, p->ts);
	buf_adds(b, ",\"home\":");
	jsonw_fixed6(b, p->home);
	if (p->has & HAS_BID) {
		buf_adds(b, ",\"bid\":");
		jsonw_fixed6(b, p->bid);
	}
	if (p->has & HAS_ASK) {
		buf_adds(b, ",\"ask\":");
		jsonw_fixed6(b, p->ask);
	}
	if (p->has & HAS_LAST) {
		buf_adds(b, ",\"last\":");
		jsonw_fixed6(b, p->last);
	}
	buf_adds(b, ",\"rule\":\"");
	buf_adds(b, rule_names[p->rule]);
	buf_adds(b, "\"}");
}

static double
round6(double v)
{
	return floor(v * 1e6 + 0.5) / 1e6;
}

/*
 * One tick line. snapshot: every point already in a tick; else only the
 * pending ones. The aligned values are the game's t_* fields.
 */
static void
put_tick(struct buf *b, int64_t epoch, const struct game *g, int snapshot)
{
	size_t i;
	int first;

	buf_adds(b, "{\"type\":\"tick\",\"src\":\"aligner\",\"game_id\":\"");
	buf_adds(b, g->id);
	buf_adds(b, "\",\"epoch\":");
	jsonw_i64(b, epoch);
	buf_adds(b, ",\"seq\":");
	jsonw_i64(b, g->seq);
	buf_adds(b, ",\"ts\":");
	jsonw_i64(b, g->tick_ts);
	if (snapshot)
		buf_adds(b, ",\"snapshot\":true");
	buf_adds(b, ",\"espn\":[");
	first = 1;
	for (i = snapshot || g->elo == NONE ? 0 : g->elo; i < g->en; i++)
		if (g->ep[i].pending == !snapshot)
			put_espn(b, &g->ep[i], &first);
	buf_adds(b, "],\"kalshi\":[");
	first = 1;
	for (i = snapshot || g->klo == NONE ? 0 : g->klo; i < g->kn; i++)
		if (g->kp[i].pending == !snapshot)
			put_kalshi(b, &g->kp[i], &first);
	buf_adds(b, "],\"aligned\":{\"ts\":");
	jsonw_i64(b, g->tick_ts);
	buf_adds(b, ",\"espn\":");
	if (g->t_has_e)
		jsonw_fixed6(b, g->t_e);
	else
		buf_adds(b, "null");
	buf_adds(b, ",\"kalshi\":");
	if (g->t_has_k)
		jsonw_fixed6(b, g->t_k);
	else
		buf_adds(b, "null");
	buf_adds(b, ",\"diff\":");
	if (g->t_has_e && g->t_has_k)
		jsonw_fixed6(b, round6(g->t_e - g->t_k));
	else
		buf_adds(b, "null");
	buf_adds(b, "}}\n");
}

/* Emits the game's pending points as one tick. */
static void
flush_game(struct align *a, struct game *g)
{
	size_t i;

	if (g->npending == 0)
		return;
	g->seq++;
	/* The as-of join at the latest time known for the game. */
	g->tick_ts = INT64_MIN;
	g->t_has_e = g->en > 0;
	g->t_has_k = g->kn > 0;
	if (g->en > 0) {
		g->tick_ts = g->ep[g->en - 1].ts;
		g->t_e = g->ep[g->en - 1].home;
	}
	if (g->kn > 0) {
		if (g->kp[g->kn - 1].ts > g->tick_ts)
			g->tick_ts = g->kp[g->kn - 1].ts;
		g->t_k = g->kp[g->kn - 1].home;
	}
	put_tick(&a->out, a->cfg.epoch, g, 0);
	emit_buf(a);
	a->st.ticks++;
	if (g->elo != NONE)
		for (i = g->elo; i < g->en; i++)
			g->ep[i].pending = 0;
	if (g->klo != NONE)
		for (i = g->klo; i < g->kn; i++)
			g->kp[i].pending = 0;
	g->elo = g->klo = NONE;
	g->npending = 0;
}

size_t
align_flush(struct align *a)
{
	size_t i, n = 0;

	for (i = 0; i < a->ndirty; i++) {
		struct game *g = a->dirty[i];

		g->dirty = 0;
		if (g->npending > 0) {
			flush_game(a, g);
			n++;
		}
	}
	a->ndirty = 0;
	return n;
}

size_t
align_dirty(const struct align *a)
{
	size_t i, n = 0;

	for (i = 0; i < a->ndirty; i++)
		if (a->dirty[i]->npending > 0)
			n++;
	return n;
}

void
align_snapshot(const struct align *a, align_emit_fn fn, void *arg)
{
	struct buf b;
	size_t i;

	buf_init(&b, 0);
	for (i = 0; i < a->nsrc; i++)
		fn(arg, a->src[i].line, a->src[i].len);
	for (i = 0; i < a->ngames; i++) {
		const struct game *g = a->games[i];

		if (g->line != NULL)
			fn(arg, g->line, g->line_len);
		if (g->seq == 0)
			continue;
		buf_reset(&b);
		put_tick(&b, a->cfg.epoch, g, 1);
		if (!b.failed)
			fn(arg, b.p, b.len);
	}
	buf_fini(&b);
}

void
align_get_stats(const struct align *a, struct align_stats *st)
{
	*st = a->st;
	st->unmapped = a->pqn;
	st->games = a->ngames;
}

/* ---------------------------------------------------------------- */
/* Games. */

static void
mark_dirty(struct align *a, struct game *g)
{
	if (g->dirty)
		return;
	if (grow(&a->dirty, &a->dcap, a->ndirty + 1, sizeof(*a->dirty)) == -1)
		return;	/* flushed by max_tick instead */
	a->dirty[a->ndirty++] = g;
	g->dirty = 1;
}

static void
evict(struct align *a)
{
	struct game *g = NULL;
	size_t i, gi = 0;

	for (i = 0; i < a->ngames; i++)
		if (g == NULL || a->games[i]->touched < g->touched) {
			g = a->games[i];
			gi = i;
		}
	if (g == NULL)
		return;
	/* Its last points still go out. */
	flush_game(a, g);
	for (i = 0; i < a->ndirty; i++)
		if (a->dirty[i] == g) {
			memmove(&a->dirty[i], &a->dirty[i + 1],
			    (a->ndirty - i - 1) * sizeof(*a->dirty));
			a->ndirty--;
			break;
		}
	hmap_del(&a->by_id, g->id);
	if (g->event[0] && hmap_get(&a->by_event, g->event,
	    strlen(g->event)) == g)
		hmap_del(&a->by_event, g->event);
	memmove(&a->games[gi], &a->games[gi + 1],
	    (a->ngames - gi - 1) * sizeof(*a->games));
	a->ngames--;
	a->st.games_evicted++;
	game_free(g);
}

static struct game *
game_get(struct align *a, const char *id, int create)
{
	struct game *g;

	g = hmap_get(&a->by_id, id, strlen(id));
	if (g != NULL || !create)
		goto done;
	if (a->ngames >= a->cfg.max_games)
		evict(a);
	if (grow(&a->games, &a->gcap, a->ngames + 1, sizeof(*a->games)) == -1)
		return NULL;
	if ((g = calloc(1, sizeof(*g))) == NULL)
		return NULL;
	scopy(g->id, sizeof(g->id), id);
	g->elo = g->klo = NONE;
	g->by_map = hmap_get(&a->map_games, id, strlen(id)) != NULL;
	if (hmap_put(&a->by_id, g->id, g) == -1) {
		game_free(g);
		return NULL;
	}
	a->games[a->ngames++] = g;
done:
	if (g != NULL)
		g->touched = ++a->clock;
	return g;
}

static int
valid_game_id(const char *s)
{
	size_t n = 0;

	for (; s[n]; n++)
		if (s[n] < '0' || s[n] > '9')
			return 0;
	return n > 0 && n < 24;
}

/* ---------------------------------------------------------------- */
/* Field access: every field optional until a rule needs it. */

static const char *
get_str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static int
get_i64(const json_t *o, const char *k, int64_t *out)
{
	json_t *v = json_object_get(o, k);
	double d;

	if (json_is_integer(v)) {
		*out = (int64_t)json_integer_value(v);
		return 0;
	}
	if (json_is_real(v)) {
		d = json_real_value(v);
		if (d == floor(d) && fabs(d) < 9e15) {
			*out = (int64_t)d;
			return 0;
		}
	}
	return -1;
}

/* Scanned fields: an integer (also from an integral real). */
static int
fv_i64(const struct fval *v, int64_t *out)
{
	if (v->kind == F_INT) {
		*out = v->i;
		return 0;
	}
	if (v->kind == F_REAL && v->d == floor(v->d) && fabs(v->d) < 9e15) {
		*out = (int64_t)v->d;
		return 0;
	}
	return -1;
}

/* A number in [0, 1]: 1 present, 0 absent, -1 present but bad. */
static int
fv_prob(const struct fval *v, double *out)
{
	if (v->kind == F_ABSENT || v->kind == F_NULL)
		return 0;
	if (v->kind != F_INT && v->kind != F_REAL)
		return -1;
	if (!(v->d >= 0 && v->d <= 1))
		return -1;
	*out = v->d;
	return 1;
}

/* Copies a string field into buf; -1 when absent, empty or too long. */
static int
fv_str(const struct fval *v, char *buf, size_t size)
{
	if (v->kind != F_STR || v->n == 0 || v->n >= size)
		return -1;
	memcpy(buf, v->s, v->n);
	buf[v->n] = '\0';
	return 0;
}

/* ---------------------------------------------------------------- */
/* Markets and the home-probability rule. */

static int
bidask(const struct market *m, double *mid)
{
	if (m == NULL || !(m->has & HAS_BID) || !(m->has & HAS_ASK))
		return 0;
	/* Kalshi's empty side shows as a bid of 0 or an ask of 1. */
	if (!(m->bid > 0) || !(m->ask < 1))
		return 0;
	*mid = (m->bid + m->ask) / 2;
	return 1;
}

static int
home_prob(const struct game *g, double *p, int *rule)
{
	const struct market *h = g->mk[HOME], *w = g->mk[AWAY];
	double mid;

	if (bidask(h, &mid)) {
		*p = mid;
		*rule = RULE_MID;
	} else if (bidask(w, &mid)) {
		*p = 1 - mid;
		*rule = RULE_AWAY_MID;
	} else if (h != NULL && (h->has & HAS_LAST)) {
		*p = h->last;
		*rule = RULE_LAST;
	} else if (w != NULL && (w->has & HAS_LAST)) {
		*p = 1 - w->last;
		*rule = RULE_AWAY_LAST;
	} else
		return 0;
	*p = round6(*p);
	return 1;
}

static struct market *
market_get(struct align *a, const char *ticker)
{
	struct market *m;

	m = hmap_get(&a->markets, ticker, strlen(ticker));
	if (m != NULL)
		return m;
	/* Two markets a game, and some room for strays. */
	if (a->nmarkets >= 4 * a->cfg.max_games + 64)
		return NULL;
	if (grow(&a->mlist, &a->mcap, a->nmarkets + 1, sizeof(*a->mlist)) == -1)
		return NULL;
	if ((m = calloc(1, sizeof(*m))) == NULL)
		return NULL;
	scopy(m->ticker, sizeof(m->ticker), ticker);
	if (hmap_put(&a->markets, m->ticker, m) == -1) {
		free(m);
		return NULL;
	}
	a->mlist[a->nmarkets++] = m;
	return m;
}

/* The Kalshi code of a team code from anywhere, or NULL. */
static const char *
kalshi_code(const char *code)
{
	const struct team *t = team_lookup(code);

	return t ? t->kalshi : NULL;
}

/*
 * Which game and side a ticker belongs to: the map file first, then the
 * event ticker. Returns 1 mapped, 0 not yet (no such game), -1 never (a
 * known event or mapped game whose teams do not match).
 */
static int
resolve(struct align *a, const char *ticker, struct game **gp, int *side)
{
	const struct mapent *me;
	const char *dash, *code;
	struct game *g;

	me = hmap_get(&a->map, ticker, strlen(ticker));
	if (me != NULL) {
		if ((g = game_get(a, me->game_id, 0)) == NULL)
			return 0;
		if (strcmp(me->team, "home") == 0)
			*side = HOME;
		else if (strcmp(me->team, "away") == 0)
			*side = AWAY;
		else if (g->home[0] && strcmp(me->team, g->home) == 0)
			*side = HOME;
		else if (g->away[0] && strcmp(me->team, g->away) == 0)
			*side = AWAY;
		else
			return g->home[0] ? -1 : 0;
		*gp = g;
		return 1;
	}
	if ((dash = strrchr(ticker, '-')) == NULL)
		return 0;
	g = hmap_get(&a->by_event, ticker, (size_t)(dash - ticker));
	if (g == NULL)
		return 0;
	code = kalshi_code(dash + 1);
	if (code != NULL && strcmp(code, g->home) == 0)
		*side = HOME;
	else if (code != NULL && strcmp(code, g->away) == 0)
		*side = AWAY;
	else
		return -1;
	g->touched = ++a->clock;
	*gp = g;
	return 1;
}

static uint64_t
quote_fp(const struct pquote *q)
{
	uint64_t h = fnv1a64(&q->ts, sizeof(q->ts), FNV1A64_BASIS);

	h = fnv1a64(&q->has, 1, h);
	if (q->has & HAS_BID)
		h = fnv1a64(&q->bid, sizeof(q->bid), h);
	if (q->has & HAS_ASK)
		h = fnv1a64(&q->ask, sizeof(q->ask), h);
	if (q->has & HAS_LAST)
		h = fnv1a64(&q->last, sizeof(q->last), h);
	return h;
}

static void
kalshi_insert(struct align *a, struct game *g, const struct kalshi_pt *pt)
{
	size_t i, k, max = a->cfg.max_points;

	if (g->kn >= max && pt->ts < g->kp[0].ts) {
		a->st.kalshi_shed++;
		return;
	}
	if (grow(&g->kp, &g->kcap, g->kn + 1, sizeof(*g->kp)) == -1)
		return;
	for (i = g->kn; i > 0 && g->kp[i - 1].ts > pt->ts; i--)
		;
	memmove(&g->kp[i + 1], &g->kp[i], (g->kn - i) * sizeof(*g->kp));
	g->kp[i] = *pt;
	g->kp[i].pending = 1;
	g->kn++;
	if (g->klo == NONE || i < g->klo)
		g->klo = i;
	g->npending++;
	a->st.kalshi_points++;
	if (g->kn > max) {
		/* Shed the oldest sixteenth at once: memmove per point is O(n). */
		k = max / 16 ? max / 16 : 1;
		if (k > g->kn)
			k = g->kn;
		for (i = 0; i < k; i++)
			if (g->kp[i].pending)
				g->npending--;
		memmove(g->kp, g->kp + k, (g->kn - k) * sizeof(*g->kp));
		g->kn -= k;
		if (g->klo != NONE)
			g->klo = g->klo > k ? g->klo - k : 0;
		a->st.kalshi_shed += k;
	}
	mark_dirty(a, g);
	if (g->npending >= a->cfg.max_tick)
		flush_game(a, g);
}

/* A quote for a mapped market: dedupe, merge, and perhaps a point. */
static int
apply_quote(struct align *a, const struct pquote *q, struct game *g,
    int side)
{
	struct market *m;
	struct kalshi_pt pt;
	uint64_t fp;
	unsigned i;
	double p;
	int rule;

	if ((m = market_get(a, q->ticker)) == NULL) {
		a->st.markets_full++;
		return ALIGN_IGNORED;
	}
	if (m->seen && q->ts < m->ts) {
		a->st.quote_stale++;
		return ALIGN_DUP;
	}
	fp = quote_fp(q);
	if (m->seen && q->ts == m->ts)
		for (i = 0; i < m->nfp && i < MAX_FP; i++)
			if (m->fp[i] == fp) {
				a->st.quote_dup++;
				return ALIGN_DUP;
			}
	if (!m->seen || q->ts > m->ts)
		m->nfp = 0;
	m->fp[m->nfp++ % MAX_FP] = fp;
	m->seen = 1;
	m->ts = q->ts;
	if (q->has & HAS_BID)
		m->bid = q->bid;
	if (q->has & HAS_ASK)
		m->ask = q->ask;
	if (q->has & HAS_LAST)
		m->last = q->last;
	m->has |= q->has;
	g->mk[side] = m;

	if (!home_prob(g, &p, &rule))
		return ALIGN_OK;
	if (g->has_kval && g->kval == p)
		return ALIGN_OK;
	g->has_kval = 1;
	g->kval = p;
	memset(&pt, 0, sizeof(pt));
	pt.ts = q->ts;
	pt.home = p;
	pt.rule = (unsigned char)rule;
	if (g->mk[HOME] != NULL) {
		pt.has = g->mk[HOME]->has;
		pt.bid = g->mk[HOME]->bid;
		pt.ask = g->mk[HOME]->ask;
		pt.last = g->mk[HOME]->last;
	}
	kalshi_insert(a, g, &pt);
	return ALIGN_OK;
}

static void
pending_add(struct align *a, const struct pquote *q)
{
	if (a->pqn >= a->cfg.max_unmapped) {
		/* Oldest first: the newest say more about the market now. */
		size_t k = a->pqn / 16 ? a->pqn / 16 : 1;

		memmove(a->pq, a->pq + k, (a->pqn - k) * sizeof(*a->pq));
		a->pqn -= k;
		a->st.unmapped_shed += k;
	}
	if (grow(&a->pq, &a->pqcap, a->pqn + 1, sizeof(*a->pq)) == -1) {
		a->st.unmapped_shed++;
		return;
	}
	a->pq[a->pqn++] = *q;
}

/* Quotes held for no game go through again, in arrival order. */
static void
pending_replay(struct align *a)
{
	size_t i, keep = 0;
	struct game *g;
	int side, r;

	for (i = 0; i < a->pqn; i++) {
		struct pquote q = a->pq[i];

		r = resolve(a, q.ticker, &g, &side);
		if (r == 0) {
			a->pq[keep++] = q;
			continue;
		}
		if (r < 0)
			a->st.unknown_team++;
		else
			apply_quote(a, &q, g, side);
	}
	a->pqn = keep;
}

static int
feed_quote(struct align *a, const struct fields *f, int trade,
    struct errbuf *err)
{
	struct pquote q;
	struct game *g;
	int side, r;

	memset(&q, 0, sizeof(q));
	if (f->f[K_TICKER].kind != F_STR || f->f[K_TICKER].n == 0)
		return errbuf_set(err, "no ticker"), ALIGN_BAD;
	if (fv_str(&f->f[K_TICKER], q.ticker, sizeof(q.ticker)) == -1)
		return errbuf_set(err, "ticker too long"), ALIGN_BAD;
	if (fv_i64(&f->f[K_TS], &q.ts) == -1 &&
	    fv_i64(&f->f[K_RECV_TS], &q.ts) == -1)
		return errbuf_set(err, "no ts"), ALIGN_BAD;
	if (trade) {
		if ((r = fv_prob(&f->f[K_PRICE], &q.last)) != 1)
			return errbuf_set(err, "bad price"), ALIGN_BAD;
		q.has = HAS_LAST;
		a->st.trades++;
	} else {
		if ((r = fv_prob(&f->f[K_BID], &q.bid)) < 0)
			return errbuf_set(err, "bad bid"), ALIGN_BAD;
		q.has |= r ? HAS_BID : 0;
		if ((r = fv_prob(&f->f[K_ASK], &q.ask)) < 0)
			return errbuf_set(err, "bad ask"), ALIGN_BAD;
		q.has |= r ? HAS_ASK : 0;
		if ((r = fv_prob(&f->f[K_LAST], &q.last)) < 0)
			return errbuf_set(err, "bad last"), ALIGN_BAD;
		q.has |= r ? HAS_LAST : 0;
		a->st.quotes++;
	}
	r = resolve(a, q.ticker, &g, &side);
	if (r == 0) {
		pending_add(a, &q);
		return ALIGN_OK;
	}
	if (r < 0) {
		a->st.unknown_team++;
		return ALIGN_IGNORED;
	}
	return apply_quote(a, &q, g, side);
}

/* ---------------------------------------------------------------- */
/* ESPN points. */

static int
espn_before(const struct espn_pt *x, const struct espn_pt *y)
{
	return x->ts < y->ts || (x->ts == y->ts && x->seq < y->seq);
}

static uint64_t
play_key(const char *play_id)
{
	return fnv1a64(play_id, strlen(play_id), FNV1A64_BASIS);
}

static int
feed_wp(struct align *a, const struct fields *f, struct errbuf *err)
{
	char gid[24], pid[32];
	struct espn_pt pt;
	struct game *g;
	int64_t v;
	size_t i, k, max = a->cfg.max_points;
	uint64_t key;

	if (fv_str(&f->f[K_GAME_ID], gid, sizeof(gid)) == -1 ||
	    !valid_game_id(gid))
		return errbuf_set(err, "bad game_id"), ALIGN_BAD;
	if (fv_str(&f->f[K_PLAY_ID], pid, sizeof(pid)) == -1 || pid[0] == '\0')
		return errbuf_set(err, "bad play_id"), ALIGN_BAD;
	memset(&pt, 0, sizeof(pt));
	if (fv_i64(&f->f[K_TS], &pt.ts) == -1)
		return errbuf_set(err, "no ts"), ALIGN_BAD;
	if (fv_prob(&f->f[K_HOME], &pt.home) != 1)
		return errbuf_set(err, "bad home"), ALIGN_BAD;
	a->st.wp++;
	memcpy(pt.play_id, pid, strlen(pid) + 1);
	if (fv_i64(&f->f[K_SEQ], &v) == 0)
		pt.seq = v;
	if (fv_i64(&f->f[K_PERIOD], &v) == 0 && v >= 0 && v < 100) {
		pt.period = (int)v;
		pt.has |= 1;
	}
	if (fv_i64(&f->f[K_HOME_SCORE], &v) == 0 && v >= 0 && v < 100000) {
		pt.home_score = (int)v;
		if (fv_i64(&f->f[K_AWAY_SCORE], &v) == 0 && v >= 0 &&
		    v < 100000) {
			pt.away_score = (int)v;
			pt.has |= 2;
		}
	}
	if (f->f[K_CLOCK].kind == F_STR && f->f[K_CLOCK].n < sizeof(pt.clock)) {
		memcpy(pt.clock, f->f[K_CLOCK].s, f->f[K_CLOCK].n);
		pt.clock[f->f[K_CLOCK].n] = '\0';
		pt.has |= 4;
	}
	if ((g = game_get(a, gid, 1)) == NULL)
		return errbuf_set(err, "out of memory"), ALIGN_IGNORED;
	key = play_key(pid);
	if (u64set_has(&g->plays, key)) {
		a->st.wp_dup++;
		return ALIGN_DUP;
	}
	if (g->en >= max && espn_before(&pt, &g->ep[0])) {
		a->st.espn_shed++;
		return ALIGN_OK;
	}
	if (grow(&g->ep, &g->ecap, g->en + 1, sizeof(*g->ep)) == -1 ||
	    u64set_add(&g->plays, key) == -1)
		return errbuf_set(err, "out of memory"), ALIGN_IGNORED;
	for (i = g->en; i > 0 && espn_before(&pt, &g->ep[i - 1]); i--)
		;
	memmove(&g->ep[i + 1], &g->ep[i], (g->en - i) * sizeof(*g->ep));
	pt.pending = 1;
	g->ep[i] = pt;
	g->en++;
	if (g->elo == NONE || i < g->elo)
		g->elo = i;
	g->npending++;
	a->st.espn_points++;
	if (g->en > max) {
		k = max / 16 ? max / 16 : 1;
		for (i = 0; i < k; i++) {
			if (g->ep[i].pending)
				g->npending--;
			u64set_del(&g->plays, play_key(g->ep[i].play_id));
		}
		memmove(g->ep, g->ep + k, (g->en - k) * sizeof(*g->ep));
		g->en -= k;
		if (g->elo != NONE)
			g->elo = g->elo > k ? g->elo - k : 0;
		a->st.espn_shed += k;
	}
	mark_dirty(a, g);
	if (g->npending >= a->cfg.max_tick)
		flush_game(a, g);
	return ALIGN_OK;
}

/* ---------------------------------------------------------------- */
/* Game and source lines. */

static void
copy_code(char dst[8], const json_t *obj, const char *side)
{
	const char *abbr = json_string_value(json_object_get(
	    json_object_get(obj, side), "abbr"));
	const char *code = abbr ? kalshi_code(abbr) : NULL;

	scopy(dst, 8, code ? code : "");
}

static int
set_line(char **dst, size_t *dlen, const char *line, size_t len)
{
	char *np;

	if ((np = malloc(len + 1)) == NULL)
		return -1;
	memcpy(np, line, len);
	np[len] = '\n';
	free(*dst);
	*dst = np;
	*dlen = len + 1;
	return 0;
}

static int
feed_game(struct align *a, json_t *obj, const char *line, size_t len,
    struct errbuf *err)
{
	const char *gid = get_str(obj, "game_id");
	char ev[ALIGN_TICKER_MAX];
	struct game *g;
	json_t *cmp;
	int64_t start, ts;

	if (gid == NULL || !valid_game_id(gid))
		return errbuf_set(err, "bad game_id"), ALIGN_BAD;
	if ((g = game_get(a, gid, 1)) == NULL)
		return errbuf_set(err, "out of memory"), ALIGN_IGNORED;
	/* An older game line (an upstream resending history) is stale. */
	if (get_i64(obj, "ts", &ts) == 0) {
		if (g->has_line_ts && ts < g->line_ts)
			return ALIGN_DUP;
	}
	/* A resent line that changes nothing but its times is a duplicate. */
	if ((cmp = json_copy(obj)) == NULL)
		return errbuf_set(err, "out of memory"), ALIGN_IGNORED;
	json_object_del(cmp, "ts");
	json_object_del(cmp, "recv_ts");
	if (g->cmp != NULL && json_equal(g->cmp, cmp)) {
		json_decref(cmp);
		return ALIGN_DUP;
	}
	if (set_line(&g->line, &g->line_len, line, len) == -1) {
		json_decref(cmp);
		return errbuf_set(err, "out of memory"), ALIGN_IGNORED;
	}
	json_decref(g->cmp);
	g->cmp = cmp;
	if (get_i64(obj, "ts", &ts) == 0) {
		g->has_line_ts = 1;
		g->line_ts = ts;
	}
	copy_code(g->home, obj, "home");
	copy_code(g->away, obj, "away");
	ev[0] = '\0';
	if (!g->by_map && get_i64(obj, "start_time", &start) == 0 &&
	    align_event_ticker(g->home, g->away, start, ev) == -1)
		ev[0] = '\0';
	if (strcmp(ev, g->event) != 0) {
		if (g->event[0] && hmap_get(&a->by_event, g->event,
		    strlen(g->event)) == g)
			hmap_del(&a->by_event, g->event);
		memcpy(g->event, ev, sizeof(ev));
		g->mk[HOME] = g->mk[AWAY] = NULL;
		if (g->event[0] && hmap_put(&a->by_event, g->event, g) == -1)
			g->event[0] = '\0';
	}
	a->st.passed++;
	a->cfg.emit(a->cfg.arg, g->line, g->line_len);
	pending_replay(a);
	return ALIGN_OK;
}

static int
feed_source(struct align *a, const json_t *obj, const char *line, size_t len,
    struct errbuf *err)
{
	const char *src = get_str(obj, "src");
	size_t i;

	if (src == NULL || src[0] == '\0' || strlen(src) >= 16)
		return errbuf_set(err, "bad src"), ALIGN_BAD;
	for (i = 0; i < a->nsrc; i++)
		if (strcmp(a->src[i].src, src) == 0)
			break;
	if (i == a->nsrc && a->nsrc < MAX_SOURCES) {
		scopy(a->src[i].src, sizeof(a->src[i].src), src);
		a->nsrc++;
	}
	if (i < a->nsrc && set_line(&a->src[i].line, &a->src[i].len, line,
	    len) == 0) {
		a->cfg.emit(a->cfg.arg, a->src[i].line, a->src[i].len);
	} else {
		buf_add(&a->out, line, len);
		buf_add(&a->out, "\n", 1);
		emit_buf(a);
	}
	a->st.passed++;
	return ALIGN_OK;
}

static int
finish_result(struct align *a, int r)
{
	if (r == ALIGN_BAD)
		a->st.bad++;
	else if (r == ALIGN_IGNORED)
		a->st.ignored++;
	return r;
}

int
align_feed(struct align *a, json_t *obj, const char *line, size_t len,
    struct errbuf *err)
{
	const char *type = get_str(obj, "type");
	struct fields f;
	int r;

	a->st.lines++;
	if (type == NULL)
		r = (errbuf_set(err, "no type"), ALIGN_BAD);
	else if (strcmp(type, "wp") == 0) {
		fields_from_json(obj, &f);
		r = feed_wp(a, &f, err);
	} else if (strcmp(type, "quote") == 0 || strcmp(type, "trade") == 0) {
		fields_from_json(obj, &f);
		r = feed_quote(a, &f, type[0] == 't', err);
	} else if (strcmp(type, "game") == 0)
		r = feed_game(a, obj, line, len, err);
	else if (strcmp(type, "source") == 0)
		r = feed_source(a, obj, line, len, err);
	else
		r = ALIGN_IGNORED;
	return finish_result(a, r);
}

static int
type_is(const struct fval *v, const char *name)
{
	return v->n == strlen(name) && memcmp(v->s, name, v->n) == 0;
}

int
align_feed_line(struct align *a, const char *line, size_t len,
    struct errbuf *err)
{
	json_error_t jerr;
	struct fields f;
	const struct fval *t = &f.f[K_TYPE];
	json_t *obj;
	int r;

	/* The common lines skip jansson; the rest take the general road. */
	if (fields_scan(line, len, &f) == 1 && t->kind == F_STR &&
	    !type_is(t, "game") && !type_is(t, "source")) {
		a->st.lines++;
		if (type_is(t, "wp"))
			r = feed_wp(a, &f, err);
		else if (type_is(t, "quote"))
			r = feed_quote(a, &f, 0, err);
		else if (type_is(t, "trade"))
			r = feed_quote(a, &f, 1, err);
		else
			r = ALIGN_IGNORED;
		return finish_result(a, r);
	}
	if ((obj = json_loadb(line, len, 0, &jerr)) == NULL ||
	    !json_is_object(obj)) {
		json_decref(obj);
		a->st.not_json++;
		errbuf_set(err, "%s", obj ? "not an object" : jerr.text);
		return ALIGN_NOT_JSON;
	}
	r = align_feed(a, obj, line, len, err);
	json_decref(obj);
	return r;
}

/* ---------------------------------------------------------------- */
/* The map file and the event ticker. */

int
align_event_ticker(const char *home, const char *away, int64_t start_ms,
    char buf[ALIGN_TICKER_MAX])
{
	static const char *const mon[] = { "JAN", "FEB", "MAR", "APR", "MAY",
	    "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC" };
	const char *h = kalshi_code(home), *w = kalshi_code(away);
	unsigned m, d;
	int y;

	if (h == NULL || w == NULL)
		return -1;
	time_eastern_date(start_ms, &y, &m, &d);
	if (m < 1 || m > 12 || y < 2000 || y > 2099)
		return -1;
	snprintf(buf, ALIGN_TICKER_MAX, "KXNBAGAME-%02d%s%02u%s%s", y % 100,
	    mon[m - 1], d, w, h);
	return 0;
}

int
align_map_load(struct align *a, const char *text, size_t len,
    struct errbuf *err)
{
	const char *p = text, *end = text + len, *nl;
	char buf[256], f[3][ALIGN_TICKER_MAX], *tok, *save = NULL;
	int lineno = 0, n = 0, nf;
	struct mapent *me;
	const char *code;
	size_t i;

	for (; p < end; p = nl + 1) {
		lineno++;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if ((size_t)(nl - p) >= sizeof(buf))
			return errbuf_set(err, "line %d: too long", lineno);
		memcpy(buf, p, (size_t)(nl - p));
		buf[nl - p] = '\0';
		if (strchr(buf, '#') != NULL)
			*strchr(buf, '#') = '\0';
		nf = 0;
		for (tok = strtok_r(buf, " \t\r", &save); tok != NULL;
		    tok = strtok_r(NULL, " \t\r", &save)) {
			if (nf == 3 || strlen(tok) >= ALIGN_TICKER_MAX)
				return errbuf_set(err,
				    "line %d: want GAME_ID TICKER TEAM", lineno);
			memcpy(f[nf++], tok, strlen(tok) + 1);
		}
		if (nf == 0)
			continue;
		if (nf != 3 || !valid_game_id(f[0]))
			return errbuf_set(err,
			    "line %d: want GAME_ID TICKER TEAM", lineno);
		if (strcmp(f[2], "home") == 0 || strcmp(f[2], "away") == 0)
			code = f[2];
		else if ((code = kalshi_code(f[2])) == NULL)
			return errbuf_set(err, "line %d: unknown team %s",
			    lineno, f[2]);
		if (hmap_get(&a->map, f[1], strlen(f[1])) != NULL)
			return errbuf_set(err, "line %d: %s mapped twice",
			    lineno, f[1]);
		if (grow(&a->mapents, &a->mapcap, a->nmap + 1,
		    sizeof(*a->mapents)) == -1 ||
		    (me = calloc(1, sizeof(*me))) == NULL)
			return errbuf_set(err, "out of memory");
		a->mapents[a->nmap++] = me;
		scopy(me->ticker, sizeof(me->ticker), f[1]);
		scopy(me->game_id, sizeof(me->game_id), f[0]);
		scopy(me->team, sizeof(me->team), code);
		if (hmap_put(&a->map, me->ticker, me) == -1 ||
		    hmap_put(&a->map_games, me->game_id, me) == -1)
			return errbuf_set(err, "out of memory");
		n++;
	}
	/* Games already known lose their automatic mapping. */
	for (i = 0; i < a->ngames; i++) {
		struct game *g = a->games[i];

		if (!g->by_map && hmap_get(&a->map_games, g->id,
		    strlen(g->id)) != NULL) {
			g->by_map = 1;
			if (g->event[0])
				hmap_del(&a->by_event, g->event);
			g->event[0] = '\0';
		}
	}
	return n;
}
