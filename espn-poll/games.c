/*
 * games: espn-poll's games: the table (bounded, the oldest idle game
 * evicted), the play ids already written, following a game's summary
 * stream, and what a scoreboard or a summary body says about them.
 * Parsing is common/espn*.c; nothing here does I/O but through lines.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "espn.h"
#include "fnv.h"
#include "lines.h"
#include "log.h"
#include "timeutil.h"
#include "vec.h"

#include "poller_int.h"

static int
seen(const struct game *g, const char *play_id)
{
	size_t i, mask;
	uint32_t v;

	if (g->set_cap == 0)
		return 0;
	mask = g->set_cap - 1;
	for (i = fnv1a64(play_id, strlen(play_id), FNV1A64_BASIS) & mask;
	    (v = g->set[i]) != 0; i = (i + 1) & mask)
		if (strcmp(g->pts[v - 1].play_id, play_id) == 0)
			return 1;
	return 0;
}

static void
set_insert(struct game *g, size_t idx)
{
	size_t mask = g->set_cap - 1, i;
	const char *id = g->pts[idx].play_id;

	for (i = fnv1a64(id, strlen(id), FNV1A64_BASIS) & mask; g->set[i] != 0;
	    i = (i + 1) & mask)
		;
	g->set[i] = (uint32_t)idx + 1;
}

/* Remembers a written point; 0, or -1 when full or out of memory. */
static int
remember(struct game *g, const struct espn_wp *pt)
{
	uint32_t *ns;
	size_t cap, i;

	if (g->npts >= MAX_POINTS)
		return -1;
	if (vec_grow(&g->pts, &g->cap, g->npts + 1, sizeof(*g->pts), 512) == -1)
		return -1;
	if ((g->npts + 1) * 2 > g->set_cap) {
		cap = g->set_cap ? g->set_cap * 2 : 1024;
		if ((ns = calloc(cap, sizeof(*ns))) == NULL)
			return -1;
		free(g->set);
		g->set = ns;
		g->set_cap = cap;
		for (i = 0; i < g->npts; i++)
			set_insert(g, i);
	}
	g->pts[g->npts] = *pt;
	set_insert(g, g->npts);
	g->npts++;
	return 0;
}

struct game *
games_find(struct poller *p, const char *id)
{
	size_t i;

	for (i = 0; i < p->ngames; i++)
		if (strcmp(p->games[i]->info.game_id, id) == 0)
			return p->games[i];
	return NULL;
}

static void
game_closed(uv_handle_t *h)
{
	struct stream *s = h->data;
	struct game *g = s->game;

	stream_fini(s);
	free(g->pts);
	free(g->set);
	free(g);
}

/*
 * Makes room by dropping the oldest game that is neither followed nor
 * named with --game, so a process that runs for weeks stays bounded.
 */
static void
evict_one(struct poller *p)
{
	struct game *g;
	size_t i;

	for (i = 0; i < p->ngames; i++) {
		g = p->games[i];
		if (g->following || g->explicit_ || g->summary.in_flight)
			continue;
		memmove(&p->games[i], &p->games[i + 1],
		    (p->ngames - i - 1) * sizeof(p->games[0]));
		p->ngames--;
		g->summary.timer_open = 0;
		uv_close((uv_handle_t *)&g->summary.timer, game_closed);
		return;
	}
}

struct game *
games_add(struct poller *p, const char *id)
{
	struct game *g;

	if (p->ngames >= MAX_GAMES)
		evict_one(p);
	if (p->ngames >= MAX_GAMES) {
		log_rl(&p->rl, LOG_LVL_WARN, "too many games", "game=%s max=%d",
		    id, MAX_GAMES);
		return NULL;
	}
	if ((g = calloc(1, sizeof(*g))) == NULL)
		return NULL;
	snprintf(g->info.game_id, sizeof(g->info.game_id), "%s", id);
	stream_init(p, &g->summary, ST_SUMMARY);
	g->summary.game = g;
	snprintf(g->summary.label, sizeof(g->summary.label), "summary %s", id);
	p->games[p->ngames++] = g;
	return g;
}

void
games_line(struct poller *p, struct game *g, const struct espn_game *info)
{
	if (g->have_line && !lines_game_changed(&g->info, info))
		return;
	g->info = *info;
	g->have_line = 1;
	p->st.game_lines++;
	poller_emit(p, lines_game(&g->info, time_now_ms()));
}

void
games_follow(struct poller *p, struct game *g)
{
	if (g->following || g->done)
		return;
	g->following = 1;
	log_info("following game", "game=%s state=%s", g->info.game_id,
	    g->info.state[0] ? g->info.state : "unknown");
	stream_schedule(&g->summary, 0);
}

void
games_unfollow(struct poller *p, struct game *g)
{
	g->following = 0;
	g->done = 1;
	uv_timer_stop(&g->summary.timer);
	log_info("game finished", "game=%s points=%zu", g->info.game_id,
	    g->npts);
}

/* Returns 0, or -1 with err set when the document is unusable. */
int
games_on_scoreboard(struct poller *p, const json_t *doc, struct errbuf *err)
{
	struct game *g;
	size_t i, skipped = 0;
	int n;

	n = espn_scoreboard_parse(doc, p->gscratch, MAX_GAMES, &skipped, err);
	if (n < 0)
		return -1;
	if (skipped > 0)
		log_rl(&p->rl, LOG_LVL_WARN, "events skipped", "count=%zu",
		    skipped);
	for (i = 0; i < (size_t)n; i++) {
		const struct espn_game *info = &p->gscratch[i];

		if ((g = games_find(p, info->game_id)) == NULL &&
		    (g = games_add(p, info->game_id)) == NULL)
			continue;
		g->on_scoreboard = 1;
		games_line(p, g, info);
		if (strcmp(info->state, "in") == 0)
			games_follow(p, g);
		else if (strcmp(info->state, "post") == 0 && !g->following &&
		    !g->done && !p->cfg.once) {
			/*
			 * Final before this process followed it (started
			 * after the game, or the game went from pre to post
			 * between two scoreboard polls): one summary poll,
			 * retried as usual, writes its points, then done. A
			 * restarted consumer needs the whole game again.
			 */
			g->sb_post = 1;
			games_follow(p, g);
		} else if (strcmp(info->state, "post") == 0 && g->following &&
		    !g->sb_post) {
			/*
			 * One last summary poll for the final plays; one sent
			 * before the game ended does not count (2).
			 */
			if (g->summary.in_flight)
				g->sb_post = 2;
			else {
				g->sb_post = 1;
				uv_timer_stop(&g->summary.timer);
				stream_schedule(&g->summary, 0);
			}
		}
	}
	return 0;
}

/*
 * A summary is ~840 kB of which the parser reads a tenth: skim it down
 * first (4x less CPU). NULL when that fails; the caller then parses the
 * whole body, which also gives the precise error.
 */
static json_t *
load_summary(struct poller *p, const char *body, size_t len)
{
	char *nb;
	long n;

	if (p->slim_cap < len + 1) {
		if ((nb = realloc(p->slim, len + 1)) == NULL)
			return NULL;
		p->slim = nb;
		p->slim_cap = len + 1;
	}
	if ((n = espn_summary_slim(body, len, p->slim, p->slim_cap)) < 0)
		return NULL;
	return json_loadb(p->slim, (size_t)n, 0, NULL);
}

/*
 * A summary body: new points, maybe a game line. Returns 0, or -1 with
 * err set to what a source line should say.
 */
int
games_on_summary(struct poller *p, struct game *g, const char *body, size_t len,
    int64_t recv_ts, struct errbuf *err)
{
	struct espn_game info;
	struct errbuf perr = { "" };
	json_error_t jerr;
	json_t *doc;
	size_t i, skipped = 0;
	int n;

	/* Straight from the bytes; the document only when that declines. */
	n = espn_summary_parse_text(body, len, &info, p->scratch, MAX_POINTS,
	    &skipped, &perr);
	if (n == ESPN_TEXT_FALLBACK) {
		p->st.fallbacks++;
		if ((doc = load_summary(p, body, len)) == NULL &&
		    (doc = json_loadb(body, len, 0, &jerr)) == NULL)
			return errbuf_set(err, "malformed JSON: %s", jerr.text);
		n = espn_summary_parse(doc, &info, p->scratch, MAX_POINTS,
		    &skipped, &perr);
		json_decref(doc);
	}
	if (n < 0)
		return errbuf_set(err, "bad document: %s", perr.msg);
	if (strcmp(info.game_id, g->info.game_id) != 0)
		return errbuf_set(err, "bad document: header.id: %s, asked "
		    "for %s", info.game_id, g->info.game_id);
	/* The game line goes first so a consumer knows the game. */
	if (!g->on_scoreboard)
		games_line(p, g, &info);
	if (skipped > 0)
		log_debug("points skipped", "game=%s count=%zu",
		    g->info.game_id, skipped);
	for (i = 0; i < (size_t)n; i++) {
		const struct espn_wp *pt = &p->scratch[i];

		if (seen(g, pt->play_id))
			continue;
		if (remember(g, pt) == -1) {
			if (!g->full_warned)
				log_error("too many points", "game=%s max=%d",
				    g->info.game_id, MAX_POINTS);
			g->full_warned = 1;
			break;
		}
		p->st.wp_lines++;
		poller_emit(p, lines_wp(g->info.game_id, pt, recv_ts));
	}
	if (strcmp(info.state, "post") == 0 || g->sb_post == 1)
		games_unfollow(p, g);
	else if (g->sb_post == 2)
		g->sb_post = 1;		/* the next poll is the last */
	return 0;
}
