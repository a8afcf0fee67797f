/*
 * fields: a strict scanner for flat stream lines and its json_t twin.
 * Must never accept a line jansson rejects nor read a value differently;
 * when in doubt it returns 0 and the caller parses with jansson.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fields.h"

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
	[K_PRICE] = { "price", 5 },
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

static const double pow10tab[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7,
    1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
    1e20, 1e21, 1e22 };

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

/* A string body after '"': ASCII, no escapes, no control characters. */
static const char *
scan_str(const char *p, const char *end, const char **s, size_t *n)
{
	const char *q = p;

	while (q < end && *q != '"') {
		unsigned char c = (unsigned char)*q;

		if (c < 0x20 || c >= 0x80 || c == '\\')
			return NULL;
		q++;
	}
	if (q == end)
		return NULL;
	*s = p;
	*n = (size_t)(q - p);
	return q + 1;
}

/*
 * A JSON number. Integers up to 18 digits become F_INT; reals with at
 * most 15 digits and no exponent are exact in one division (both
 * operands exact, one rounding: what strtod returns too); any other
 * form goes through strtod.
 */
static const char *
scan_num(const char *p, const char *end, struct fval *v)
{
	const char *start = p, *q;
	int neg = 0, digits = 0, frac = 0, real = 0;
	uint64_t mant = 0;
	char tmp[64];

	if (p < end && *p == '-') {
		neg = 1;
		p++;
	}
	if (p == end || !is_digit(*p))
		return NULL;
	if (*p == '0') {
		p++;
		digits = 1;
		if (p < end && is_digit(*p))
			return NULL;	/* leading zero */
	} else
		for (; p < end && is_digit(*p); p++, digits++)
			if (digits < 19)
				mant = mant * 10 + (uint64_t)(*p - '0');
	if (p < end && *p == '.') {
		real = 1;
		p++;
		if (p == end || !is_digit(*p))
			return NULL;
		for (; p < end && is_digit(*p); p++, frac++, digits++)
			if (digits < 19)
				mant = mant * 10 + (uint64_t)(*p - '0');
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		real = 2;
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if (p == end || !is_digit(*p))
			return NULL;
		while (p < end && is_digit(*p))
			p++;
	}
	if (!real) {
		if (digits > 18)
			return NULL;	/* jansson decides about overflow */
		v->kind = F_INT;
		v->i = neg ? -(int64_t)mant : (int64_t)mant;
		v->d = (double)v->i;
		return p;
	}
	v->kind = F_REAL;
	if (real == 1 && digits <= 15 && frac <= 22) {
		v->d = (double)mant / pow10tab[frac];
		if (neg)
			v->d = -v->d;
		return p;
	}
	if ((size_t)(p - start) >= sizeof(tmp))
		return NULL;
	memcpy(tmp, start, (size_t)(p - start));
	tmp[p - start] = '\0';
	v->d = strtod(tmp, NULL);
	if (!isfinite(v->d))
		return NULL;	/* jansson rejects overflow */
	(void)q;
	return p;
}

int
fields_scan(const char *line, size_t len, struct fields *out)
{
	const char *p = line, *end = line + len, *ks;
	struct fval v, *dst;
	size_t kn;
	int k;

	memset(out, 0, sizeof(*out));
	while (p < end && is_ws(*p))
		p++;
	if (p == end || *p++ != '{')
		return 0;
	while (p < end && is_ws(*p))
		p++;
	if (p < end && *p == '}') {
		p++;
		goto tail;
	}
	for (;;) {
		if (p == end || *p++ != '"')
			return 0;
		if ((p = scan_str(p, end, &ks, &kn)) == NULL)
			return 0;
		while (p < end && is_ws(*p))
			p++;
		if (p == end || *p++ != ':')
			return 0;
		while (p < end && is_ws(*p))
			p++;
		if (p == end)
			return 0;
		memset(&v, 0, sizeof(v));
		if (*p == '"') {
			if ((p = scan_str(p + 1, end, &v.s, &v.n)) == NULL)
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
		while (p < end && is_ws(*p))
			p++;
		if (p == end)
			return 0;
		if (*p == ',') {
			p++;
			while (p < end && is_ws(*p))
				p++;
			continue;
		}
		if (*p++ != '}')
			return 0;
		break;
	}
tail:
	while (p < end && is_ws(*p))
		p++;
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
		else
			v->kind = F_OTHER;
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
