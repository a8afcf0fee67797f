/*
 * jsonw: hand-written JSON values into a struct buf: strings, integers,
 * six-decimal numbers. Pure; never allocates but through buf.
 */
#include <math.h>
#include <string.h>

#include "jsonw.h"

int
jsonw_str(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s, *run;
	char esc[6];

	buf_add(b, "\"", 1);
	while (*u) {
		/* Copy the plain bytes in one go, then one escape. */
		for (run = u; *u && *u != '"' && *u != '\\' && *u >= 0x20; u++)
			;
		if (u > run)
			buf_add(b, run, (size_t)(u - run));
		if (*u == '\0')
			break;
		esc[0] = '\\';
		if (*u == '"' || *u == '\\') {
			esc[1] = (char)*u;
			buf_add(b, esc, 2);
		} else {
			esc[1] = 'u';
			esc[2] = '0';
			esc[3] = '0';
			esc[4] = hex[*u >> 4];
			esc[5] = hex[*u & 15];
			buf_add(b, esc, 6);
		}
		u++;
	}
	return buf_add(b, "\"", 1);
}

/* Decimal digits of v into out (at least 20 bytes); returns the count. */
static size_t
u64_digits(uint64_t v, char *out)
{
	char rev[20];
	size_t n = 0, i;

	do {
		rev[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	for (i = 0; i < n; i++)
		out[i] = rev[n - 1 - i];
	return n;
}

int
jsonw_i64(struct buf *b, int64_t v)
{
	char tmp[24];
	size_t n = 0;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

	if (v < 0)
		tmp[n++] = '-';
	n += u64_digits(u, tmp + n);
	return buf_add(b, tmp, n);
}

int
jsonw_fixed6(struct buf *b, double v)
{
	char out[48];
	size_t n = 0;
	uint64_t m, ip, fp;
	int i, digits = 6;

	/* Past 2^63 / 1e6 the integer part no longer fits: not ours. */
	if (!isfinite(v) || fabs(v) >= 9.2e12)
		return buf_add(b, "null", 4);
	m = (uint64_t)floor(fabs(v) * 1e6 + 0.5);
	if (m != 0 && v < 0)
		out[n++] = '-';
	ip = m / 1000000;
	fp = m % 1000000;
	n += u64_digits(ip, out + n);
	if (fp != 0) {
		while (fp % 10 == 0) {
			fp /= 10;
			digits--;
		}
		out[n++] = '.';
		for (i = digits - 1; i >= 0; i--) {
			out[n + (size_t)i] = (char)('0' + fp % 10);
			fp /= 10;
		}
		n += (size_t)digits;
	}
	return buf_add(b, out, n);
}
