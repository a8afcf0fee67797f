/*
 * fields: a strict scanner for flat stream lines (on common/jscan.c's
 * strict tokens) and its json_t twin.
 * Must never accept a line jansson rejects nor read a value differently;
 * when in doubt it returns 0 and the caller parses with jansson.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fields.h"
#include "jscan.h"

static const struct {
	const char	*name;
	unsigned char	 len;
} keys[K_N] = {
	[K_TYPE] = { "type", 4 },		[K_SRC] = { "src", 3 },
	[K_GAME_ID] = { "game_id", 7 },		[K_PLAY_ID] = { "play_id", 7 },
	[K_TS] = { "ts", 2 },			[K_RECV_TS] = { "recv_ts", 7 },
	[K_SEQ] = { "seq", 3 },			[K_HOME] = { "home", 4 },
	[K_PERIOD] = { "period", 6 },		[K_CLOCK] = { "clock", 5 },
	[K_HOME_SCORE] = { "home_score", 10 },
	[K_AWAY_SCORE] = { "away_score", 10 },
	[K_TICKER] = { "ticker", 6 },		[K_BID] = { "bid", 3 },
	[K_ASK] = { "ask", 3 },			[K_LAST] = { "last", 4 },
	[K_PRICE] = { "price", 5 },		[K_BACKFILL] = { "backfill", 8 },
};

static int
key_index(const char *s, size_t n)
{
	int k;

	/* Most keys are unknown ones (bid_size, volume ...): length first. */
	if (n < 2 || n > 10)
		return -1;
	for (k = 0; k < K_N; k++)
		if (keys[k].len == n && keys[k].name[0] == s[0] &&
		    memcmp(keys[k].name, s, n) == 0)
			return k;
	return -1;
}

static int
is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* A number by jscan into v. */
static const char *
scan_num(const char *p, const char *end, struct fval *v)
{
	struct jscan_num n;

	if ((p = jscan_number(p, end, &n)) == NULL)
		return NULL;
	v->kind = n.kind == JSCAN_INT ? F_INT : F_REAL;
	v->i = n.i;
	v->d = n.d;
	return p;
}

static const char *
skip_ws(const char *p, const char *end)
{
	while (p < end && is_ws(*p))
		p++;
	return p;
}

/* Past c and the white space around it, or NULL when c is not next. */
static const char *
punct(const char *p, const char *end, char c)
{
	p = skip_ws(p, end);
	if (p == end || *p++ != c)
		return NULL;
	return skip_ws(p, end);
}

int
fields_scan(const char *line, size_t len, struct fields *out)
{
	const char *p = line, *end = line + len, *ks;
	struct fval v, *dst;
	size_t kn;
	int k;

	memset(out, 0, sizeof(*out));
	if ((p = punct(p, end, '{')) == NULL)
		return 0;
	if (p < end && *p == '}') {
		p++;
		goto tail;
	}
	for (;;) {
		if (p == end || *p++ != '"')
			return 0;
		if ((p = jscan_plain_str(p, end, &ks, &kn)) == NULL)
			return 0;
		if ((p = punct(p, end, ':')) == NULL)
			return 0;
		if (p == end)
			return 0;
		memset(&v, 0, sizeof(v));
		if (*p == '"') {
			if ((p = jscan_plain_str(p + 1, end, &v.s, &v.n)) == NULL)
				return 0;
			v.kind = F_STR;
		} else if (*p == '-' || is_digit(*p)) {
			if ((p = scan_num(p, end, &v)) == NULL)
				return 0;
		} else if (end - p >= 4 && memcmp(p, "null", 4) == 0) {
			v.kind = F_NULL;
			p += 4;
		} else if (end - p >= 4 && memcmp(p, "true", 4) == 0) {
			v.kind = F_OTHER;
			v.i = 1;
			p += 4;
		} else if (end - p >= 5 && memcmp(p, "false", 5) == 0) {
			v.kind = F_OTHER;
			p += 5;
		} else
			return 0;	/* objects and arrays: jansson */
		if ((k = key_index(ks, kn)) >= 0) {
			dst = &out->f[k];
			*dst = v;
		}
		p = skip_ws(p, end);
		if (p == end)
			return 0;
		if (*p == ',') {
			p++;
			p = skip_ws(p, end);
			continue;
		}
		if (*p++ != '}')
			return 0;
		break;
	}
tail:
	p = skip_ws(p, end);
	return p == end;
}

void
fields_from_json(const json_t *obj, struct fields *out)
{
	struct fval *v;
	json_t *j;
	int k;

	memset(out, 0, sizeof(*out));
	for (k = 0; k < K_N; k++) {
		if ((j = json_object_get(obj, keys[k].name)) == NULL)
			continue;
		v = &out->f[k];
		if (json_is_integer(j)) {
			v->kind = F_INT;
			v->i = (int64_t)json_integer_value(j);
			v->d = (double)v->i;
		} else if (json_is_real(j)) {
			v->kind = F_REAL;
			v->d = json_real_value(j);
		} else if (json_is_string(j)) {
			v->kind = F_STR;
			v->s = json_string_value(j);
			/* Up to an embedded NUL, as C string handling sees it. */
			v->n = strlen(v->s);
		} else if (json_is_null(j))
			v->kind = F_NULL;
		else {
			v->kind = F_OTHER;
			v->i = json_is_true(j);
		}
	}
}

/* Scanned fields: an integer (also from an integral real). */
int
fields_i64(const struct fval *v, int64_t *out)
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
int
fields_prob(const struct fval *v, double *out)
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
int
fields_str(const struct fval *v, char *buf, size_t size)
{
	if (v->kind != F_STR || v->n == 0 || v->n >= size)
		return -1;
	memcpy(buf, v->s, v->n);
	buf[v->n] = '\0';
	return 0;
}
