/*
 * msg: byte buffers with a ceiling and shared, refcounted messages.
 * Nothing here knows about sockets or libwebsockets.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"

void
buf_init(struct buf *b, size_t max)
{
	memset(b, 0, sizeof(*b));
	b->max = max;
}

void
buf_fini(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	b->failed = 0;
}

static int
reserve(struct buf *b, size_t n)
{
	size_t need, cap;
	char *p;

	if (b->failed)
		return -1;
	if (n > SIZE_MAX - b->len - 1 || (b->max && b->len + n > b->max)) {
		b->failed = 1;
		return -1;
	}
	need = b->len + n + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap *= 2;
	if ((p = realloc(b->p, cap)) == NULL) {
		b->failed = 1;
		return -1;
	}
	b->p = p;
	b->cap = cap;
	return 0;
}

int
buf_add(struct buf *b, const void *p, size_t n)
{
	if (reserve(b, n) == -1)
		return -1;
	if (n)
		memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

int
buf_adds(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

int
buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || reserve(b, (size_t)n) == -1)
		return -1;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

int
buf_add_jstr(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	char esc[7];

	if (buf_add(b, "\"", 1) == -1)
		return -1;
	for (; *u; u++) {
		if (*u == '"' || *u == '\\') {
			esc[0] = '\\';
			esc[1] = (char)*u;
			if (buf_add(b, esc, 2) == -1)
				return -1;
		} else if (*u < 0x20) {
			esc[0] = '\\';
			esc[1] = 'u';
			esc[2] = '0';
			esc[3] = '0';
			esc[4] = hex[*u >> 4];
			esc[5] = hex[*u & 15];
			if (buf_add(b, esc, 6) == -1)
				return -1;
		} else if (buf_add(b, u, 1) == -1)
			return -1;
	}
	return buf_add(b, "\"", 1);
}

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
	if (m != NULL && --m->refs == 0)
		free(m);
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
	p[0] = 0x81;		/* FIN, text */
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
