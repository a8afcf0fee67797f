/*
 * espn_int: what the three ESPN summary parsers (espn.c on jansson,
 * espn_slim.c, espn_text.c) share, for common/espn*.c only. Pure.
 */
#ifndef COURTSIDE_ESPN_INT_H
#define COURTSIDE_ESPN_INT_H

#include <stddef.h>

#include <jansson.h>

#include "errbuf.h"
#include "espn.h"

/* The game from a summary's header (borrowed); 0, or -1 with err set. */
int	espn_parse_header(const json_t *header, struct espn_game *g,
	    struct errbuf *err);
/*
 * Inserts pt into the sorted pts[0..*count) of capacity n, keeping the n
 * lowest. Returns 0, or -1 when pt duplicates a point or does not fit.
 */
int	espn_insert_point(struct espn_wp *pts, size_t *count, size_t n,
	    const struct espn_wp *pt);
/*
 * The header value [v, ve) slimmed into out (cap bytes) as
 * espn_summary_slim would: its length, or -1 when malformed or too big.
 */
long	espn_slim_header(const char *v, const char *ve, char *out, size_t cap);

#endif
