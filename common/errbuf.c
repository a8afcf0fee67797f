/* errbuf: fill a caller's error buffer; never prints. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "errbuf.h"

int
errbuf_set(struct errbuf *err, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

void *
errbuf_calloc(size_t size, struct errbuf *err)
{
	void *p;

	if ((p = calloc(1, size)) == NULL)
		errbuf_set(err, "out of memory");
	return p;
}
