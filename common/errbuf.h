/*
 * errbuf: a caller-owned buffer that library-style functions fill with
 * what went wrong instead of printing it.
 */
#ifndef COURTSIDE_ERRBUF_H
#define COURTSIDE_ERRBUF_H

#include <stddef.h>

struct errbuf {
	char	msg[256];
};

/* Formats into err (NULL allowed: then it does nothing). Returns -1. */
int	errbuf_set(struct errbuf *err, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/*
 * Returns new zeroed memory of size bytes (the caller frees it), or NULL
 * with err set to "out of memory": the one spelling of that failure.
 */
void	*errbuf_calloc(size_t size, struct errbuf *err);

#endif
