/*
 * wscheck: handshake and close-code validity, pure (see wscheck.h).
 * Bounded by its inputs' lengths; never allocates.
 */
#include <string.h>

#include "digits.h"
#include "wscheck.h"

int
wscheck_version(const char *v)
{
	return v != NULL && strcmp(v, "13") == 0;
}

static int
b64val(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

int
wscheck_key(const char *k)
{
	int i, v;

	/* 16 bytes: 21 full characters, one holding 2 bits, then "==". */
	if (k == NULL || strlen(k) != 24 || k[22] != '=' || k[23] != '=')
		return 0;
	for (i = 0; i < 22; i++)
		if (b64val(k[i]) < 0)
			return 0;
	/* The last character's four low bits are padding: zero. */
	v = b64val(k[21]);
	return (v & 0x0f) == 0;
}

int
wscheck_close_code(unsigned code)
{
	return (code >= 1000 && code <= 1003) ||
	    (code >= 1007 && code <= 1014) ||
	    (code >= 3000 && code <= 4999);
}

/* One item of n bytes, spaces trimmed: digits only, at most 18. */
static int
number(const char *s, size_t n, const char **start, size_t *len)
{
	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n == 0 || n > 18 || !digits_only(s, n))
		return 0;
	/* "010" and "10" are the same length: compare without zeros. */
	while (n > 1 && *s == '0') {
		s++;
		n--;
	}
	*start = s;
	*len = n;
	return 1;
}

int
wscheck_content_length(const char *const *vals, size_t n)
{
	const char *first = NULL, *p, *end, *num;
	size_t flen = 0, len, i;

	for (i = 0; i < n; i++) {
		if (vals[i] == NULL)
			return 0;
		p = vals[i];
		for (;;) {
			end = strchr(p, ',');
			if (end == NULL)
				end = p + strlen(p);
			if (!number(p, (size_t)(end - p), &num, &len))
				return 0;
			if (first == NULL) {
				first = num;
				flen = len;
			} else if (len != flen || memcmp(num, first, len) != 0)
				return 0;
			if (*end == '\0')
				break;
			p = end + 1;
		}
	}
	return 1;
}

/* Header bytes once the second is known: 2, the length's 0/2/8, mask. */
static size_t
header_len(const unsigned char *h)
{
	unsigned len7 = h[1] & 0x7f;

	return 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) +
	    ((h[1] & 0x80) ? 4 : 0);
}

size_t
wscheck_rx(struct wscheck_rx *st, const unsigned char *p, size_t n)
{
	size_t i = 0, start = 0, k;
	int here = 0;	/* the header being read began in these bytes */
	uint64_t len;

	if (st->bad)
		return 0;
	while (i < n) {
		if (st->left > 0) {
			k = n - i < st->left ? n - i : (size_t)st->left;
			st->left -= k;
			i += k;
			continue;
		}
		if (st->have == 0) {
			start = i;
			here = 1;
		}
		st->hdr[st->have++] = p[i++];
		if (st->have < 2)
			continue;
		if (!(st->hdr[1] & 0x80)) {
			st->bad = 1;
			return here ? start : 0;
		}
		if (st->have < header_len(st->hdr))
			continue;
		len = st->hdr[1] & 0x7f;
		if (len == 126)
			len = (uint64_t)st->hdr[2] << 8 | st->hdr[3];
		else if (len == 127)
			for (len = 0, k = 2; k < 10; k++)
				len = len << 8 | st->hdr[k];
		st->left = len;
		st->have = 0;
	}
	return n;
}
