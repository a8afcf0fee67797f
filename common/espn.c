/*
 * espn: pure parsers for ESPN's NBA scoreboard and summary documents.
 * json_t in, structs out. No I/O, no globals, no allocation: every field
 * is optional upstream, so every lookup is checked.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "espn.h"
#include "jsonutil.h"
#include "timeutil.h"

/* Copies a string field into dst (truncating); "" when absent. */
static void
copy_str(char *dst, size_t cap, const char *src)
{
	size_t n;

	if (src == NULL)
		src = "";
	n = strlen(src);
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/*
 * An id field that may be a string or an integer. Fills dst with it when
 * it is all digits and fits; returns 0, else -1.
 */
static int
get_id(const json_t *v, char *dst, size_t cap)
{
	const char *s;
	size_t i, n;

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
	if (n == 0 || n >= cap)
		return -1;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return -1;
	memcpy(dst, s, n + 1);
	return 0;
}

static int
get_intval(const json_t *root, const char *path, int dflt)
{
	long long v;

	if (json_int(root, path, &v) == -1 || v < -1000000 || v > 1000000)
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
		ha = json_str(c, "homeAway");
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
		if (get_id(json_path(c, "team.id"), side->id,
		    sizeof(side->id)) == -1 &&
		    get_id(json_object_get(c, "id"), side->id,
		    sizeof(side->id)) == -1)
			side->id[0] = '\0';
		copy_str(side->abbr, sizeof(side->abbr),
		    json_str(c, "team.abbreviation"));
		copy_str(side->name, sizeof(side->name),
		    json_str(c, "team.displayName"));
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

	copy_str(g->state, sizeof(g->state), json_str(status, "type.state"));
	copy_str(g->status, sizeof(g->status), json_str(status, "type.name"));
	g->period = get_intval(status, "period", 0);
	if ((s = json_str(status, "displayClock")) != NULL)
		copy_str(g->clock, sizeof(g->clock), s);
}

static int64_t
parse_date(const json_t *obj, const char *path)
{
	const char *s = json_str(obj, path);
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
		id = json_str(p, "id");
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
		copy_str(pt->play_id, sizeof(pt->play_id), s);
	} else if (get_id(idv, pt->play_id, sizeof(pt->play_id)) == -1)
		return -1;
	if (json_num(w, "homeWinPercentage", &home) == -1 ||
	    !(home >= 0.0 && home <= 1.0))
		return -1;
	if (json_object_get(w, "tiePercentage") != NULL &&
	    (json_num(w, "tiePercentage", &tie) == -1 ||
	    !(tie >= 0.0 && tie <= 1.0)))
		return -1;
	if (json_num(w, "awayWinPercentage", &away) == -1 ||
	    !(away >= 0.0 && away <= 1.0)) {
		away = 1.0 - home - tie;
		/* Keep 1 - 0.57 printable as 0.43, and inside [0, 1]. */
		away = round(away * 1e9) / 1e9;
		if (away < 0.0)
			away = 0.0;
	}
	if ((play = find_play(plays, pt->play_id, hint)) == NULL)
		return -1;
	if (json_int(play, "sequenceNumber", &seq) == -1)
		return -1;
	if ((s = json_str(play, "wallclock")) == NULL ||
	    time_parse_iso8601(s, &pt->ts) == -1)
		return -1;
	pt->seq = seq;
	pt->home = home;
	pt->tie = tie;
	pt->away = away;
	pt->period = get_intval(play, "period.number", 0);
	copy_str(pt->clock, sizeof(pt->clock),
	    json_str(play, "clock.displayValue"));
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
static int
insert_point(struct espn_wp *pts, size_t *count, size_t n,
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
		if (json_int(p, "sequenceNumber", &seq) == -1)
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
		copy_str(g->clock, sizeof(g->clock),
		    json_str(best, "clock.displayValue"));
}

/* The game from a summary's header; 0, or -1 with err set. */
static int
parse_header(const json_t *header, struct espn_game *g, struct errbuf *err)
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
	if (parse_header(json_object_get(doc, "header"), &g, err) == -1)
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
		    &pt) == -1 || insert_point(pts, &count, n, &pt) == -1)
			skip++;
	}
	if (game != NULL)
		*game = g;
	if (skipped != NULL)
		*skipped = skip;
	return (int)count;
}

/* --- espn_summary_slim: a byte-level skim of the summary --- */

struct slim {
	const char	*p, *end;
	char		*out;
	size_t		 n, cap;
};

static void
skip_ws(struct slim *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' ||
	    *s->p == '\n' || *s->p == '\r'))
		s->p++;
}

/* Past a string starting at s->p ('"'); 0 or -1 if unterminated. */
static int
skip_string(struct slim *s)
{
	const char *p = s->p + 1;

	for (;;) {
		p = memchr(p, '"', (size_t)(s->end - p));
		if (p == NULL)
			return -1;
		/* A quote is escaped by an odd run of backslashes. */
		{
			const char *b = p;
			size_t k = 0;

			while (b > s->p + 1 && b[-1] == '\\') {
				b--;
				k++;
			}
			p++;
			if (k % 2 == 0)
				break;
		}
	}
	s->p = p;
	return 0;
}

/* Past one value; 0 or -1 when the text ends first. */
static int
skip_value(struct slim *s)
{
	int depth = 0;
	char c;

	skip_ws(s);
	if (s->p >= s->end)
		return -1;
	if (*s->p == '"')
		return skip_string(s);
	if (*s->p != '{' && *s->p != '[') {
		/* A scalar runs to the next delimiter; jansson checks it. */
		while (s->p < s->end && (c = *s->p) != ',' && c != '}' &&
		    c != ']' && c != ' ' && c != '\t' && c != '\n' &&
		    c != '\r')
			s->p++;
		return 0;
	}
	for (;;) {
		if (s->p >= s->end)
			return -1;
		c = *s->p;
		if (c == '"') {
			if (skip_string(s) == -1)
				return -1;
			continue;
		}
		if (c == '{' || c == '[')
			depth++;
		else if ((c == '}' || c == ']') && --depth == 0) {
			s->p++;
			return 0;
		}
		s->p++;
	}
}

static int
put(struct slim *s, const char *from, size_t n)
{
	if (s->n + n + 1 > s->cap)
		return -1;
	memcpy(s->out + s->n, from, n);
	s->n += n;
	return 0;
}

/* Copies [from, to), a value already skimmed, without its blanks. */
static int
put_min(struct slim *s, const char *from, const char *to)
{
	struct slim str;
	const char *p = from, *run;

	while (p < to) {
		if (*p == '"') {
			str = *s;
			str.p = p;
			str.end = to;
			if (skip_string(&str) == -1 ||
			    put(s, p, (size_t)(str.p - p)) == -1)
				return -1;
			p = str.p;
			continue;
		}
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
			p++;
			continue;
		}
		for (run = p; p < to && *p != '"' && *p != ' ' && *p != '\t' &&
		    *p != '\n' && *p != '\r'; p++)
			;
		if (put(s, run, (size_t)(p - run)) == -1)
			return -1;
	}
	return 0;
}

/*
 * What to keep of a value: for an object, the members named (each with
 * its own spec; NULL keeps it whole); arrays apply the spec to each
 * element; other values are kept whole.
 */
struct keep {
	const char		*name;
	const struct keep	*sub;
};

static const struct keep k_team[] = {
	{ "id", NULL }, { "abbreviation", NULL }, { "displayName", NULL },
	{ NULL, NULL }
};
static const struct keep k_competitor[] = {
	{ "id", NULL }, { "homeAway", NULL }, { "score", NULL },
	{ "team", k_team }, { NULL, NULL }
};
static const struct keep k_competition[] = {
	{ "id", NULL }, { "date", NULL }, { "status", NULL },
	{ "competitors", k_competitor }, { NULL, NULL }
};
static const struct keep k_header[] = {
	{ "id", NULL }, { "competitions", k_competition }, { NULL, NULL }
};
static const struct keep k_play[] = {
	{ "id", NULL }, { "sequenceNumber", NULL }, { "wallclock", NULL },
	{ "clock", NULL }, { "period", NULL }, { "homeScore", NULL },
	{ "awayScore", NULL }, { NULL, NULL }
};
static const struct keep k_summary[] = {
	{ "header", k_header }, { "winprobability", NULL },
	{ "plays", k_play }, { NULL, NULL }
};

/*
 * The spec for a raw key (between quotes): *found is 0 when the member
 * is to be dropped. A key with escapes is kept whole, to be safe.
 */
static const struct keep *
lookup(const char *k, size_t n, const struct keep *spec, int *found)
{
	size_t i;

	*found = 1;
	if (memchr(k, '\\', n) != NULL)
		return NULL;
	for (i = 0; spec[i].name != NULL; i++)
		if (strlen(spec[i].name) == n && memcmp(spec[i].name, k, n) == 0)
			return spec[i].sub;
	*found = 0;
	return NULL;
}

static int	slim_value(struct slim *, const struct keep *, int);

/*
 * To element or member *i of an array or object closed by close, past
 * its comma (*i counts them): 0, or 1 past the close (written out), or
 * -1 when malformed or out of room.
 */
static int
slim_next(struct slim *s, char close, size_t *i)
{
	skip_ws(s);
	if (s->p >= s->end)
		return -1;
	if (*s->p == close) {
		s->p++;
		return put(s, &close, 1) == -1 ? -1 : 1;
	}
	if ((*i)++ > 0) {
		if (*s->p != ',')
			return -1;
		s->p++;
		skip_ws(s);
	}
	return 0;
}

static int
slim_array(struct slim *s, const struct keep *spec, int depth)
{
	size_t i = 0;
	int rc;

	if (put(s, "[", 1) == -1)
		return -1;
	s->p++;
	for (;;) {
		if ((rc = slim_next(s, ']', &i)) != 0)
			return rc == 1 ? 0 : -1;
		if ((i > 1 && put(s, ",", 1) == -1) ||
		    slim_value(s, spec, depth + 1) == -1)
			return -1;
	}
}

static int
slim_object(struct slim *s, const struct keep *spec, int depth)
{
	const struct keep *sub;
	const char *k;
	size_t klen, i = 0;
	int kept = 0, found, rc;

	if (put(s, "{", 1) == -1)
		return -1;
	s->p++;
	for (;;) {
		if ((rc = slim_next(s, '}', &i)) != 0)
			return rc == 1 ? 0 : -1;
		if (s->p >= s->end || *s->p != '"')
			return -1;
		k = s->p;
		if (skip_string(s) == -1)
			return -1;
		klen = (size_t)(s->p - k);
		skip_ws(s);
		if (s->p >= s->end || *s->p != ':')
			return -1;
		s->p++;
		sub = lookup(k + 1, klen - 2, spec, &found);
		if (!found) {
			if (skip_value(s) == -1)
				return -1;
			continue;
		}
		if ((kept++ && put(s, ",", 1) == -1) ||
		    put(s, k, klen) == -1 || put(s, ":", 1) == -1 ||
		    slim_value(s, sub, depth + 1) == -1)
			return -1;
	}
}

/* One value under spec (NULL: whole, without blanks). */
static int
slim_value(struct slim *s, const struct keep *spec, int depth)
{
	const char *v;

	skip_ws(s);
	if (s->p >= s->end || depth > 64)
		return -1;
	if (spec != NULL && *s->p == '{')
		return slim_object(s, spec, depth);
	if (spec != NULL && *s->p == '[')
		return slim_array(s, spec, depth);
	v = s->p;
	if (skip_value(s) == -1)
		return -1;
	return put_min(s, v, s->p);
}

long
espn_summary_slim(const char *in, size_t len, char *out, size_t cap)
{
	struct slim s = { in, in + len, out, 0, cap };

	if (cap == 0)
		return -1;
	skip_ws(&s);
	if (s.p >= s.end || *s.p != '{' ||
	    slim_object(&s, k_summary, 0) == -1)
		return -1;
	skip_ws(&s);
	if (s.p != s.end)
		return -1;		/* trailing bytes: let jansson say */
	out[s.n] = '\0';
	return (long)s.n;
}

/*
 * --- espn_summary_parse_text: the summary straight from its bytes ---
 *
 * The same result as espn_summary_parse on the parsed document, without
 * building one: the points and plays are read in place. Anything out of
 * the ordinary (escapes, duplicate keys, numbers as strings, odd types)
 * returns ESPN_TEXT_FALLBACK and the caller takes the json_t path, so the
 * two never disagree; fuzz_espn_summary checks that they do not.
 */

/* An iterator over an object's members or an array's elements. */
struct iter {
	struct slim	s;
	int		first;
	char		close;
};

static int
iter_begin(struct iter *it, const char *v, const char *ve, char open)
{
	if (v >= ve || *v != open)
		return -1;
	it->s.p = v + 1;
	it->s.end = ve;
	it->first = 1;
	it->close = open == '{' ? '}' : ']';
	return 0;
}

/* Next member (k, kn set) or element: 1, 0 at the end, -1 if malformed. */
static int
iter_next(struct iter *it, const char **k, size_t *kn, const char **v,
    const char **ve)
{
	struct slim *s = &it->s;

	skip_ws(s);
	if (s->p >= s->end)
		return -1;
	if (*s->p == it->close)
		return 0;
	if (!it->first) {
		if (*s->p != ',')
			return -1;
		s->p++;
		skip_ws(s);
	}
	it->first = 0;
	if (k != NULL) {
		if (s->p >= s->end || *s->p != '"')
			return -1;
		*k = s->p + 1;
		if (skip_string(s) == -1)
			return -1;
		*kn = (size_t)(s->p - *k) - 1;
		skip_ws(s);
		if (s->p >= s->end || *s->p != ':')
			return -1;
		s->p++;
		skip_ws(s);
	}
	*v = s->p;
	if (skip_value(s) == -1)
		return -1;
	*ve = s->p;
	return 1;
}

#define BAIL	(-2)

/* A plain string: 1 with s/n set, 0 when not a string, BAIL if unusual. */
static int
tok_str(const char *v, const char *ve, const char **s, size_t *n)
{
	const char *p;

	if (v >= ve || *v != '"')
		return 0;
	for (p = v + 1; p < ve - 1; p++)
		if (*p == '\\' || (unsigned char)*p < 0x20 ||
		    (unsigned char)*p >= 0x7f)
			return BAIL;
	*s = v + 1;
	*n = (size_t)(ve - v) - 2;
	return 1;
}

/* A JSON number token, checked and converted: 1, 0 if another type. */
static int
tok_num(const char *v, const char *ve, double *out, int *integer)
{
	const char *p = v;
	char buf[64];
	size_t n = (size_t)(ve - v);

	if (v >= ve)
		return BAIL;
	if (*v == '"')
		return BAIL;		/* a number as a string: rare */
	if (*p != '-' && (*p < '0' || *p > '9'))
		return 0;		/* null, true, an object ... */
	*integer = 1;
	if (*p == '-')
		p++;
	if (p >= ve || *p < '0' || *p > '9')
		return BAIL;
	if (*p == '0' && p + 1 < ve && p[1] >= '0' && p[1] <= '9')
		return BAIL;		/* leading zero: not JSON */
	while (p < ve && *p >= '0' && *p <= '9')
		p++;
	if (p < ve && *p == '.') {
		*integer = 0;
		if (++p >= ve || *p < '0' || *p > '9')
			return BAIL;
		while (p < ve && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < ve && (*p == 'e' || *p == 'E')) {
		*integer = 0;
		p++;
		if (p < ve && (*p == '+' || *p == '-'))
			p++;
		if (p >= ve || *p < '0' || *p > '9')
			return BAIL;
		while (p < ve && *p >= '0' && *p <= '9')
			p++;
	}
	/* Integers past 15 digits would not survive strtod exactly. */
	if (p != ve || n >= sizeof(buf) ||
	    (*integer && n - (*v == '-') > 15))
		return BAIL;
	memcpy(buf, v, n);
	buf[n] = '\0';
	*out = strtod(buf, NULL);
	if (!isfinite(*out))
		return BAIL;
	return 1;
}

/* An integer as json_int reads one: 1, 0 (not there), BAIL. */
static int
tok_int(const char *v, const char *ve, long long *out)
{
	const char *s;
	size_t n, i;
	double d;
	int rc, integer;

	if ((rc = tok_str(v, ve, &s, &n)) != 0) {
		if (rc == BAIL || n == 0 || n > 15)
			return BAIL;
		for (i = 0; i < n; i++)
			if (s[i] < '0' || s[i] > '9')
				return BAIL;
		*out = 0;
		for (i = 0; i < n; i++)
			*out = *out * 10 + (s[i] - '0');
		return 1;
	}
	if ((rc = tok_num(v, ve, &d, &integer)) != 1)
		return rc;
	if (!integer)
		return BAIL;
	*out = (long long)d;
	return 1;
}

/* get_intval over a token: dflt when absent, not an integer or too big. */
static int
tok_intval(const char *v, const char *ve, int *out)
{
	long long x;
	int rc;

	*out = 0;
	if (v == NULL)
		return 0;
	if ((rc = tok_int(v, ve, &x)) == BAIL)
		return BAIL;
	if (rc == 1 && x >= -1000000 && x <= 1000000)
		*out = (int)x;
	return 0;
}

/* Copies a token string (checked by tok_str) like copy_str would. */
static void
copy_tok(char *dst, size_t cap, const char *s, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

/* The play fields parse_point and last_play_status read. */
struct tplay {
	const char	*id;		/* a string id, or NULL */
	size_t		 idn;
	char		 idnum[32];	/* an integer id, as digits */
	int		 id_ok;
	long long	 seq;
	int		 seq_ok;
	const char	*wc, *clock;
	size_t		 wcn, clockn;
	int		 period, home_score, away_score;
};

/* A member's value, [v, ve) of the text; v is NULL when it is absent. */
struct tok {
	const char	*v, *ve;
};

/* A member name to look for; its place in the table is its slot. */
struct key {
	const char	*name;
	size_t		 len;		/* strlen(name), under 64 */
};

#define KEY(s)	{ (s), sizeof(s) - 1 }

/*
 * One walk of the object [v, ve): the value of the member keys[i] into
 * f[i] for each i < n ({NULL, NULL} when absent), other members skipped;
 * *end (if not NULL) at the closing '}'. 0, or BAIL when the object is
 * malformed, a key has an escape or a key of the table comes twice
 * (jansson keeps the last).
 */
static int
get_members(const char *v, const char *ve, const struct key *keys, size_t n,
    struct tok *f, const char **end)
{
	struct iter it;
	const char *k, *a, *b;
	uint64_t lens = 0;
	size_t i, kn;
	int rc;

	for (i = 0; i < n; i++) {
		f[i].v = f[i].ve = NULL;
		lens |= (uint64_t)1 << keys[i].len;
	}
	if (iter_begin(&it, v, ve, '{') == -1)
		return BAIL;
	while ((rc = iter_next(&it, &k, &kn, &a, &b)) == 1) {
		if (memchr(k, '\\', kn) != NULL)
			return BAIL;
		/* Most keys are not wanted; their length alone says so. */
		if (kn >= 64 || (lens >> kn & 1) == 0)
			continue;
		for (i = 0; i < n; i++)
			if (keys[i].len == kn &&
			    memcmp(keys[i].name, k, kn) == 0)
				break;
		if (i == n)
			continue;
		if (f[i].v != NULL)
			return BAIL;	/* a duplicate key */
		f[i].v = a;
		f[i].ve = b;
	}
	if (rc != 0)
		return BAIL;
	if (end != NULL)
		*end = it.s.p;
	return 0;
}

/* The member key of the object [v, ve) into *f: 0 (absent too) or BAIL. */
static int
sub_member(const char *v, const char *ve, const struct key *key,
    struct tok *f)
{
	f->v = f->ve = NULL;
	if (v >= ve || *v != '{')
		return 0;		/* json_path: not an object, absent */
	return get_members(v, ve, key, 1, f, NULL);
}

/* A play's members; "id" first, all that find_play needs. */
enum { PL_ID, PL_SEQ, PL_WC, PL_CLOCK, PL_PERIOD, PL_HS, PL_AS, PL_N };
static const struct key play_keys[PL_N] = {
	[PL_ID] = KEY("id"), [PL_SEQ] = KEY("sequenceNumber"),
	[PL_WC] = KEY("wallclock"), [PL_CLOCK] = KEY("clock"),
	[PL_PERIOD] = KEY("period"), [PL_HS] = KEY("homeScore"),
	[PL_AS] = KEY("awayScore")
};
static const struct key clock_key[] = { KEY("displayValue") };
static const struct key period_key[] = { KEY("number") };

/* Reads a play; only_id stops at what find_play needs. 0 or BAIL. */
static int
scan_play(const char *v, const char *ve, int only_id, struct tplay *t)
{
	struct tok f[PL_N], sub;
	const struct tok *id = &f[PL_ID];
	int rc;

	memset(t, 0, sizeof(*t));
	if (get_members(v, ve, play_keys, only_id ? 1 : PL_N, f,
	    NULL) == BAIL)
		return BAIL;
	if (id->v != NULL) {
		if ((rc = tok_str(id->v, id->ve, &t->id, &t->idn)) == BAIL)
			return BAIL;
		if (rc == 1)
			t->id_ok = 1;
		else {
			double d;
			int integer;

			if ((rc = tok_num(id->v, id->ve, &d, &integer)) == BAIL)
				return BAIL;
			if (rc == 1 && (!integer || d < 0))
				return BAIL;
			if (rc == 1) {
				snprintf(t->idnum, sizeof(t->idnum), "%lld",
				    (long long)d);
				t->id = t->idnum;
				t->idn = strlen(t->idnum);
				t->id_ok = 1;
			}
		}
	}
	if (only_id)
		return 0;
	if (f[PL_SEQ].v != NULL) {
		if ((rc = tok_int(f[PL_SEQ].v, f[PL_SEQ].ve,
		    &t->seq)) == BAIL)
			return BAIL;
		t->seq_ok = rc == 1;
	}
	if (f[PL_WC].v != NULL && tok_str(f[PL_WC].v, f[PL_WC].ve, &t->wc,
	    &t->wcn) == BAIL)
		return BAIL;
	if (f[PL_CLOCK].v != NULL) {
		if (sub_member(f[PL_CLOCK].v, f[PL_CLOCK].ve, clock_key,
		    &sub) == BAIL)
			return BAIL;
		if (sub.v != NULL && tok_str(sub.v, sub.ve, &t->clock,
		    &t->clockn) == BAIL)
			return BAIL;
	}
	if (f[PL_PERIOD].v != NULL) {
		if (sub_member(f[PL_PERIOD].v, f[PL_PERIOD].ve, period_key,
		    &sub) == BAIL ||
		    tok_intval(sub.v, sub.ve, &t->period) == BAIL)
			return BAIL;
	}
	if (tok_intval(f[PL_HS].v, f[PL_HS].ve, &t->home_score) == BAIL ||
	    tok_intval(f[PL_AS].v, f[PL_AS].ve, &t->away_score) == BAIL)
		return BAIL;
	return 0;
}

/* A probability field the way parse_point reads it. */
static int
wp_prob(const char *v, const char *ve, double *out)
{
	int integer, rc;

	if (v == NULL)
		return 0;
	if ((rc = tok_num(v, ve, out, &integer)) != 1)
		return rc;
	return 1;
}

struct plays_text {
	const char	*v, *ve;	/* the array */
	size_t		 n;		/* elements */
	size_t		 hint;		/* where find_play starts */
	const char	*cur;		/* just before element cur_idx */
	size_t		 cur_idx;
	size_t		 budget;	/* element visits left */
};

/* Element idx of the plays array into [a, b); 0 or BAIL. */
static int
play_at(struct plays_text *pl, size_t idx, const char **a, const char **b)
{
	struct iter it;
	size_t j;

	if (pl->cur == NULL || pl->cur_idx > idx) {
		/* Walk from the start: the first call, or a wrap. */
		if (iter_begin(&it, pl->v, pl->ve, '[') == -1)
			return BAIL;
		j = 0;
	} else {
		it.s.p = pl->cur;
		it.s.end = pl->ve;
		it.first = pl->cur_idx == 0;
		it.close = ']';
		j = pl->cur_idx;
	}
	for (; j <= idx; j++) {
		if (pl->budget-- == 0 ||
		    iter_next(&it, NULL, NULL, a, b) != 1)
			return BAIL;
	}
	pl->cur = *b;
	pl->cur_idx = idx + 1;
	return 0;
}

/* find_play over text: the same order, the same hint. 1, 0, BAIL. */
static int
find_play_text(struct plays_text *pl, const char *play_id, struct tplay *t)
{
	const char *a, *b;
	size_t k, idx;

	for (k = 0; k < pl->n; k++) {
		idx = (pl->hint + k) % pl->n;
		if (play_at(pl, idx, &a, &b) == BAIL ||
		    scan_play(a, b, 1, t) == BAIL)
			return BAIL;
		if (!t->id_ok || strlen(play_id) != t->idn ||
		    memcmp(t->id, play_id, t->idn) != 0)
			continue;
		pl->hint = idx + 1;
		return scan_play(a, b, 0, t) == BAIL ? BAIL : 1;
	}
	return 0;
}

/* A winprobability entry's members. */
enum { WP_ID, WP_HOME, WP_TIE, WP_AWAY, WP_N };
static const struct key wp_keys[WP_N] = {
	[WP_ID] = KEY("playId"), [WP_HOME] = KEY("homeWinPercentage"),
	[WP_TIE] = KEY("tiePercentage"), [WP_AWAY] = KEY("awayWinPercentage")
};

/* parse_point over text; 0 (pt filled), -1 (skip), BAIL. */
static int
parse_point_text(const char *v, const char *ve, struct plays_text *pl,
    struct espn_wp *pt)
{
	struct tok f[WP_N];
	const struct tok *id = &f[WP_ID];
	struct tplay t;
	const char *s;
	double home, tie = 0.0, away;
	size_t n;
	int rc, integer;

	memset(pt, 0, sizeof(*pt));
	if (get_members(v, ve, wp_keys, WP_N, f, NULL) == BAIL)
		return BAIL;
	if (id->v == NULL)
		return -1;
	if ((rc = tok_str(id->v, id->ve, &s, &n)) == BAIL)
		return BAIL;
	if (rc == 1) {
		if (n == 0 || n >= sizeof(pt->play_id))
			return -1;
		copy_tok(pt->play_id, sizeof(pt->play_id), s, n);
	} else {
		if ((rc = tok_num(id->v, id->ve, &home, &integer)) == BAIL)
			return BAIL;
		if (rc == 0)
			return -1;
		if (!integer)
			return BAIL;
		if (home < 0)
			return -1;
		snprintf(pt->play_id, sizeof(pt->play_id), "%lld",
		    (long long)home);
	}
	if ((rc = wp_prob(f[WP_HOME].v, f[WP_HOME].ve, &home)) == BAIL)
		return BAIL;
	if (rc == 0 || !(home >= 0.0 && home <= 1.0))
		return -1;
	if (f[WP_TIE].v != NULL) {
		if ((rc = wp_prob(f[WP_TIE].v, f[WP_TIE].ve, &tie)) == BAIL)
			return BAIL;
		if (rc == 0 || !(tie >= 0.0 && tie <= 1.0))
			return -1;
	}
	if ((rc = wp_prob(f[WP_AWAY].v, f[WP_AWAY].ve, &away)) == BAIL)
		return BAIL;
	if (rc == 0 || !(away >= 0.0 && away <= 1.0)) {
		away = 1.0 - home - tie;
		away = round(away * 1e9) / 1e9;
		if (away < 0.0)
			away = 0.0;
	}
	if ((rc = find_play_text(pl, pt->play_id, &t)) == BAIL)
		return BAIL;
	if (rc == 0 || !t.seq_ok || t.wc == NULL)
		return -1;
	{
		char wc[64];

		if (t.wcn >= sizeof(wc))
			return BAIL;
		copy_tok(wc, sizeof(wc), t.wc, t.wcn);
		if (time_parse_iso8601(wc, &pt->ts) == -1)
			return -1;
	}
	pt->seq = t.seq;
	pt->home = home;
	pt->tie = tie;
	pt->away = away;
	pt->period = t.period;
	if (t.clock != NULL)
		copy_tok(pt->clock, sizeof(pt->clock), t.clock, t.clockn);
	pt->home_score = t.home_score;
	pt->away_score = t.away_score;
	return 0;
}

/* The summary's top-level members. */
enum { TOP_HEADER, TOP_WP, TOP_PLAYS, TOP_N };
static const struct key top_keys[TOP_N] = {
	[TOP_HEADER] = KEY("header"), [TOP_WP] = KEY("winprobability"),
	[TOP_PLAYS] = KEY("plays")
};

int
espn_summary_parse_text(const char *body, size_t len, struct espn_game *game,
    struct espn_wp *pts, size_t n, size_t *skipped, struct errbuf *err)
{
	struct iter it;
	struct plays_text pl;
	struct espn_game g;
	struct espn_wp pt;
	struct tplay t, best;
	struct slim hs, top = { body, body + len, NULL, 0, 0 };
	struct tok f[TOP_N];
	const struct tok *hd = &f[TOP_HEADER], *wp = &f[TOP_WP];
	const struct tok *pp = &f[TOP_PLAYS];
	const char *a, *b;
	char hbuf[16384];
	json_t *header;
	size_t count = 0, skip = 0, nwp = 0;
	int rc, have_best = 0;

	/* The top level: header, winprobability, plays, each once. */
	skip_ws(&top);
	if (get_members(top.p, top.end, top_keys, TOP_N, f, &top.p) == BAIL)
		return BAIL;
	top.p++;
	skip_ws(&top);
	if (top.p != top.end || hd->v == NULL ||
	    (wp->v != NULL && *wp->v != '[') ||
	    (pp->v != NULL && *pp->v != '['))
		return BAIL;

	/* The header is small once slimmed: the json_t code reads it. */
	hs.p = hd->v;
	hs.end = hd->ve;
	hs.out = hbuf;
	hs.n = 0;
	hs.cap = sizeof(hbuf);
	if (slim_value(&hs, k_header, 1) == -1)
		return BAIL;
	if ((header = json_loadb(hbuf, hs.n, 0, NULL)) == NULL)
		return BAIL;
	rc = parse_header(header, &g, err);
	json_decref(header);
	if (rc == -1)
		return BAIL;		/* let the json_t path say it */

	memset(&pl, 0, sizeof(pl));
	if (pp->v != NULL) {
		pl.v = pp->v;
		pl.ve = pp->ve;
		if (iter_begin(&it, pp->v, pp->ve, '[') == -1)
			return BAIL;
		/* Count the plays; the header may need the last one. */
		while ((rc = iter_next(&it, NULL, NULL, &a, &b)) == 1) {
			if (*a != '{')
				return BAIL;
			pl.n++;
			if (g.period != 0 && g.clock[0] != '\0')
				continue;
			if (scan_play(a, b, 0, &t) == BAIL)
				return BAIL;
			if (t.seq_ok && (!have_best || t.seq > best.seq)) {
				best = t;
				have_best = 1;
			}
		}
		if (rc != 0)
			return BAIL;
		if (have_best && g.period == 0)
			g.period = best.period;
		if (have_best && g.clock[0] == '\0' && best.clock != NULL)
			copy_tok(g.clock, sizeof(g.clock), best.clock,
			    best.clockn);
	}
	if (wp->v != NULL) {
		if (iter_begin(&it, wp->v, wp->ve, '[') == -1)
			return BAIL;
		while ((rc = iter_next(&it, NULL, NULL, &a, &b)) == 1) {
			if (*a != '{')
				return BAIL;
			nwp++;
		}
		if (rc != 0)
			return BAIL;
		pl.budget = 4 * (nwp + pl.n) + 64;
		iter_begin(&it, wp->v, wp->ve, '[');
		while (iter_next(&it, NULL, NULL, &a, &b) == 1) {
			if ((rc = parse_point_text(a, b, &pl, &pt)) == BAIL)
				return BAIL;
			if (rc == -1 || insert_point(pts, &count, n, &pt) == -1)
				skip++;
		}
	}
	if (game != NULL)
		*game = g;
	if (skipped != NULL)
		*skipped = skip;
	return (int)count;
}
