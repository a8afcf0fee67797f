/*
 * strcopy: truncating string copies into fixed arrays (see strcopy.h).
 * Never allocates.
 */
#include <string.h>

#include "strcopy.h"

void
strcopy_n(char *dst, size_t cap, const char *s, size_t n)
{
	if (cap == 0)
		return;
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

void
strcopy(char *dst, size_t cap, const char *src)
{
	if (src == NULL)
		src = "";
	strcopy_n(dst, cap, src, strlen(src));
}
