/*
 * msg: the refcounted, immutable message that every subscriber of a game
 * shares (and, through buf.h, the growable byte buffers it is built in). A message reserves `pre` bytes of
 * headroom before its payload (libwebsockets writes its frame header
 * there), so one encoding serves every client. Pure: no I/O.
 */
#ifndef FANOUT_MSG_H
#define FANOUT_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "jsonw.h"

/* Appends s as a JSON string literal: common/jsonw.c's one escaper. */
static inline int
buf_add_jstr(struct buf *b, const char *s)
{
	return jsonw_str(b, s);
}

enum msg_kind {
	MSG_SNAPSHOT = 1,
	MSG_UPDATE,
	MSG_NOTICE,
};

struct msg {
	unsigned	 refs;
	enum msg_kind	 kind;
	int64_t		 epoch;
	int64_t		 seq_from;	/* update: covers (seq_from, seq_to] */
	int64_t		 seq_to;
	int64_t		 ingest_us;	/* oldest tick in it (0: none) */
	size_t		 pre;		/* headroom before the payload */
	size_t		 len;		/* payload bytes */
	/*
	 * Its permessage-deflate variant, built once, when the first
	 * subscriber that negotiated it needs it (wswrite.c); owned.
	 */
	struct msg	*z;
	size_t		 plain_len;	/* compressed one: bytes it stands for */
	unsigned	 z_done:1;	/* z built, or found not to pay */
	unsigned	 rsv1:1;	/* this is a compressed one */
	unsigned char	 data[];	/* pre + len bytes */
};

/*
 * Returns a new message (one reference) holding a copy of len bytes
 * after pre bytes of headroom, or NULL on ENOMEM.
 */
struct msg *msg_new(enum msg_kind kind, size_t pre, const void *p, size_t len);
static inline unsigned char *
msg_payload(struct msg *m)
{
	return m->data + m->pre;
}
/* Takes a reference; returns m. */
struct msg *msg_ref(struct msg *m);
/*
 * Drops a reference; frees on the last one (its compressed variant
 * with it). NULL is a no-op.
 */
void	msg_unref(struct msg *m);
/*
 * Writes m's WebSocket frame header (one final text frame, unmasked: the
 * same bytes for every subscriber; RSV1 set on a compressed one) into
 * the end of its headroom. Returns
 * where the frame starts, with *total its length header included; NULL
 * when the headroom is too small (it needs up to 10 bytes).
 */
unsigned char *msg_frame(struct msg *m, size_t *total);
/* Bytes the message holds (payload plus its header), for budgets. */
size_t	msg_size(const struct msg *m);

#endif
