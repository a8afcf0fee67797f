/*
 * ksim_candles: the simulator's minute candles (see ksim_candles.h), in
 * Kalshi's current shape (*_dollars strings, *_fp counts) or the older
 * one (integer cents beside them). Holds at most MAX_CANDLES a market;
 * later minutes are then not recorded (a test game is far shorter).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ksim_candles.h"

#define MAX_CANDLES	2880	/* two days of minutes */

struct candle {
	int64_t	end_s;
	double	bo, bl, bh, bc, ao, al, ah, ac;
	double	po, pl, ph, pc, psum;
	long	trades;
	double	volume, oi;
};

static struct candle C[2][MAX_CANDLES];
static size_t NC[2];
static long long served;

void
ksim_candles_record(int i, int64_t ts_ms, double bid, double ask,
    int traded, double last, double volume, double oi)
{
	int64_t end = (ts_ms / 60000) * 60 + 60;
	struct candle *c;

	if (i < 0 || i > 1)
		return;
	c = NC[i] > 0 ? &C[i][NC[i] - 1] : NULL;
	if (c == NULL || c->end_s != end) {
		if (NC[i] == MAX_CANDLES || (c != NULL && end < c->end_s))
			return;
		c = &C[i][NC[i]++];
		memset(c, 0, sizeof(*c));
		c->end_s = end;
		c->bo = c->bl = c->bh = bid;
		c->ao = c->al = c->ah = ask;
	}
	c->bc = bid;
	c->ac = ask;
	c->bl = fmin(c->bl, bid);
	c->bh = fmax(c->bh, bid);
	c->al = fmin(c->al, ask);
	c->ah = fmax(c->ah, ask);
	if (traded) {
		if (c->trades == 0)
			c->po = c->pl = c->ph = last;
		c->pl = fmin(c->pl, last);
		c->ph = fmax(c->ph, last);
		c->pc = last;
		c->psum += last;
		c->trades++;
	}
	c->volume = volume;
	c->oi = oi;
}

static json_t *
dollars(double v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%.4f", v);
	return json_string(buf);
}

static json_t *
fp(double v)
{
	char buf[48];

	snprintf(buf, sizeof(buf), "%.2f", v);
	return json_string(buf);
}

/* {open,low,high,close}_dollars (and, older, integer cents). */
static json_t *
ohlc(double o, double l, double h, double c, enum ksim_format fmt)
{
	json_t *j = json_pack("{s:o, s:o, s:o, s:o}", "open_dollars",
	    dollars(o), "low_dollars", dollars(l), "high_dollars", dollars(h),
	    "close_dollars", dollars(c));

	if (fmt == KSIM_OLDER) {
		json_object_set_new(j, "open", json_integer(lround(o * 100)));
		json_object_set_new(j, "low", json_integer(lround(l * 100)));
		json_object_set_new(j, "high", json_integer(lround(h * 100)));
		json_object_set_new(j, "close", json_integer(lround(c * 100)));
	}
	return j;
}

static json_t *
price(const struct candle *c, double prev, enum ksim_format fmt)
{
	static const char *const k[] = { "open", "low", "high", "close",
	    "mean", "previous", "min", "max" };
	double v[8];
	json_t *j = json_object();
	char key[32];
	size_t n;

	v[0] = c->po, v[1] = c->pl, v[2] = c->ph, v[3] = c->pc;
	v[4] = c->trades ? c->psum / (double)c->trades : 0;
	v[5] = prev, v[6] = c->pl, v[7] = c->ph;
	for (n = 0; n < 8; n++) {
		int null = c->trades == 0 && !(n == 5 && prev >= 0);

		snprintf(key, sizeof(key), "%s_dollars", k[n]);
		json_object_set_new(j, key, null ? json_null() : dollars(v[n]));
		if (fmt == KSIM_OLDER)
			json_object_set_new(j, k[n], null ? json_null() :
			    json_integer(lround(v[n] * 100)));
	}
	return j;
}

json_t *
ksim_candles_body(int i, const char *ticker, int64_t from_s, int64_t to_s,
    enum ksim_format fmt, long long drop_ask)
{
	json_t *arr = json_array();
	double prev = -1;
	size_t k;

	for (k = 0; i >= 0 && i <= 1 && k < NC[i]; k++) {
		const struct candle *c = &C[i][k];
		json_t *o;

		if (c->end_s >= from_s && c->end_s <= to_s) {
			o = json_pack("{s:I, s:o, s:o, s:o, s:o, s:o}",
			    "end_period_ts", (json_int_t)c->end_s, "yes_bid",
			    ohlc(c->bo, c->bl, c->bh, c->bc, fmt), "yes_ask",
			    ohlc(c->ao, c->al, c->ah, c->ac, fmt), "price",
			    price(c, prev, fmt), "volume_fp", fp(c->volume),
			    "open_interest_fp", fp(c->oi));
			if (fmt == KSIM_OLDER) {
				json_object_set_new(o, "volume",
				    json_integer((json_int_t)c->volume));
				json_object_set_new(o, "open_interest",
				    json_integer((json_int_t)c->oi));
			}
			if (++served == drop_ask)
				json_object_del(o, "yes_ask");
			json_array_append_new(arr, o);
		}
		if (c->trades > 0)
			prev = c->pc;
	}
	return json_pack("{s:s, s:o}", "ticker", ticker, "candlesticks", arr);
}
