/*
 * framing: whether a request's body framing is one every reader agrees
 * on (RFC 9112 §6.3). Pure and total: the Content-Length values and the
 * presence of Transfer-Encoding in, one verdict out; no I/O, no globals,
 * never allocates. Fuzzed (tests/fuzz/fuzz_live_framing.c).
 */
#ifndef LIVE_FRAMING_H
#define LIVE_FRAMING_H

#include <stddef.h>

#define FRAMING_MAX_LENGTH	(1LL << 40)	/* a larger length is refused */

enum framing {
	FRAMING_OK = 0,
	FRAMING_DUP_LENGTH,	/* two or more Content-Length fields */
	FRAMING_BAD_LENGTH,	/* not 1*DIGIT, or over FRAMING_MAX_LENGTH */
	FRAMING_TE_LENGTH,	/* Transfer-Encoding with Content-Length */
	FRAMING_TE_NO_BODY,	/* Transfer-Encoding on GET, HEAD, OPTIONS */
};

/* One Content-Length field value as received; borrowed, need not end in NUL. */
struct framing_field {
	const char	*p;
	size_t		 len;
};

/*
 * The verdict for a request whose method takes no body when no_body is
 * set, carrying the ncl Content-Length values cl[] (a list value such as
 * "5, 5" counts as two) and a Transfer-Encoding field when te is set.
 * Anything but FRAMING_OK is answered 400 and the connection closed,
 * so that no byte after the head is ever read as a next request.
 */
enum framing framing_check(int no_body, const struct framing_field *cl,
	    size_t ncl, int te);
/* A constant name for logs: "ok", "duplicate_content_length", ... */
const char *framing_name(enum framing f);

#endif
