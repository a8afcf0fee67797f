/*
 * kalshi_map: Kalshi quotes and trades onto games: which game and side a
 * ticker is (the map file, else the event ticker), the home-probability
 * rule, fingerprint dedupe, and the quotes held for a game not yet seen.
 * Pure.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fnv.h"
#include "hmap.h"
#include "teams.h"

#include "align_int.h"

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
	*p = tick_round6(*p);
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
	if ((m = vec_grow_new(&a->mlist, &a->mcap, a->nmarkets,
	    sizeof(*m))) == NULL)
		return NULL;
	strcopy(m->ticker, sizeof(m->ticker), ticker);
	if (hmap_put(&a->markets, m->ticker, m) == -1) {
		free(m);
		return NULL;
	}
	a->mlist[a->nmarkets++] = m;
	return m;
}

/* The Kalshi code of a team code from anywhere, or NULL. */
const char *
kmap_code(const char *code)
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
		if ((g = games_get(a, me->game_id, 0)) == NULL)
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
	code = kmap_code(dash + 1);
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
	if (vec_grow(&g->kp, &g->kcap, g->kn + 1, sizeof(*g->kp), 16) == -1)
		return;
	for (i = g->kn; i > 0 && g->kp[i - 1].ts > pt->ts; i--)
		;
	games_put(g, g->kp, &g->kn, sizeof(*g->kp), i, pt, &g->klo);
	g->kp[i].pending = 1;
	a->st.kalshi_points++;
	if (g->kn > max) {
		/* Shed the oldest sixteenth at once: memmove per point is O(n). */
		k = max / 16 ? max / 16 : 1;
		if (k > g->kn)
			k = g->kn;
		for (i = 0; i < k; i++)
			if (g->kp[i].pending)
				g->npending--;
		games_shed(g->kp, &g->kn, sizeof(*g->kp), k, &g->klo);
		a->st.kalshi_shed += k;
	}
	games_changed(a, g);
}

/*
 * A backfilled quote (a minute from before kalshi-tap followed the
 * market): a point of its own, from this market alone, where the game has
 * no point in that minute yet (a live one, the other market's candle, the
 * same line again). One older than a point already sent is stale: the
 * clients' series stay in time order. The market's latest state is left
 * as it is.
 */
static int
apply_backfill(struct align *a, const struct pquote *q, struct game *g,
    int side)
{
	struct kalshi_pt pt;
	size_t i;

	memset(&pt, 0, sizeof(pt));
	/* As bidask: an empty side shows as a bid of 0 or an ask of 1. */
	if ((q->has & (HAS_BID | HAS_ASK)) == (HAS_BID | HAS_ASK) &&
	    q->bid > 0 && q->ask < 1) {
		pt.home = (q->bid + q->ask) / 2;
		pt.rule = side == HOME ? RULE_MID : RULE_AWAY_MID;
	} else if (q->has & HAS_LAST) {
		pt.home = q->last;
		pt.rule = side == HOME ? RULE_LAST : RULE_AWAY_LAST;
	} else
		return ALIGN_IGNORED;
	if (side != HOME)
		pt.home = 1 - pt.home;
	pt.home = tick_round6(pt.home);
	for (i = g->kn; i > 0; i--)
		if (!g->kp[i - 1].pending) {
			if (q->ts < g->kp[i - 1].ts) {
				a->st.quote_stale++;
				return ALIGN_DUP;
			}
			break;
		}
	for (i = g->kn; i > 0 && g->kp[i - 1].ts > q->ts - 60000; i--)
		if (g->kp[i - 1].ts <= q->ts) {
			a->st.quote_dup++;
			return ALIGN_DUP;
		}
	pt.ts = q->ts;
	pt.backfill = 1;
	if (side == HOME) {
		pt.has = q->has;
		pt.bid = q->bid;
		pt.ask = q->ask;
		pt.last = q->last;
	}
	kalshi_insert(a, g, &pt);
	return ALIGN_OK;
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

	if (q->backfill)
		return apply_backfill(a, q, g, side);
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
	if (vec_grow(&a->pq, &a->pqcap, a->pqn + 1, sizeof(*a->pq), 16) == -1) {
		a->st.unmapped_shed++;
		return;
	}
	a->pq[a->pqn++] = *q;
}

/* Quotes held for no game go through again, in arrival order. */
void
kmap_pending_replay(struct align *a)
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

int
kmap_feed_quote(struct align *a, const struct fields *f, int trade,
    struct errbuf *err)
{
	struct pquote q;
	struct game *g;
	int side, r;

	memset(&q, 0, sizeof(q));
	if (f->f[K_TICKER].kind != F_STR || f->f[K_TICKER].n == 0)
		return errbuf_set(err, "no ticker"), ALIGN_BAD;
	if (fields_str(&f->f[K_TICKER], q.ticker, sizeof(q.ticker)) == -1)
		return errbuf_set(err, "ticker too long"), ALIGN_BAD;
	if (fields_i64(&f->f[K_TS], &q.ts) == -1 &&
	    fields_i64(&f->f[K_RECV_TS], &q.ts) == -1)
		return errbuf_set(err, "no ts"), ALIGN_BAD;
	if (trade) {
		if ((r = fields_prob(&f->f[K_PRICE], &q.last)) != 1)
			return errbuf_set(err, "bad price"), ALIGN_BAD;
		q.has = HAS_LAST;
		a->st.trades++;
	} else {
		if ((r = fields_prob(&f->f[K_BID], &q.bid)) < 0)
			return errbuf_set(err, "bad bid"), ALIGN_BAD;
		q.has |= r ? HAS_BID : 0;
		if ((r = fields_prob(&f->f[K_ASK], &q.ask)) < 0)
			return errbuf_set(err, "bad ask"), ALIGN_BAD;
		q.has |= r ? HAS_ASK : 0;
		if ((r = fields_prob(&f->f[K_LAST], &q.last)) < 0)
			return errbuf_set(err, "bad last"), ALIGN_BAD;
		q.has |= r ? HAS_LAST : 0;
		q.backfill = f->f[K_BACKFILL].kind == F_OTHER &&
		    f->f[K_BACKFILL].i == 1;
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
