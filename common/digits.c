/*
 * digits: the one "all decimal digits" check (see digits.h). Never
 * allocates, never reads past n.
 */
#include "digits.h"

int
digits_only(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}
