/*
 * wp: ESPN win-probability points into their game: checked, deduped by
 * play id, kept in play order and bounded by max_points. Pure.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fnv.h"
#include "hmap.h"

#include "align_int.h"

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

int
wp_feed(struct align *a, const struct fields *f, struct errbuf *err)
{
	char gid[24], pid[32];
	struct espn_pt pt;
	struct game *g;
	int64_t v;
	size_t i, k, max = a->cfg.max_points;
	uint64_t key;

	if (fields_str(&f->f[K_GAME_ID], gid, sizeof(gid)) == -1 ||
	    !games_valid_id(gid))
		return errbuf_set(err, "bad game_id"), ALIGN_BAD;
	if (fields_str(&f->f[K_PLAY_ID], pid, sizeof(pid)) == -1 || pid[0] == '\0')
		return errbuf_set(err, "bad play_id"), ALIGN_BAD;
	memset(&pt, 0, sizeof(pt));
	if (fields_i64(&f->f[K_TS], &pt.ts) == -1)
		return errbuf_set(err, "no ts"), ALIGN_BAD;
	if (fields_prob(&f->f[K_HOME], &pt.home) != 1)
		return errbuf_set(err, "bad home"), ALIGN_BAD;
	a->st.wp++;
	memcpy(pt.play_id, pid, strlen(pid) + 1);
	if (fields_i64(&f->f[K_SEQ], &v) == 0)
		pt.seq = v;
	if (fields_i64(&f->f[K_PERIOD], &v) == 0 && v >= 0 && v < 100) {
		pt.period = (int)v;
		pt.has |= 1;
	}
	if (fields_i64(&f->f[K_HOME_SCORE], &v) == 0 && v >= 0 && v < 100000) {
		pt.home_score = (int)v;
		if (fields_i64(&f->f[K_AWAY_SCORE], &v) == 0 && v >= 0 &&
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
	if ((g = games_get(a, gid, 1)) == NULL)
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
	if (vec_grow(&g->ep, &g->ecap, g->en + 1, sizeof(*g->ep), 16) == -1 ||
	    u64set_add(&g->plays, key) == -1)
		return errbuf_set(err, "out of memory"), ALIGN_IGNORED;
	for (i = g->en; i > 0 && espn_before(&pt, &g->ep[i - 1]); i--)
		;
	pt.pending = 1;
	games_put(g, g->ep, &g->en, sizeof(*g->ep), i, &pt, &g->elo);
	a->st.espn_points++;
	if (g->en > max) {
		k = max / 16 ? max / 16 : 1;
		for (i = 0; i < k; i++) {
			if (g->ep[i].pending)
				g->npending--;
			u64set_del(&g->plays, play_key(g->ep[i].play_id));
		}
		games_shed(g->ep, &g->en, sizeof(*g->ep), k, &g->elo);
		a->st.espn_shed += k;
	}
	games_changed(a, g);
	return ALIGN_OK;
}
