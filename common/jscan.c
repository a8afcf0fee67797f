/*
 * jscan: the skims and the strict tokens of jscan.h. The strict calls
 * must never accept what jansson rejects nor read a value otherwise.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jscan.h"

void
jscan_ws(struct jscan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' ||
	    *s->p == '\n' || *s->p == '\r'))
		s->p++;
}

/* Past a string starting at s->p ('"'); 0 or -1 if unterminated. */
int
jscan_skip_string(struct jscan *s)
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
int
jscan_skip_value(struct jscan *s)
{
	int depth = 0;
	char c;

	jscan_ws(s);
	if (s->p >= s->end)
		return -1;
	if (*s->p == '"')
		return jscan_skip_string(s);
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
			if (jscan_skip_string(s) == -1)
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

int
jscan_iter_begin(struct jscan_iter *it, const char *v, const char *ve, char open)
{
	if (v >= ve || *v != open)
		return -1;
	it->c.p = v + 1;
	it->c.end = ve;
	it->first = 1;
	it->close = open == '{' ? '}' : ']';
	return 0;
}

/* Next member (k, kn set) or element: 1, 0 at the end, -1 if malformed. */
int
jscan_iter_next(struct jscan_iter *it, const char **k, size_t *kn, const char **v,
    const char **ve)
{
	struct jscan *s = &it->c;

	jscan_ws(s);
	if (s->p >= s->end)
		return -1;
	if (*s->p == it->close)
		return 0;
	if (!it->first) {
		if (*s->p != ',')
			return -1;
		s->p++;
		jscan_ws(s);
	}
	it->first = 0;
	if (k != NULL) {
		if (s->p >= s->end || *s->p != '"')
			return -1;
		*k = s->p + 1;
		if (jscan_skip_string(s) == -1)
			return -1;
		*kn = (size_t)(s->p - *k) - 1;
		jscan_ws(s);
		if (s->p >= s->end || *s->p != ':')
			return -1;
		s->p++;
		jscan_ws(s);
	}
	*v = s->p;
	if (jscan_skip_value(s) == -1)
		return -1;
	*ve = s->p;
	return 1;
}

static const double pow10tab[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7,
    1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
    1e20, 1e21, 1e22 };

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* ASCII, no escapes, no control characters: read as is. */
const char *
jscan_plain_str(const char *p, const char *end, const char **s, size_t *n)
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
 * A JSON number. Integers up to 18 digits become JSCAN_INT; reals with at
 * most 15 digits and no exponent are exact in one division (both
 * operands exact, one rounding: what strtod returns too); any other
 * form goes through strtod.
 */
const char *
jscan_number(const char *p, const char *end, struct jscan_num *v)
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
		v->kind = JSCAN_INT;
		v->digits = (unsigned)digits;
		v->i = neg ? -(int64_t)mant : (int64_t)mant;
		v->d = (double)v->i;
		return p;
	}
	v->kind = JSCAN_REAL;
	v->digits = (unsigned)digits > 9999 ? 9999 : (unsigned)digits;
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
