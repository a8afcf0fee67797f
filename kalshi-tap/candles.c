/*
 * candles: Kalshi candlestick bodies into structs (see candles.h). Knows
 * three vintages of the price fields: "close_dollars" strings (current),
 * integer cents in "close" beside them (older), "close" as a dollar
 * string (historical). Pure; must not do I/O or keep state.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "candles.h"

/* A dollar amount: a string ("0.5600") or a number. -1 when neither. */
static int
dollars(const json_t *v, double *out)
{
	const char *s;
	char *end;
	double d;

	if (json_is_number(v))
		d = json_number_value(v);
	else if ((s = json_string_value(v)) != NULL && s[0] != '\0') {
		d = strtod(s, &end);
		if (*end != '\0')
			return -1;
	} else
		return -1;
	if (!isfinite(d))
		return -1;
	*out = d;
	return 0;
}

/* The closing price of a yes_bid/yes_ask/price object, any vintage. */
static int
close_of(const json_t *o, double *out)
{
	const json_t *c;
	double d;

	if (!json_is_object(o))
		return -1;
	if (dollars(json_object_get(o, "close_dollars"), &d) == 0) {
		*out = d;
		return 0;
	}
	c = json_object_get(o, "close");
	if (json_is_integer(c)) {
		/* Older vintage: integer cents. */
		*out = (double)json_integer_value(c) / 100.0;
		return 0;
	}
	if (json_is_string(c) && dollars(c, &d) == 0) {
		*out = d;	/* historical: dollars, no suffix */
		return 0;
	}
	return -1;
}

static int
count_of(const json_t *cd, const char *fp, const char *plain, double *out)
{
	double d;

	if (dollars(json_object_get(cd, fp), &d) != 0 &&
	    dollars(json_object_get(cd, plain), &d) != 0)
		return -1;
	if (d < 0 || d > 1e15)
		return -1;
	*out = d;
	return 0;
}

static int
price_ok(double d)
{
	return d >= 0.0 && d <= 1.0;
}

static int
one_candle(const json_t *cd, struct kalshi_candle *c)
{
	const json_t *ts = json_object_get(cd, "end_period_ts");

	memset(c, 0, sizeof(*c));
	if (!json_is_object(cd) || !json_is_integer(ts) ||
	    json_integer_value(ts) <= 0 ||
	    json_integer_value(ts) > 100000000000LL)
		return -1;
	c->end_ts = json_integer_value(ts);
	if (close_of(json_object_get(cd, "yes_bid"), &c->bid) != 0 ||
	    close_of(json_object_get(cd, "yes_ask"), &c->ask) != 0 ||
	    !price_ok(c->bid) || !price_ok(c->ask))
		return -1;
	c->has = KQ_BID | KQ_ASK;
	/* price.close is null in a minute without a trade. */
	if (close_of(json_object_get(cd, "price"), &c->last) == 0 &&
	    price_ok(c->last))
		c->has |= KQ_LAST;
	if (count_of(cd, "volume_fp", "volume", &c->volume) == 0)
		c->has |= KQ_VOLUME;
	if (count_of(cd, "open_interest_fp", "open_interest",
	    &c->open_interest) == 0)
		c->has |= KQ_OI;
	return 0;
}

static int
by_end(const void *a, const void *b)
{
	const struct kalshi_candle *x = a, *y = b;

	return (x->end_ts > y->end_ts) - (x->end_ts < y->end_ts);
}

int
kalshi_candles_parse(const json_t *doc, struct kalshi_candle *out, size_t n,
    size_t *skipped, struct errbuf *err)
{
	const json_t *arr = json_object_get(doc, "candlesticks");
	size_t i, k = 0, w;

	*skipped = 0;
	if (!json_is_array(arr))
		return errbuf_set(err, "no candlesticks array");
	if (n > KALSHI_CANDLES_MAX)
		n = KALSHI_CANDLES_MAX;
	for (i = 0; i < json_array_size(arr); i++) {
		if (k == n || one_candle(json_array_get(arr, i), &out[k]) != 0)
			(*skipped)++;
		else
			k++;
	}
	if (k == 0)
		return 0;
	/* Stable order for equal ends is not needed: keep one per end. */
	qsort(out, k, sizeof(*out), by_end);
	for (i = 1, w = 1; i < k; i++) {
		if (out[i].end_ts == out[w - 1].end_ts) {
			out[w - 1] = out[i];
			(*skipped)++;
		} else
			out[w++] = out[i];
	}
	return (int)w;
}

size_t
kalshi_candles_changes(struct kalshi_candle *c, size_t n,
    const struct kalshi_candle *prev)
{
	struct kalshi_candle last;
	int have = prev != NULL;
	size_t i, w = 0;

	if (prev != NULL)
		last = *prev;
	for (i = 0; i < n; i++) {
		if (have && c[i].bid == last.bid && c[i].ask == last.ask)
			continue;
		last = c[i];
		have = 1;
		c[w++] = c[i];
	}
	return w;
}

void
kalshi_candle_quote(const struct kalshi_candle *c, const char *ticker,
    struct kalshi_quote *q)
{
	memset(q, 0, sizeof(*q));
	snprintf(q->ticker, sizeof(q->ticker), "%s", ticker);
	q->has = (c->has & (KQ_BID | KQ_ASK | KQ_LAST | KQ_VOLUME | KQ_OI)) |
	    KQ_TS;
	q->bid = c->bid;
	q->ask = c->ask;
	q->last = c->last;
	q->volume = c->volume;
	q->open_interest = c->open_interest;
	q->ts = c->end_ts * 1000;
}
