/*
 * espn_text: espn_summary_parse_text (espn.h), the summary read in place
 * from its bytes with common/jscan.c. Bails out (ESPN_TEXT_FALLBACK) on
 * anything out of the ordinary rather than ever disagree with espn.c.
 * Pure, no allocation.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "digits.h"
#include "espn.h"
#include "espn_int.h"
#include "jscan.h"
#include "strcopy.h"
#include "timeutil.h"

#define BAIL	(-2)

/* A plain string: 1 with s/n set, 0 when not a string, BAIL if unusual. */
static int
tok_str(const char *v, const char *ve, const char **s, size_t *n)
{
	if (v >= ve || *v != '"')
		return 0;
	if (jscan_plain_str(v + 1, ve, s, n) != ve)
		return BAIL;
	return 1;
}

/* A JSON number token, checked and converted: 1, 0 if another type. */
static int
tok_num(const char *v, const char *ve, double *out, int *integer)
{
	struct jscan_num num;

	if (v >= ve || *v == '"')
		return BAIL;		/* a number as a string: rare */
	if (*v != '-' && (*v < '0' || *v > '9'))
		return 0;		/* null, true, an object ... */
	if (jscan_number(v, ve, &num) != ve)
		return BAIL;
	*integer = num.kind == JSCAN_INT;
	/* Integers past 15 digits: the json_t path reads them otherwise. */
	if (*integer && num.digits > 15)
		return BAIL;
	*out = num.d;
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
		if (rc == BAIL || n == 0 || n > 15 || !digits_only(s, n))
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
	struct jscan_iter it;
	const char *k, *a, *b;
	uint64_t lens = 0;
	size_t i, kn;
	int rc;

	for (i = 0; i < n; i++) {
		f[i].v = f[i].ve = NULL;
		lens |= (uint64_t)1 << keys[i].len;
	}
	if (jscan_iter_begin(&it, v, ve, '{') == -1)
		return BAIL;
	while ((rc = jscan_iter_next(&it, &k, &kn, &a, &b)) == 1) {
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
		*end = it.c.p;
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
	struct jscan_iter it;
	size_t j;

	if (pl->cur == NULL || pl->cur_idx > idx) {
		/* Walk from the start: the first call, or a wrap. */
		if (jscan_iter_begin(&it, pl->v, pl->ve, '[') == -1)
			return BAIL;
		j = 0;
	} else {
		it.c.p = pl->cur;
		it.c.end = pl->ve;
		it.first = pl->cur_idx == 0;
		it.close = ']';
		j = pl->cur_idx;
	}
	for (; j <= idx; j++) {
		if (pl->budget-- == 0 ||
		    jscan_iter_next(&it, NULL, NULL, a, b) != 1)
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
		strcopy_n(pt->play_id, sizeof(pt->play_id), s, n);
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
		strcopy_n(wc, sizeof(wc), t.wc, t.wcn);
		if (time_parse_iso8601(wc, &pt->ts) == -1)
			return -1;
	}
	pt->seq = t.seq;
	pt->home = home;
	pt->tie = tie;
	pt->away = away;
	pt->period = t.period;
	if (t.clock != NULL)
		strcopy_n(pt->clock, sizeof(pt->clock), t.clock, t.clockn);
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
	struct jscan_iter it;
	struct plays_text pl;
	struct espn_game g;
	struct espn_wp pt;
	struct tplay t, best;
	struct jscan top = { body, body + len };
	long hn;
	struct tok f[TOP_N];
	const struct tok *hd = &f[TOP_HEADER], *wp = &f[TOP_WP];
	const struct tok *pp = &f[TOP_PLAYS];
	const char *a, *b;
	char hbuf[16384];
	json_t *header;
	size_t count = 0, skip = 0, nwp = 0;
	int rc, have_best = 0;

	/* The top level: header, winprobability, plays, each once. */
	jscan_ws(&top);
	if (get_members(top.p, top.end, top_keys, TOP_N, f, &top.p) == BAIL)
		return BAIL;
	top.p++;
	jscan_ws(&top);
	if (top.p != top.end || hd->v == NULL ||
	    (wp->v != NULL && *wp->v != '[') ||
	    (pp->v != NULL && *pp->v != '['))
		return BAIL;

	/* The header is small once slimmed: the json_t code reads it. */
	if ((hn = espn_slim_header(hd->v, hd->ve, hbuf, sizeof(hbuf))) < 0)
		return BAIL;
	if ((header = json_loadb(hbuf, (size_t)hn, 0, NULL)) == NULL)
		return BAIL;
	rc = espn_parse_header(header, &g, err);
	json_decref(header);
	if (rc == -1)
		return BAIL;		/* let the json_t path say it */

	memset(&pl, 0, sizeof(pl));
	if (pp->v != NULL) {
		pl.v = pp->v;
		pl.ve = pp->ve;
		if (jscan_iter_begin(&it, pp->v, pp->ve, '[') == -1)
			return BAIL;
		/* Count the plays; the header may need the last one. */
		while ((rc = jscan_iter_next(&it, NULL, NULL, &a, &b)) == 1) {
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
			strcopy_n(g.clock, sizeof(g.clock), best.clock,
			    best.clockn);
	}
	if (wp->v != NULL) {
		if (jscan_iter_begin(&it, wp->v, wp->ve, '[') == -1)
			return BAIL;
		while ((rc = jscan_iter_next(&it, NULL, NULL, &a, &b)) == 1) {
			if (*a != '{')
				return BAIL;
			nwp++;
		}
		if (rc != 0)
			return BAIL;
		pl.budget = 4 * (nwp + pl.n) + 64;
		jscan_iter_begin(&it, wp->v, wp->ve, '[');
		while (jscan_iter_next(&it, NULL, NULL, &a, &b) == 1) {
			if ((rc = parse_point_text(a, b, &pl, &pt)) == BAIL)
				return BAIL;
			if (rc == -1 || espn_insert_point(pts, &count, n, &pt) == -1)
				skip++;
		}
	}
	if (game != NULL)
		*game = g;
	if (skipped != NULL)
		*skipped = skip;
	return (int)count;
}

