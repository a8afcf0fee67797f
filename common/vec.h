/*
 * vec: growing a caller's array of elements (pointer, count, capacity
 * kept by the caller), by doubling, and freeing an array of pointers it
 * grew. Pure: no I/O, no globals. The caller keeps its own count and
 * limits.
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
/*
 * For an array of pointers *(T ***)pp with n in use: room for one more
 * (vec_grow, from 16), then a new zeroed element of elem bytes. Returns
 * the element, not yet in the array (the caller stores it at index n
 * and counts it, or frees it), or NULL out of memory, the array as it
 * was or grown.
 */
void	*vec_grow_new(void *pp, size_t *cap, size_t n, size_t elem);
/*
 * The other end of vec_grow_new, for elements that own nothing: frees
 * the *n elements of *(T ***)pp and the array, then *pp is NULL and *n 0.
 */
void	vec_free_all(void *pp, size_t *n);

#endif
