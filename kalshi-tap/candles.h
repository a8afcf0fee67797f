/*
 * candles: Kalshi's one-minute candlestick bodies (GET .../candlesticks,
 * the current, the older integer-cent and the historical vintages) into
 * structs, and which of them are worth a backfilled quote line. Pure: no
 * I/O, no globals, no allocation; never writes past the caller's arrays.
 */
#ifndef KALSHI_CANDLES_H
#define KALSHI_CANDLES_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "errbuf.h"
#include "kalshi_parse.h"

#define KALSHI_CANDLES_MAX	10000	/* Kalshi's own bound per call */

/* One minute of one market. has: KQ_BID|KQ_ASK always, KQ_LAST (a trade
 * in the minute), KQ_VOLUME, KQ_OI when present. Prices in dollars. */
struct kalshi_candle {
	int64_t		end_ts;		/* end_period_ts, Unix seconds */
	unsigned	has;
	double		bid, ask, last, volume, open_interest;
};

/*
 * Parses {"candlesticks":[...]}. Borrows doc. Fills at most n candles,
 * sorted by end_ts (a repeated end_ts keeps the later entry); an entry
 * without end_period_ts or a closing bid and ask in [0, 1] is skipped and
 * counted in *skipped (entries past n too). Returns the count, or -1 with
 * err set when doc has no candlesticks array.
 */
int	kalshi_candles_parse(const json_t *doc, struct kalshi_candle *out,
	    size_t n, size_t *skipped, struct errbuf *err);

/*
 * Keeps, in place, the candles whose closing bid or ask differs from the
 * candle before (the first always counts unless it matches *prev; prev
 * NULL: none). Returns how many are left at the front of c.
 */
size_t	kalshi_candles_changes(struct kalshi_candle *c, size_t n,
	    const struct kalshi_candle *prev);

/* The quote of candle c for ticker: ts = end_ts * 1000. */
void	kalshi_candle_quote(const struct kalshi_candle *c, const char *ticker,
	    struct kalshi_quote *q);

#endif
