/*
 * games: the aligner's games by ESPN id: create, touch, evict the least
 * recently touched past max_games, mark dirty, flush a tick; and the
 * game lines (kept, passed through when they change). Pure.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "digits.h"
#include "hmap.h"

#include "align_int.h"

void
games_free(struct game *g)
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
games_mark_dirty(struct align *a, struct game *g)
{
	if (g->dirty)
		return;
	if (vec_grow(&a->dirty, &a->dcap, a->ndirty + 1,
	    sizeof(*a->dirty), 16) == -1)
		return;	/* flushed by max_tick instead */
	a->dirty[a->ndirty++] = g;
	g->dirty = 1;
}

void
games_changed(struct align *a, struct game *g)
{
	games_mark_dirty(a, g);
	if (g->npending >= a->cfg.max_tick)
		games_flush(a, g);
}

void
games_put(struct game *g, void *pts, size_t *n, size_t elem, size_t i,
    const void *pt, size_t *lo)
{
	char *at = (char *)pts + i * elem;

	memmove(at + elem, at, (*n - i) * elem);
	memcpy(at, pt, elem);
	(*n)++;
	if (*lo == NONE || i < *lo)
		*lo = i;
	g->npending++;
}

void
games_shed(void *pts, size_t *n, size_t elem, size_t k, size_t *lo)
{
	memmove(pts, (char *)pts + k * elem, (*n - k) * elem);
	*n -= k;
	if (*lo != NONE)
		*lo = *lo > k ? *lo - k : 0;
}

/* Emits the game's pending points as one tick. */
void
games_flush(struct align *a, struct game *g)
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
	tick_encode(&a->out, a->cfg.epoch, g, 0);
	align_emit(a);
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
	games_flush(a, g);
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
	games_free(g);
}

struct game *
games_get(struct align *a, const char *id, int create)
{
	struct game *g;

	g = hmap_get(&a->by_id, id, strlen(id));
	if (g != NULL || !create)
		goto done;
	if (a->ngames >= a->cfg.max_games)
		evict(a);
	if ((g = vec_grow_new(&a->games, &a->gcap, a->ngames,
	    sizeof(*g))) == NULL)
		return NULL;
	strcopy(g->id, sizeof(g->id), id);
	g->elo = g->klo = NONE;
	g->by_map = hmap_get(&a->map_games, id, strlen(id)) != NULL;
	if (hmap_put(&a->by_id, g->id, g) == -1) {
		games_free(g);
		return NULL;
	}
	a->games[a->ngames++] = g;
done:
	if (g != NULL)
		g->touched = ++a->clock;
	return g;
}

int
games_valid_id(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n < 24 && digits_only(s, n);
}

static void
copy_code(char dst[8], const json_t *obj, const char *side)
{
	const char *abbr = json_string_value(json_object_get(
	    json_object_get(obj, side), "abbr"));
	const char *code = abbr ? kmap_code(abbr) : NULL;

	strcopy(dst, 8, code ? code : "");
}

int
games_feed(struct align *a, json_t *obj, const char *line, size_t len,
    struct errbuf *err)
{
	const char *gid = align_json_str(obj, "game_id");
	char ev[ALIGN_TICKER_MAX];
	struct game *g;
	json_t *cmp;
	int64_t start, ts;

	if (gid == NULL || !games_valid_id(gid))
		return errbuf_set(err, "bad game_id"), ALIGN_BAD;
	if ((g = games_get(a, gid, 1)) == NULL)
		return errbuf_set(err, "out of memory"), ALIGN_IGNORED;
	/* An older game line (an upstream resending history) is stale. */
	if (align_json_i64(obj, "ts", &ts) == 0) {
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
	if (align_set_line(&g->line, &g->line_len, line, len) == -1) {
		json_decref(cmp);
		return errbuf_set(err, "out of memory"), ALIGN_IGNORED;
	}
	json_decref(g->cmp);
	g->cmp = cmp;
	if (align_json_i64(obj, "ts", &ts) == 0) {
		g->has_line_ts = 1;
		g->line_ts = ts;
	}
	copy_code(g->home, obj, "home");
	copy_code(g->away, obj, "away");
	ev[0] = '\0';
	if (!g->by_map && align_json_i64(obj, "start_time", &start) == 0 &&
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
	kmap_pending_replay(a);
	return ALIGN_OK;
}
