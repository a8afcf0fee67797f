/* fnv: 64-bit FNV-1a. Pure. */
#include "fnv.h"

uint64_t
fnv1a64(const void *data, size_t n, uint64_t h)
{
	const unsigned char *p = data;

	while (n-- > 0) {
		h ^= *p++;
		h *= 1099511628211ULL;	/* the FNV prime */
	}
	return h;
}
