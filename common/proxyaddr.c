/*
 * proxyaddr: trusted proxy ranges and the client address behind them.
 * Pure (see proxyaddr.h); inet_pton/inet_ntop are its only helpers.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proxyaddr.h"

static const uint8_t v4mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0xff, 0xff };

/* Parses n bytes of s as an address into a[16]; returns 4, 6 or 0. */
static int
addr_parse(const char *s, size_t n, uint8_t a[16])
{
	char tmp[PROXYADDR_STRLEN];

	if (n == 0 || n >= sizeof(tmp))
		return 0;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	if (inet_pton(AF_INET, tmp, a + 12) == 1) {
		memcpy(a, v4mapped, sizeof(v4mapped));
		return 4;
	}
	if (inet_pton(AF_INET6, tmp, a) == 1)
		return memcmp(a, v4mapped, sizeof(v4mapped)) == 0 ? 4 : 6;
	return 0;
}

static void
addr_text(const uint8_t a[16], char *out, size_t outlen)
{
	const char *p;

	if (memcmp(a, v4mapped, sizeof(v4mapped)) == 0)
		p = inet_ntop(AF_INET, a + 12, out, (socklen_t)outlen);
	else
		p = inet_ntop(AF_INET6, a, out, (socklen_t)outlen);
	if (p == NULL && outlen > 0)
		out[0] = '\0';
}

static int
in_range(const struct proxyaddr_range *r, const uint8_t a[16])
{
	unsigned full = r->bits / 8, rest = r->bits % 8;
	uint8_t mask;

	if (memcmp(r->addr, a, full) != 0)
		return 0;
	if (rest == 0)
		return 1;
	mask = (uint8_t)(0xff << (8 - rest));
	return (r->addr[full] & mask) == (a[full] & mask);
}

static int
trusted(const struct proxyaddr *pa, const uint8_t a[16])
{
	unsigned i;

	for (i = 0; i < pa->n; i++)
		if (in_range(&pa->r[i], a))
			return 1;
	return 0;
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* One "ADDR[/BITS]" item of n bytes into r; 0 or -1. */
static int
range_parse(const char *s, size_t n, struct proxyaddr_range *r)
{
	const char *slash = memchr(s, '/', n);
	size_t alen = slash ? (size_t)(slash - s) : n;
	unsigned long bits;
	char num[4], *end;
	int fam;
	unsigned i;

	memset(r, 0, sizeof(*r));
	if (addr_parse(s, alen, r->addr) == 0)
		return -1;
	/* The prefix counts in the notation written: ::ffff:10.0.0.0/104. */
	fam = memchr(s, ':', alen) != NULL ? 6 : 4;
	bits = fam == 4 ? 32 : 128;
	if (slash != NULL) {
		size_t blen = n - alen - 1;

		if (blen == 0 || blen >= sizeof(num))
			return -1;
		memcpy(num, slash + 1, blen);
		num[blen] = '\0';
		for (i = 0; i < blen; i++)
			if (!isdigit((unsigned char)num[i]))
				return -1;
		bits = strtoul(num, &end, 10);
		if (bits > (fam == 4 ? 32UL : 128UL))
			return -1;
	}
	r->bits = (unsigned)bits + (fam == 4 ? 96 : 0);
	/* Host bits set (10.0.0.1/8) are allowed: they are masked off. */
	for (i = r->bits; i < 128; i++)
		r->addr[i / 8] &= (uint8_t)~(0x80 >> (i % 8));
	return 0;
}

int
proxyaddr_parse(struct proxyaddr *pa, const char *list, struct errbuf *err)
{
	const char *p = list, *end, *q;
	size_t n;

	memset(pa, 0, sizeof(*pa));
	if (list == NULL || *list == '\0')
		return errbuf_set(err, "empty list of proxy addresses");
	for (;;) {
		while (is_space(*p))
			p++;
		end = strchr(p, ',');
		if (end == NULL)
			end = p + strlen(p);
		for (q = end; q > p && is_space(q[-1]); q--)
			;
		n = (size_t)(q - p);
		if (n == 0) {
			pa->n = 0;
			return errbuf_set(err, "empty item in proxy list");
		}
		if (pa->n == PROXYADDR_MAX_RANGES) {
			pa->n = 0;
			return errbuf_set(err, "more than %d proxy ranges",
			    PROXYADDR_MAX_RANGES);
		}
		if (range_parse(p, n, &pa->r[pa->n]) == -1) {
			pa->n = 0;
			return errbuf_set(err, "not an address or CIDR: %.*s",
			    n > 64 ? 64 : (int)n, p);
		}
		pa->n++;
		if (*end == '\0')
			return 0;
		p = end + 1;
	}
}

int
proxyaddr_trusted(const struct proxyaddr *pa, const char *ip)
{
	uint8_t a[16];

	if (pa == NULL || pa->n == 0 || ip == NULL ||
	    addr_parse(ip, strlen(ip), a) == 0)
		return 0;
	return trusted(pa, a);
}

int
proxyaddr_canon(const char *ip, char *out, size_t outlen)
{
	uint8_t a[16];

	if (ip != NULL && addr_parse(ip, strlen(ip), a) != 0) {
		addr_text(a, out, outlen);
		return 0;
	}
	if (outlen > 0)
		snprintf(out, outlen, "%s", ip ? ip : "");
	return -1;
}

/*
 * The bytes of one hop, spaces trimmed, with the brackets of "[v6]"
 * taken off: nginx writes plain addresses, others bracket IPv6.
 */
static int
hop_parse(const char *s, size_t n, uint8_t a[16])
{
	while (n > 0 && is_space(*s)) {
		s++;
		n--;
	}
	while (n > 0 && is_space(s[n - 1]))
		n--;
	if (n >= 2 && s[0] == '[' && s[n - 1] == ']') {
		s++;
		n -= 2;
	}
	return addr_parse(s, n, a);
}

enum proxyaddr_result
proxyaddr_client(const struct proxyaddr *pa, const char *peer,
    const char *xff, const char *xrealip, char *out, size_t outlen)
{
	uint8_t a[16], pa_peer[16];
	const char *end, *p;
	size_t len;
	unsigned hops = 0;

	(void)proxyaddr_canon(peer, out, outlen);
	if (pa == NULL || pa->n == 0 || peer == NULL ||
	    addr_parse(peer, strlen(peer), pa_peer) == 0 ||
	    !trusted(pa, pa_peer))
		return PROXYADDR_PEER;
	if (xff != NULL && *xff != '\0') {
		len = strnlen(xff, PROXYADDR_MAX_HEADER + 1);
		if (len > PROXYADDR_MAX_HEADER)
			return PROXYADDR_MALFORMED;
		/* Right to left: the hops our own proxies wrote come first. */
		end = xff + len;
		for (;;) {
			for (p = end; p > xff && p[-1] != ','; p--)
				;
			if (++hops > PROXYADDR_MAX_HOPS ||
			    hop_parse(p, (size_t)(end - p), a) == 0)
				return PROXYADDR_MALFORMED;
			if (!trusted(pa, a)) {
				addr_text(a, out, outlen);
				return PROXYADDR_FORWARDED;
			}
			if (p == xff)
				break;
			end = p - 1;
		}
	}
	if (xrealip != NULL && *xrealip != '\0') {
		len = strnlen(xrealip, PROXYADDR_STRLEN + 8);
		if (len == PROXYADDR_STRLEN + 8 ||
		    hop_parse(xrealip, len, a) == 0)
			return PROXYADDR_MALFORMED;
		addr_text(a, out, outlen);
		return PROXYADDR_FORWARDED;
	}
	return PROXYADDR_PEER;
}
