/*
 * jscan: the one hand-written JSON scanner, for the fast paths that read
 * a line or a body in place (aligner/fields.c, common/espn_text.c,
 * common/espn_slim.c) instead of building a jansson document. Two kinds
 * of calls:
 *   - skims (jscan_skip_*, the iterator) find where a value ends and
 *     judge nothing inside it: what they pass over must be read by a
 *     strict call or by jansson before it counts;
 *   - strict tokens (jscan_plain_str, jscan_number) accept only what
 *     jansson accepts and read it to the same value, or refuse, and the
 *     caller falls back to jansson (tests/fuzz/fuzz_jscan.c checks it).
 * Pure: no I/O, no allocation, no globals. Everything is borrowed: a
 * token points into the text.
 */
#ifndef COURTSIDE_JSCAN_H
#define COURTSIDE_JSCAN_H

#include <stddef.h>
#include <stdint.h>

/* A cursor over [p, end). */
struct jscan {
	const char	*p, *end;
};

/* Past blanks (space, tab, CR, LF). */
void	jscan_ws(struct jscan *s);
/* Past a string starting at s->p ('"'), escapes skimmed: 0, or -1. */
int	jscan_skip_string(struct jscan *s);
/* Past one value (after blanks): 0, or -1 when the text ends first. */
int	jscan_skip_value(struct jscan *s);

/* An iterator over the members of an object or elements of an array. */
struct jscan_iter {
	struct jscan	 c;
	int		 first;
	char		 close;
};

/* Over the value [v, ve), which must start with open ('{' or '['). */
int	jscan_iter_begin(struct jscan_iter *it, const char *v, const char *ve,
	    char open);
/*
 * The next member (k, kn: the raw key, between its quotes; NULL k for an
 * array) or element, as [*v, *ve): 1, 0 at the end, -1 if malformed.
 */
int	jscan_iter_next(struct jscan_iter *it, const char **k, size_t *kn,
	    const char **v, const char **ve);

/*
 * A string body at p (just past its '"') of ASCII without control
 * characters or escapes: returns the position past the closing quote with *s, *n set,
 * or NULL (anything else, which jansson may still accept).
 */
const char *jscan_plain_str(const char *p, const char *end, const char **s,
	    size_t *n);

enum jscan_kind { JSCAN_INT = 1, JSCAN_REAL };

struct jscan_num {
	enum jscan_kind	 kind;
	int64_t		 i;		/* JSCAN_INT */
	double		 d;		/* both kinds */
	unsigned	 digits;	/* mantissa digits, integer and fraction */
};

/*
 * A JSON number at p: returns the position past it with *v set, or NULL
 * when it is not one, or when jansson might read it otherwise (an integer
 * past 18 digits, a real that overflows). Integers are JSCAN_INT like
 * jansson's json_integer; reals are correctly rounded, as strtod.
 */
const char *jscan_number(const char *p, const char *end, struct jscan_num *v);

#endif
