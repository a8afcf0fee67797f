/*
 * espn_slim: a byte-level skim of an ESPN summary down to what
 * espn_summary_parse reads (espn.h). Skims, never judges, what it drops;
 * never allocates. Pure.
 */
#include <string.h>

#include "espn.h"
#include "espn_int.h"
#include "jscan.h"

struct slim {
	struct jscan	 c;		/* the input */
	char		*out;
	size_t		 n, cap;
};

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
	struct jscan str;
	const char *p = from, *run;

	while (p < to) {
		if (*p == '"') {
			str.p = p;
			str.end = to;
			if (jscan_skip_string(&str) == -1 ||
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

/* Writes the '[' or '{' at the cursor and steps past it. 0 or -1. */
static int
slim_open(struct slim *s)
{
	if (put(s, s->c.p, 1) == -1)
		return -1;
	s->c.p++;
	return 0;
}

/*
 * To element or member *i of an array or object closed by close, past
 * its comma (*i counts them): 0, or 1 past the close (written out), or
 * -1 when malformed or out of room.
 */
static int
slim_next(struct slim *s, char close, size_t *i)
{
	jscan_ws(&s->c);
	if (s->c.p >= s->c.end)
		return -1;
	if (*s->c.p == close) {
		s->c.p++;
		return put(s, &close, 1) == -1 ? -1 : 1;
	}
	if ((*i)++ > 0) {
		if (*s->c.p != ',')
			return -1;
		s->c.p++;
		jscan_ws(&s->c);
	}
	return 0;
}

static int
slim_array(struct slim *s, const struct keep *spec, int depth)
{
	size_t i = 0;
	int rc;

	if (slim_open(s) == -1)
		return -1;
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

	if (slim_open(s) == -1)
		return -1;
	for (;;) {
		if ((rc = slim_next(s, '}', &i)) != 0)
			return rc == 1 ? 0 : -1;
		if (s->c.p >= s->c.end || *s->c.p != '"')
			return -1;
		k = s->c.p;
		if (jscan_skip_string(&s->c) == -1)
			return -1;
		klen = (size_t)(s->c.p - k);
		jscan_ws(&s->c);
		if (s->c.p >= s->c.end || *s->c.p != ':')
			return -1;
		s->c.p++;
		sub = lookup(k + 1, klen - 2, spec, &found);
		if (!found) {
			if (jscan_skip_value(&s->c) == -1)
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

	jscan_ws(&s->c);
	if (s->c.p >= s->c.end || depth > 64)
		return -1;
	if (spec != NULL && *s->c.p == '{')
		return slim_object(s, spec, depth);
	if (spec != NULL && *s->c.p == '[')
		return slim_array(s, spec, depth);
	v = s->c.p;
	if (jscan_skip_value(&s->c) == -1)
		return -1;
	return put_min(s, v, s->c.p);
}

long
espn_summary_slim(const char *in, size_t len, char *out, size_t cap)
{
	struct slim s = { { in, in + len }, out, 0, cap };

	if (cap == 0)
		return -1;
	jscan_ws(&s.c);
	if (s.c.p >= s.c.end || *s.c.p != '{' ||
	    slim_object(&s, k_summary, 0) == -1)
		return -1;
	jscan_ws(&s.c);
	if (s.c.p != s.c.end)
		return -1;		/* trailing bytes: let jansson say */
	out[s.n] = '\0';
	return (long)s.n;
}

long
espn_slim_header(const char *v, const char *ve, char *out, size_t cap)
{
	struct slim s = { { v, ve }, out, 0, cap };

	if (slim_value(&s, k_header, 1) == -1)
		return -1;
	return (long)s.n;
}
