/*
 * framing: the RFC 9112 §6.3 checks on a request head's body framing.
 * Pure: reads the values it is given, never copies or stores them.
 */
#include "framing.h"

/* Optional whitespace around a field value (RFC 9110 §5.5). */
static int
ows(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * Counts the comma-separated elements of one field value into *n and
 * checks that each is 1*DIGIT within the limit. Returns 0 or -1.
 */
static int
length_elements(const struct framing_field *f, size_t *n)
{
	size_t i = 0;
	long long v;
	int digits;

	for (;;) {
		while (i < f->len && ows(f->p[i]))
			i++;
		v = 0;
		digits = 0;
		while (i < f->len && f->p[i] >= '0' && f->p[i] <= '9') {
			v = v * 10 + (f->p[i] - '0');
			if (v > FRAMING_MAX_LENGTH)
				return -1;
			digits++;
			i++;
		}
		while (i < f->len && ows(f->p[i]))
			i++;
		if (digits == 0)
			return -1;
		(*n)++;
		if (i == f->len)
			return 0;
		if (f->p[i] != ',')
			return -1;
		i++;
	}
}

enum framing
framing_check(int no_body, const struct framing_field *cl, size_t ncl,
    int te)
{
	size_t i, n = 0;

	for (i = 0; i < ncl; i++)
		if (cl[i].p == NULL || length_elements(&cl[i], &n) == -1)
			return FRAMING_BAD_LENGTH;
	if (n > 1)
		return FRAMING_DUP_LENGTH;
	if (te && n > 0)
		return FRAMING_TE_LENGTH;
	if (te && no_body)
		return FRAMING_TE_NO_BODY;
	return FRAMING_OK;
}

const char *
framing_name(enum framing f)
{
	switch (f) {
	case FRAMING_OK:		return "ok";
	case FRAMING_DUP_LENGTH:	return "duplicate_content_length";
	case FRAMING_BAD_LENGTH:	return "bad_content_length";
	case FRAMING_TE_LENGTH:		return "transfer_encoding_with_length";
	case FRAMING_TE_NO_BODY:	return "transfer_encoding_without_body";
	default:			return "unknown";
	}
}
