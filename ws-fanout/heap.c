/*
 * heap: what the allocator holds for ws-fanout (a /metrics gauge) and
 * handing freed pages back to the kernel after a crowd has gone. No
 * knowledge of clients here.
 */
#include <stdlib.h>	/* defines __GLIBC__ */
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "heap.h"

/*
 * Heap bytes in use: what the allocator has handed out and not had back,
 * whatever it keeps mapped. -1 where the C library cannot say (or a
 * sanitizer's allocator stands in for it and glibc sees none of it).
 */
long long
heap_in_use(void)
{
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HEAP_UNKNOWN 1
#endif
#endif
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 33) && \
    !defined(__SANITIZE_ADDRESS__) && !defined(HEAP_UNKNOWN)
	struct mallinfo2 mi = mallinfo2();
	size_t held = mi.uordblks + mi.hblkhd;

	return (long long)held;
#else
	return -1;
#endif
}

/* Returns the allocator's free pages to the kernel, where it can. */
void
heap_trim(void)
{
#ifdef __GLIBC__
	malloc_trim(0);
#endif
}
