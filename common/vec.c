/*
 * vec: growing a caller's array by doubling (see vec.h). Allocates only
 * the storage; never logs, frees only what the caller hands it.
 */
#include <stdint.h>
#include <stdlib.h>

#include "vec.h"

int
vec_grow(void *pp, size_t *cap, size_t need, size_t elem, size_t first)
{
	void *np;
	size_t ncap;

	if (need <= *cap)
		return 0;
	if ((ncap = *cap ? *cap : first) == 0)
		ncap = 1;
	while (ncap < need && ncap <= SIZE_MAX / 2)
		ncap *= 2;
	if (ncap < need || ncap > SIZE_MAX / elem)
		return -1;
	if ((np = realloc(*(void **)pp, ncap * elem)) == NULL)
		return -1;
	*(void **)pp = np;
	*cap = ncap;
	return 0;
}

void *
vec_grow_new(void *pp, size_t *cap, size_t n, size_t elem)
{
	if (vec_grow(pp, cap, n + 1, sizeof(void *), 16) == -1)
		return NULL;
	return calloc(1, elem);
}

void
vec_free_all(void *pp, size_t *n)
{
	void **v = *(void ***)pp;
	size_t i;

	for (i = 0; i < *n; i++)
		free(v[i]);
	free(v);
	*(void **)pp = NULL;
	*n = 0;
}
