/*
 * msg: shared, refcounted messages (the byte buffers are common/buf.c).
 * Nothing here knows about sockets or libwebsockets.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"

struct msg *
msg_new(enum msg_kind kind, size_t pre, const void *p, size_t len)
{
	struct msg *m;

	if (len > SIZE_MAX - sizeof(*m) - pre - 1)
		return NULL;
	if ((m = malloc(sizeof(*m) + pre + len + 1)) == NULL)
		return NULL;
	memset(m, 0, sizeof(*m));
	m->refs = 1;
	m->kind = kind;
	m->pre = pre;
	m->len = len;
	memset(m->data, 0, pre);
	if (len)
		memcpy(m->data + pre, p, len);
	m->data[pre + len] = '\0';
	return m;
}

struct msg *
msg_ref(struct msg *m)
{
	m->refs++;
	return m;
}

void
msg_unref(struct msg *m)
{
	if (m != NULL && --m->refs == 0) {
		msg_unref(m->z);
		free(m);
	}
}

size_t
msg_size(const struct msg *m)
{
	return sizeof(*m) + m->pre + m->len;
}

unsigned char *
msg_frame(struct msg *m, size_t *total)
{
	unsigned char *p = msg_payload(m);
	size_t n = m->len, hl, i;

	hl = n < 126 ? 2 : n <= 0xffff ? 4 : 10;
	if (m->pre < hl)
		return NULL;
	p -= hl;
	p[0] = m->rsv1 ? 0xc1 : 0x81;	/* FIN, (RSV1,) text */
	if (hl == 2)
		p[1] = (unsigned char)n;
	else if (hl == 4) {
		p[1] = 126;
		p[2] = (unsigned char)(n >> 8);
		p[3] = (unsigned char)n;
	} else {
		p[1] = 127;
		for (i = 0; i < 8; i++)
			p[2 + i] = (unsigned char)((uint64_t)n >> (56 - 8 * i));
	}
	*total = hl + n;
	return p;
}
