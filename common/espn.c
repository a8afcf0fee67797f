/*
 * espn: the reference parsers for ESPN's NBA scoreboard and summary
 * documents, on jansson: json_t in, structs out (the faster summary
 * paths, espn_slim.c and espn_text.c, must agree with these). No I/O, no globals, no allocation: every field
 * is optional upstream, so every lookup is checked.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "digits.h"
#include "espn.h"
#include "espn_int.h"
#include "jsonutil.h"
#include "strcopy.h"
#include "timeutil.h"

/*
 * An id field that may be a string or an integer. Fills dst with it when
 * it is all digits and fits; returns 0, else -1.
 */
static int
get_id(const json_t *v, char *dst, size_t cap)
{
	const char *s;
	size_t n;

	if (json_is_integer(v)) {
		if (json_integer_value(v) < 0)
			return -1;
		if ((size_t)snprintf(dst, cap, "%lld",
		    (long long)json_integer_value(v)) >= cap)
			return -1;
		return 0;
	}
	if (!json_is_string(v))
		return -1;
	s = json_string_value(v);
	n = strlen(s);
	if (n == 0 || n >= cap || !digits_only(s, n))
		return -1;
	memcpy(dst, s, n + 1);
	return 0;
}

static int
get_intval(const json_t *root, const char *path, int dflt)
{
	long long v;

	if (jsonutil_int(root, path, &v) == -1 || v < -1000000 || v > 1000000)
		return dflt;
	return (int)v;
}

static int
valid_state(const char *s)
{
	return s != NULL && (strcmp(s, "pre") == 0 || strcmp(s, "in") == 0 ||
	    strcmp(s, "post") == 0);
}

/*
 * Fills home/away from a competitors array. Returns 0 when both sides
 * were found, else -1.
 */
static int
parse_sides(const json_t *competitors, struct espn_game *g)
{
	const json_t *c;
	const char *ha;
	struct espn_side *side;
	size_t i;
	int have_home = 0, have_away = 0;

	if (!json_is_array(competitors))
		return -1;
	for (i = 0; i < json_array_size(competitors); i++) {
		c = json_array_get(competitors, i);
		ha = jsonutil_str(c, "homeAway");
		if (ha == NULL)
			continue;
		if (strcmp(ha, "home") == 0 && !have_home) {
			side = &g->home;
			have_home = 1;
		} else if (strcmp(ha, "away") == 0 && !have_away) {
			side = &g->away;
			have_away = 1;
		} else
			continue;
		if (get_id(jsonutil_path(c, "team.id"), side->id,
		    sizeof(side->id)) == -1 &&
		    get_id(json_object_get(c, "id"), side->id,
		    sizeof(side->id)) == -1)
			side->id[0] = '\0';
		strcopy(side->abbr, sizeof(side->abbr),
		    jsonutil_str(c, "team.abbreviation"));
		strcopy(side->name, sizeof(side->name),
		    jsonutil_str(c, "team.displayName"));
		side->score = get_intval(c, "score", 0);
		if (side->score < 0)
			side->score = 0;
	}
	return have_home && have_away ? 0 : -1;
}

/* Status fields: state, name, period, clock, from a status object. */
static void
parse_status(const json_t *status, struct espn_game *g)
{
	const char *s;

	strcopy(g->state, sizeof(g->state), jsonutil_str(status, "type.state"));
	strcopy(g->status, sizeof(g->status), jsonutil_str(status, "type.name"));
	g->period = get_intval(status, "period", 0);
	if ((s = jsonutil_str(status, "displayClock")) != NULL)
		strcopy(g->clock, sizeof(g->clock), s);
}

static int64_t
parse_date(const json_t *obj, const char *path)
{
	const char *s = jsonutil_str(obj, path);
	int64_t ms;

	if (s == NULL || time_parse_iso8601(s, &ms) == -1)
		return 0;
	return ms;
}

int
espn_scoreboard_parse(const json_t *doc, struct espn_game *games, size_t n,
    size_t *skipped, struct errbuf *err)
{
	const json_t *events, *ev, *comp, *status;
	struct espn_game *g;
	size_t i, count = 0, skip = 0;

	events = json_is_object(doc) ? json_object_get(doc, "events") : NULL;
	if (!json_is_array(events))
		return errbuf_set(err, "events: not an array");
	for (i = 0; i < json_array_size(events) && count < n; i++) {
		ev = json_array_get(events, i);
		g = &games[count];
		memset(g, 0, sizeof(*g));
		comp = json_array_get(json_object_get(ev, "competitions"), 0);
		if (!json_is_object(ev) ||
		    get_id(json_object_get(ev, "id"), g->game_id,
		    sizeof(g->game_id)) == -1 ||
		    parse_sides(json_object_get(comp, "competitors"), g) == -1) {
			skip++;
			continue;
		}
		/* The event's status is the one ESPN keeps current; the
		 * competition's is a copy, used when the first is absent. */
		status = json_object_get(ev, "status");
		if (!json_is_object(status))
			status = json_object_get(comp, "status");
		parse_status(status, g);
		if (!valid_state(g->state)) {
			skip++;
			continue;
		}
		g->start_time = parse_date(ev, "date");
		if (g->start_time == 0)
			g->start_time = parse_date(comp, "date");
		count++;
	}
	if (skipped != NULL)
		*skipped = skip;
	return (int)count;
}

/* The index of the play whose id is play_id; hint is where to look first. */
static const json_t *
find_play(const json_t *plays, const char *play_id, size_t *hint)
{
	size_t i, k, n = json_array_size(plays);
	const json_t *p;
	const char *id;
	char buf[32];

	for (k = 0; k < n; k++) {
		i = (*hint + k) % n;
		p = json_array_get(plays, i);
		id = jsonutil_str(p, "id");
		if (id == NULL) {
			if (get_id(json_object_get(p, "id"), buf,
			    sizeof(buf)) == -1)
				continue;
			id = buf;
		}
		if (strcmp(id, play_id) == 0) {
			*hint = i + 1;
			return p;
		}
	}
	return NULL;
}

/* Fills one point from a winprobability entry and its play; 0 / -1. */
static int
parse_point(const json_t *w, const json_t *plays, size_t *hint,
    struct espn_wp *pt)
{
	const json_t *play, *idv;
	const char *s;
	double home, tie = 0.0, away;
	long long seq;

	memset(pt, 0, sizeof(*pt));
	idv = json_object_get(w, "playId");
	if (json_is_string(idv)) {
		s = json_string_value(idv);
		if (*s == '\0' || strlen(s) >= sizeof(pt->play_id))
			return -1;
		strcopy(pt->play_id, sizeof(pt->play_id), s);
	} else if (get_id(idv, pt->play_id, sizeof(pt->play_id)) == -1)
		return -1;
	if (jsonutil_num(w, "homeWinPercentage", &home) == -1 ||
	    !(home >= 0.0 && home <= 1.0))
		return -1;
	if (json_object_get(w, "tiePercentage") != NULL &&
	    (jsonutil_num(w, "tiePercentage", &tie) == -1 ||
	    !(tie >= 0.0 && tie <= 1.0)))
		return -1;
	if (jsonutil_num(w, "awayWinPercentage", &away) == -1 ||
	    !(away >= 0.0 && away <= 1.0)) {
		away = 1.0 - home - tie;
		/* Keep 1 - 0.57 printable as 0.43, and inside [0, 1]. */
		away = round(away * 1e9) / 1e9;
		if (away < 0.0)
			away = 0.0;
	}
	if ((play = find_play(plays, pt->play_id, hint)) == NULL)
		return -1;
	if (jsonutil_int(play, "sequenceNumber", &seq) == -1)
		return -1;
	if ((s = jsonutil_str(play, "wallclock")) == NULL ||
	    time_parse_iso8601(s, &pt->ts) == -1)
		return -1;
	pt->seq = seq;
	pt->home = home;
	pt->tie = tie;
	pt->away = away;
	pt->period = get_intval(play, "period.number", 0);
	strcopy(pt->clock, sizeof(pt->clock),
	    jsonutil_str(play, "clock.displayValue"));
	pt->home_score = get_intval(play, "homeScore", 0);
	pt->away_score = get_intval(play, "awayScore", 0);
	return 0;
}

static int
wp_before(const struct espn_wp *a, const struct espn_wp *b)
{
	if (a->seq != b->seq)
		return a->seq < b->seq;
	return strcmp(a->play_id, b->play_id) < 0;
}

/*
 * Inserts pt into the sorted pts[0..*count) of capacity n, keeping the n
 * lowest. ESPN sends nearly sorted arrays, so insertion from the end is
 * linear in practice. Returns 0, or -1 when pt duplicates a point or does
 * not fit.
 */
int
espn_insert_point(struct espn_wp *pts, size_t *count, size_t n,
    const struct espn_wp *pt)
{
	size_t i = *count;

	while (i > 0 && wp_before(pt, &pts[i - 1]))
		i--;
	if (i > 0 && pts[i - 1].seq == pt->seq &&
	    strcmp(pts[i - 1].play_id, pt->play_id) == 0)
		return -1;
	if (i >= n)
		return -1;
	if (*count == n)
		(*count)--;		/* the highest falls off */
	memmove(&pts[i + 1], &pts[i], (*count - i) * sizeof(*pts));
	pts[i] = *pt;
	(*count)++;
	return 0;
}

/* Period and clock of the highest-numbered play, for a header without. */
static void
last_play_status(const json_t *plays, struct espn_game *g)
{
	const json_t *p, *best = NULL;
	long long seq, best_seq = 0;
	size_t i;

	for (i = 0; i < json_array_size(plays); i++) {
		p = json_array_get(plays, i);
		if (jsonutil_int(p, "sequenceNumber", &seq) == -1)
			continue;
		if (best == NULL || seq > best_seq) {
			best = p;
			best_seq = seq;
		}
	}
	if (best == NULL)
		return;
	if (g->period == 0)
		g->period = get_intval(best, "period.number", 0);
	if (g->clock[0] == '\0')
		strcopy(g->clock, sizeof(g->clock),
		    jsonutil_str(best, "clock.displayValue"));
}

/* The game from a summary's header; 0, or -1 with err set. */
int
espn_parse_header(const json_t *header, struct espn_game *g, struct errbuf *err)
{
	const json_t *comp;

	memset(g, 0, sizeof(*g));
	comp = json_array_get(json_object_get(header, "competitions"), 0);
	if (!json_is_object(comp))
		return errbuf_set(err, "header.competitions[0]: missing");
	if (get_id(json_object_get(header, "id"), g->game_id,
	    sizeof(g->game_id)) == -1 &&
	    get_id(json_object_get(comp, "id"), g->game_id,
	    sizeof(g->game_id)) == -1)
		return errbuf_set(err, "header.id: missing or not digits");
	parse_status(json_object_get(comp, "status"), g);
	if (!valid_state(g->state))
		return errbuf_set(err,
		    "header.competitions[0].status.type.state: invalid");
	(void)parse_sides(json_object_get(comp, "competitors"), g);
	g->start_time = parse_date(comp, "date");
	return 0;
}

int
espn_summary_parse(const json_t *doc, struct espn_game *game,
    struct espn_wp *pts, size_t n, size_t *skipped, struct errbuf *err)
{
	const json_t *wps, *plays;
	struct espn_game g;
	struct espn_wp pt;
	size_t i, count = 0, skip = 0, hint = 0;

	if (!json_is_object(doc))
		return errbuf_set(err, "$: not an object");
	if (espn_parse_header(json_object_get(doc, "header"), &g, err) == -1)
		return -1;

	wps = json_object_get(doc, "winprobability");
	if (wps != NULL && !json_is_array(wps))
		return errbuf_set(err, "winprobability: not an array");
	plays = json_object_get(doc, "plays");
	if (plays != NULL && !json_is_array(plays))
		return errbuf_set(err, "plays: not an array");
	last_play_status(plays, &g);

	for (i = 0; i < json_array_size(wps); i++) {
		if (parse_point(json_array_get(wps, i), plays, &hint,
		    &pt) == -1 || espn_insert_point(pts, &count, n, &pt) == -1)
			skip++;
	}
	if (game != NULL)
		*game = g;
	if (skipped != NULL)
		*skipped = skip;
	return (int)count;
}
