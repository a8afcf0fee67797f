/*
 * buf: a growable byte buffer that refuses to grow past a maximum (0: no
 * limit). Once an append fails (the maximum, or ENOMEM) the buffer stays
 * failed, and every later append is a no-op, until buf_reset: a writer
 * appends freely and checks once at the end. Pure: no I/O.
 */
#ifndef COURTSIDE_BUF_H
#define COURTSIDE_BUF_H

#include <stddef.h>

struct buf {
	char	*p;		/* owned; NUL-terminated after an append */
	size_t	 len, cap, max;
	int	 failed;	/* an append hit max or ENOMEM */
};

/* An empty buffer on caller storage (nothing allocated yet). */
void	buf_init(struct buf *b, size_t max);
/* Frees the bytes; b may be used again after buf_init. */
void	buf_fini(struct buf *b);
/* Empty again (memory kept), and no longer failed. */
void	buf_reset(struct buf *b);
/* Returns 0, or -1 (and sets failed) when it would pass max or on ENOMEM. */
int	buf_add(struct buf *b, const void *p, size_t n);
int	buf_adds(struct buf *b, const char *s);
int	buf_addf(struct buf *b, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

#endif
