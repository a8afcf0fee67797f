/*
 * deflate: one zlib deflate stream for the process, reset before every
 * message, its output copied into a new shared message. Must not keep
 * anything per connection. (Client messages are never inflated: lws
 * 4.1 closes a frame with RSV1 set with 1002 before ws-fanout sees it.)
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "deflate.h"

struct deflater {
	z_stream	 z;
	size_t		 zmem;		/* what zlib allocated through us */
	unsigned char	*out;		/* output buffer, grows to the largest */
	size_t		 cap;
};

/* zlib's allocations, counted (a size header before each block). */
static voidpf
z_alloc(voidpf opaque, uInt items, uInt size)
{
	struct deflater *d = opaque;
	size_t n;
	size_t *p;

	if (size != 0 && items > (SIZE_MAX - sizeof(size_t)) / size)
		return Z_NULL;
	n = (size_t)items * size;
	if ((p = malloc(sizeof(size_t) + n)) == NULL)
		return Z_NULL;
	p[0] = n;
	d->zmem += n;
	return p + 1;
}

static void
z_free(voidpf opaque, voidpf addr)
{
	struct deflater *d = opaque;
	size_t *p = addr;

	if (p == NULL)
		return;
	d->zmem -= p[-1];
	free(p - 1);
}

struct deflater *
deflater_new(int level, struct errbuf *err)
{
	struct deflater *d;

	if ((d = calloc(1, sizeof(*d))) == NULL) {
		errbuf_set(err, "deflate: out of memory");
		return NULL;
	}
	d->z.zalloc = z_alloc;
	d->z.zfree = z_free;
	d->z.opaque = d;
	/* Raw deflate, a 32 KiB window: what every client accepts. */
	if (deflateInit2(&d->z, level, Z_DEFLATED, -15, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK) {
		errbuf_set(err, "deflate: cannot start zlib");
		free(d);
		return NULL;
	}
	return d;
}

void
deflater_free(struct deflater *d)
{
	if (d == NULL)
		return;
	(void)deflateEnd(&d->z);
	free(d->out);
	free(d);
}

size_t
deflater_mem(const struct deflater *d)
{
	return d->zmem + d->cap;
}

struct msg *
deflater_msg(struct deflater *d, const struct msg *m)
{
	struct msg *z;
	size_t need, n;
	unsigned char *nb;
	int rc;

	if (m->len > (size_t)UINT32_MAX)
		return NULL;
	need = deflateBound(&d->z, (uLong)m->len) + 16;
	if (need > d->cap) {
		if ((nb = realloc(d->out, need)) == NULL)
			return NULL;
		d->out = nb;
		d->cap = need;
	}
	if (deflateReset(&d->z) != Z_OK)
		return NULL;
	d->z.next_in = (Bytef *)(uintptr_t)(m->data + m->pre);
	d->z.avail_in = (uInt)m->len;
	d->z.next_out = d->out;
	d->z.avail_out = (uInt)d->cap;
	/* A sync flush ends on an empty stored block: 00 00 ff ff. */
	rc = deflate(&d->z, Z_SYNC_FLUSH);
	if ((rc != Z_OK && rc != Z_BUF_ERROR) || d->z.avail_in != 0 ||
	    d->z.avail_out == 0)
		return NULL;
	n = d->cap - d->z.avail_out;
	if (n < 4 || memcmp(d->out + n - 4, "\0\0\xff\xff", 4) != 0)
		return NULL;
	n -= 4;
	if (n >= m->len)
		return NULL;	/* does not pay: the plain one goes */
	if ((z = msg_new(m->kind, m->pre, d->out, n)) == NULL)
		return NULL;
	z->epoch = m->epoch;
	z->seq_from = m->seq_from;
	z->seq_to = m->seq_to;
	z->ingest_us = m->ingest_us;
	z->rsv1 = 1;
	z->plain_len = m->len;
	return z;
}
