/*
 * vec: growing a caller's array of elements (pointer, count, capacity
 * kept by the caller), by doubling. Pure: no I/O, no globals. It only
 * grows the storage; the caller keeps its own count and limits.
 */
#ifndef COURTSIDE_VEC_H
#define COURTSIDE_VEC_H

#include <stddef.h>

/*
 * Make *(T **)pp hold at least need elements of elem bytes: when *cap is
 * short, realloc to the first of first, 2*first, ... (or *cap doubled
 * until) at least need. pp is the address of the caller's array pointer,
 * which it owns; on -1 (out of memory, or a size past SIZE_MAX) the array
 * and *cap stay as they were. Returns 0 or -1.
 */
int	vec_grow(void *pp, size_t *cap, size_t need, size_t elem,
	    size_t first);

#endif
