/*
 * pmd: the permessage-deflate (RFC 7692) offer parser. It reads a
 * client's Sec-WebSocket-Extensions value and says whether one of its
 * permessage-deflate offers is one ws-fanout can meet. Pure: no I/O, no
 * zlib, no globals; it must not allocate.
 *
 * What ws-fanout can meet: every message it compresses is deflated once,
 * with a fresh 32 KiB window (server_no_context_takeover, always in the
 * answer), for every subscriber alike; so an offer asking for a smaller
 * server window is declined (the next offer in the list may still do).
 * Client messages are inflated one at a time with no state kept between
 * them, so the answer also carries client_no_context_takeover.
 * client_max_window_bits (with or without a value) is accepted and not
 * answered: the client then uses at most 15 bits, which we inflate.
 */
#ifndef FANOUT_PMD_H
#define FANOUT_PMD_H

#include <stddef.h>

/* The answer ws-fanout puts in its 101 when it accepts an offer. */
#define PMD_ANSWER "permessage-deflate; server_no_context_takeover; " \
	"client_no_context_takeover"

/* Longest header value looked at; a longer one is declined. */
#define PMD_MAX_HEADER 4096

/*
 * Reads the header value hdr (len bytes, not NUL-terminated, borrowed).
 * Returns 1 when an offer is accepted (answer with PMD_ANSWER), 0 when
 * none is (no offer, only ones we cannot meet, or a malformed value).
 */
int	pmd_accept(const char *hdr, size_t len);

#endif
