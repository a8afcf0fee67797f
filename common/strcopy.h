/*
 * strcopy: copying a string into a fixed char array, truncated to fit and
 * always terminated. Pure: no allocation, no I/O.
 */
#ifndef COURTSIDE_STRCOPY_H
#define COURTSIDE_STRCOPY_H

#include <stddef.h>

/*
 * dst[cap] holds the first n bytes of s (at most cap - 1) and a NUL.
 * Nothing is written when cap is 0. Borrows s.
 */
void	strcopy_n(char *dst, size_t cap, const char *s, size_t n);
/* strcopy_n of the string src; src NULL copies "". */
void	strcopy(char *dst, size_t cap, const char *src);

#endif
