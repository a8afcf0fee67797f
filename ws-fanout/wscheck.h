/*
 * wscheck: the strict reading of what a client sends before and at the
 * WebSocket upgrade (RFC 6455 §4.2.1, §7.4; RFC 9112 §6.3). Pure: text
 * in, a verdict out; no lws here, so it is unit-tested and fuzzed.
 */
#ifndef FANOUT_WSCHECK_H
#define FANOUT_WSCHECK_H

#include <stddef.h>
#include <stdint.h>

/* 1 when Sec-WebSocket-Version (NULL: missing) is exactly "13". */
int	wscheck_version(const char *v);
/* 1 when Sec-WebSocket-Key is base64 of exactly 16 bytes. */
int	wscheck_key(const char *k);
/*
 * 1 when a close code a peer sent is valid on the wire: 1000-1003,
 * 1007-1014 and 3000-4999 (1004-1006 and 1015 are reserved, never sent).
 */
int	wscheck_close_code(unsigned code);
/*
 * The Content-Length values of one request, n of them (each header and
 * each comma-separated item counts): 1 when they are all the same
 * decimal number (or there are none), 0 when any is not a number or two
 * differ, which is a request to refuse with 400 and close.
 */
int	wscheck_content_length(const char *const *vals, size_t n);

/*
 * The frame headers of one client's byte stream after the upgrade, fed
 * as it is read off the socket (RFC 6455 §5.2): every client frame must
 * be masked (§5.1). Zero it at the upgrade; owned by the connection.
 */
struct wscheck_rx {
	uint64_t	 left;		/* payload bytes still to skip */
	unsigned char	 hdr[14];	/* the header being read */
	unsigned char	 have;		/* bytes of it so far */
	unsigned char	 bad;		/* an unmasked frame was seen */
};
/*
 * How many of the n bytes at p may reach the WebSocket parser: n while
 * every frame is masked; at an unmasked frame, the bytes before its
 * header (0 if the header began in earlier bytes), and 0 from then on.
 */
size_t	wscheck_rx(struct wscheck_rx *st, const unsigned char *p, size_t n);

#endif
