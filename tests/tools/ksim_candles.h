/*
 * ksim_candles: kalshi-sim's one-minute candlesticks, built from the
 * prices it has set so far (sent or, before --start-offset, replayed
 * unsent), and the REST body that serves them. Test code: SYNTHETIC
 * prices only; owns its arrays, never touches the sockets.
 */
#ifndef KSIM_CANDLES_H
#define KSIM_CANDLES_H

#include <stdint.h>

#include <jansson.h>

enum ksim_format { KSIM_CURRENT, KSIM_OLDER };

/* Records a price of market i (0 or 1) at ts_ms; traded: last is a
 * trade's price in this update. */
void	ksim_candles_record(int i, int64_t ts_ms, double bid, double ask,
	    int traded, double last, double volume, double oi);

/* Returns a new {"ticker":..., "candlesticks":[...]} with the candles of
 * market i whose end_period_ts is in [from_s, to_s]; the drop_ask-th
 * candle overall (1-based, 0 none) lacks yes_ask. */
json_t	*ksim_candles_body(int i, const char *ticker, int64_t from_s,
	    int64_t to_s, enum ksim_format fmt, long long drop_ask);

#endif
