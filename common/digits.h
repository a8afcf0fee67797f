/*
 * digits: is a run of bytes all ASCII decimal digits (the game ids, dates
 * and counts the tools check before they use them). Pure: no I/O, no
 * allocation; it does not convert and checks no length.
 */
#ifndef COURTSIDE_DIGITS_H
#define COURTSIDE_DIGITS_H

#include <stddef.h>

/*
 * 1 when each of the n bytes at s (borrowed; NULs are not special) is
 * '0' to '9', else 0. 1 for n == 0: callers check their own lengths.
 */
int	digits_only(const char *s, size_t n);

#endif
