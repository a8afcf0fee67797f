/*
 * deflate: permessage-deflate's compression for ws-fanout, once per
 * message. One deflater (one zlib stream, reset for every message:
 * server_no_context_takeover) serves the whole process, so a connection
 * holds no zlib state; its memory is counted for /metrics. No I/O, no
 * sockets.
 */
#ifndef FANOUT_DEFLATE_H
#define FANOUT_DEFLATE_H

#include <stddef.h>

#include "errbuf.h"
#include "msg.h"

struct deflater;

/* Returns a new deflater (zlib level 1-9), or NULL with err set. */
struct deflater *deflater_new(int level, struct errbuf *err);
void	deflater_free(struct deflater *d);
/*
 * Returns a new message (one reference): m's payload deflated as one
 * permessage-deflate message (RFC 7692 §7.2.1, the final 00 00 ff ff
 * removed), with m's kind, sequence and headroom and rsv1 set; NULL
 * when it would not be smaller than m or on ENOMEM. m is borrowed.
 */
struct msg *deflater_msg(struct deflater *d, const struct msg *m);
/* Bytes zlib and the output buffer hold now (a gauge). */
size_t	deflater_mem(const struct deflater *d);

#endif
