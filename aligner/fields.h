/*
 * fields: the handful of stream-line fields the aligner reads, taken
 * either from a parsed json_t or straight from the line's bytes by a
 * strict scanner for flat objects (the common case, without jansson's
 * allocations). Pure: no I/O, no allocation, no globals.
 */
#ifndef COURTSIDE_ALIGNER_FIELDS_H
#define COURTSIDE_ALIGNER_FIELDS_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

enum fkind {
	F_ABSENT = 0,
	F_INT,
	F_REAL,
	F_STR,
	F_NULL,
	F_OTHER,	/* true, false, an object or an array */
};

enum fkey {
	K_TYPE, K_SRC, K_GAME_ID, K_PLAY_ID, K_TS, K_RECV_TS, K_SEQ, K_HOME,
	K_PERIOD, K_CLOCK, K_HOME_SCORE, K_AWAY_SCORE, K_TICKER, K_BID, K_ASK,
	K_LAST, K_PRICE, K_BACKFILL, K_N
};

struct fval {
	unsigned char	 kind;
	int64_t		 i;	/* F_INT; F_OTHER: 1 for true */
	double		 d;	/* F_INT and F_REAL */
	const char	*s;	/* F_STR: borrowed, not terminated */
	size_t		 n;
};

struct fields {
	struct fval	f[K_N];
};

/*
 * Scans one line (no '\n') that must be a flat JSON object: string
 * values without escapes and only ASCII, numbers, true/false/null.
 * Returns 1 with *out filled (strings point into line), or 0 when the
 * line needs a real JSON parser (anything else, valid or not): the
 * scanner never accepts what jansson would reject, and agrees with it
 * on every value it accepts.
 */
int	fields_scan(const char *line, size_t len, struct fields *out);
/* The same fields from a parsed object (borrowed; strings point into it). */
void	fields_from_json(const json_t *obj, struct fields *out);

/* Scanned fields: an integer (also from an integral real): 0, or -1. */
int	fields_i64(const struct fval *v, int64_t *out);
/* A number in [0, 1]: 1 present, 0 absent, -1 present but bad. */
int	fields_prob(const struct fval *v, double *out);
/* Copies a string field into buf; -1 when absent, empty or too long. */
int	fields_str(const struct fval *v, char *buf, size_t size);

#endif
