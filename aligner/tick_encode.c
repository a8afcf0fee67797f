/*
 * tick_encode: a game's tick line, written by hand into a struct buf
 * (one per flush, the aligner's hot path): the pending points, or every
 * point for a snapshot, and the as-of join. Pure; reads the game only.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"

#include "align_int.h"

static const char *const rule_names[] = { "mid", "away_mid", "last",
    "away_last" };

/* A point's opening: its ts and home, after a comma unless *first. */
static void
put_head(struct buf *b, int64_t ts, double home, int *first)
{
	buf_adds(b, *first ? "{\"ts\":" : ",{\"ts\":");
	*first = 0;
	jsonw_i64(b, ts);
	buf_adds(b, ",\"home\":");
	jsonw_fixed6(b, home);
}

static void
put_espn(struct buf *b, const struct espn_pt *p, int *first)
{
	put_head(b, p->ts, p->home, first);
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
	put_head(b, p->ts, p->home, first);
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
	buf_adds(b, p->backfill ? "\",\"backfill\":true}" : "\"}");
}

double
tick_round6(double v)
{
	return floor(v * 1e6 + 0.5) / 1e6;
}

/*
 * One tick line. snapshot: every point already in a tick; else only the
 * pending ones. The aligned values are the game's t_* fields.
 */
void
tick_encode(struct buf *b, int64_t epoch, const struct game *g, int snapshot)
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
		jsonw_fixed6(b, tick_round6(g->t_e - g->t_k));
	else
		buf_adds(b, "null");
	buf_adds(b, "}}\n");
}
