/*
 * proxyaddr: which peers are trusted proxies (--trust-proxy CIDR,...)
 * and, for a connection from one, the client address its X-Forwarded-For
 * or X-Real-IP names. Pure: no I/O, no allocation, no globals; every
 * input is bounded, so a hostile header costs at most PROXYADDR_MAX_HEADER
 * bytes of scanning.
 *
 * The rule: from an untrusted peer the headers are ignored (the peer is
 * the client). From a trusted peer, the client is the rightmost address
 * of X-Forwarded-For that is not itself trusted (each proxy appends the
 * address it saw, so everything right of the client was written by our
 * own proxies); when every hop is trusted or the header is absent,
 * X-Real-IP; else the peer. A malformed value (not an address, too long,
 * too many hops) leaves the peer in use and says so, for the caller's
 * counter. Addresses come out in canonical text (inet_ntop); an
 * IPv4-mapped IPv6 address (::ffff:127.0.0.1) is its IPv4 address.
 */
#ifndef COURTSIDE_PROXYADDR_H
#define COURTSIDE_PROXYADDR_H

#include <stddef.h>
#include <stdint.h>

#include "errbuf.h"

#define PROXYADDR_MAX_RANGES	32	/* CIDRs in one list */
#define PROXYADDR_MAX_HEADER	2048	/* bytes of X-Forwarded-For looked at */
#define PROXYADDR_MAX_HOPS	32	/* addresses in X-Forwarded-For */
#define PROXYADDR_STRLEN	46	/* INET6_ADDRSTRLEN */

struct proxyaddr_range {
	uint8_t		 addr[16];	/* IPv4 as ::ffff:a.b.c.d */
	unsigned	 bits;		/* prefix length over the 128 */
};

/* Caller storage; zeroed (or after a failed parse) it trusts nothing. */
struct proxyaddr {
	struct proxyaddr_range	 r[PROXYADDR_MAX_RANGES];
	unsigned		 n;
};

enum proxyaddr_result {
	PROXYADDR_PEER = 0,	/* the peer itself is the client */
	PROXYADDR_FORWARDED,	/* a header named the client */
	PROXYADDR_MALFORMED,	/* a header was bad: the peer is used */
};

/*
 * Parses "CIDR[,CIDR...]" (IPv4 or IPv6; a bare address is /32 or /128;
 * spaces around items allowed) into pa. Returns 0, or -1 with err set
 * and pa trusting nothing.
 */
int	proxyaddr_parse(struct proxyaddr *pa, const char *list,
	    struct errbuf *err);
/* Returns 1 when ip (text) is in one of pa's ranges, else 0. */
int	proxyaddr_trusted(const struct proxyaddr *pa, const char *ip);
/*
 * Writes the client address of a connection from peer into out (at
 * least PROXYADDR_STRLEN bytes). xff is every X-Forwarded-For header of
 * the request joined with commas, xrealip the X-Real-IP header; either
 * may be NULL. Borrows every argument.
 */
enum proxyaddr_result proxyaddr_client(const struct proxyaddr *pa,
	    const char *peer, const char *xff, const char *xrealip,
	    char *out, size_t outlen);
/*
 * Canonical text of the address ip into out (mapped IPv4 as IPv4).
 * Returns 0, or -1 when ip is not an address (out then holds ip, cut).
 */
int	proxyaddr_canon(const char *ip, char *out, size_t outlen);

#endif
