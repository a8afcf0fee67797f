/*
 * jsonw: JSON values appended to a struct buf, written by hand where an
 * encoder per line would cost too much (the aligner's ticks, ws-fanout's
 * messages). Each returns 0, or -1 when the buffer failed (buf.h). Pure.
 * Writes only valid JSON: strings escaped, numbers finite.
 */
#ifndef COURTSIDE_JSONW_H
#define COURTSIDE_JSONW_H

#include <stdint.h>

#include "buf.h"

/* s (NUL-terminated, UTF-8 passed through) as a quoted, escaped string. */
int	jsonw_str(struct buf *b, const char *s);
/* v in decimal. */
int	jsonw_i64(struct buf *b, int64_t v);
/*
 * v rounded to 6 decimals, without trailing zeros ("0.54", "1", "-0.5"):
 * probabilities and prices. Not finite: null.
 */
int	jsonw_fixed6(struct buf *b, double v);

#endif
