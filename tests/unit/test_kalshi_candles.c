/*
 * test_kalshi_candles: the candlestick parser on the three vintages of
 * tests/data/kalshi/candles_*_synthetic.json (the same minutes give the
 * same candles), quiet and no-trade minutes, a candle with missing fields
 * skipped and counted, bodies that are not candles, the quotes made.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "t.h"
#include "kalshi-tap/candles.h"

#define DIR "tests/data/kalshi/"
#define T0 1780268460LL

static json_t *
load(const char *name)
{
	json_error_t jerr;
	json_t *doc = json_load_file(name, 0, &jerr);

	T_CHECK(doc != NULL);
	return doc;
}

/* The first four minutes, as every vintage has them. */
static void
check_four(const struct kalshi_candle *c)
{
	T_EQ_INT(c[0].end_ts, T0);
	T_NEAR(c[0].bid, 0.55, 1e-12);
	T_NEAR(c[0].ask, 0.56, 1e-12);
	T_CHECK(c[0].has & KQ_LAST);
	T_NEAR(c[0].last, 0.56, 1e-12);
	T_CHECK(c[0].has & KQ_VOLUME);
	T_NEAR(c[0].volume, 120, 0);
	T_NEAR(c[0].open_interest, 60, 0);
	T_EQ_INT(c[1].end_ts, T0 + 60);
	T_CHECK(!(c[1].has & KQ_LAST));	/* no trade in the minute */
	T_NEAR(c[2].bid, 0.57, 1e-12);
	T_NEAR(c[3].ask, 0.61, 1e-12);
	T_NEAR(c[3].volume, 300, 0);
}

static void
test_vintages(void)
{
	static const char *const files[] = { DIR "candles_current_synthetic.json",
	    DIR "candles_older_synthetic.json",
	    DIR "candles_historical_synthetic.json" };
	struct kalshi_candle c[16];
	struct errbuf err;
	size_t i, skipped;
	json_t *doc;
	int n;

	for (i = 0; i < 3; i++) {
		if ((doc = load(files[i])) == NULL)
			continue;
		n = kalshi_candles_parse(doc, c, 16, &skipped, &err);
		T_EQ_INT(n, i == 0 ? 5 : 4);
		/* current: the minute without yes_ask is skipped, counted. */
		T_EQ_INT(skipped, i == 0 ? 1 : 0);
		if (n >= 4)
			check_four(c);
		json_decref(doc);
	}
}

static void
test_changes(void)
{
	struct kalshi_candle c[16], prev;
	struct kalshi_quote q;
	struct errbuf err;
	size_t skipped, k;
	json_t *doc;
	int n;

	if ((doc = load(DIR "candles_current_synthetic.json")) == NULL)
		return;
	n = kalshi_candles_parse(doc, c, 16, &skipped, &err);
	json_decref(doc);
	T_EQ_INT(n, 5);
	/* Minute 2 repeats minute 1's bid/ask; minute 6 repeats nothing. */
	k = kalshi_candles_changes(c, (size_t)n, NULL);
	T_EQ_INT(k, 4);
	T_EQ_INT(c[0].end_ts, T0);
	T_EQ_INT(c[1].end_ts, T0 + 120);
	T_EQ_INT(c[2].end_ts, T0 + 180);
	T_EQ_INT(c[3].end_ts, T0 + 300);
	/* A previous candle equal to the first drops it too. */
	prev = c[0];
	T_EQ_INT(kalshi_candles_changes(c, k, &prev), 3);
	kalshi_candle_quote(&c[0], "KX-A", &q);
	T_EQ_STR(q.ticker, "KX-A");
	T_EQ_INT(q.ts, (T0 + 120) * 1000);
	T_CHECK(q.has & KQ_TS);
	T_CHECK(!(q.has & KQ_LAST));
	T_NEAR(q.bid, 0.57, 1e-12);
}

static void
test_bad(void)
{
	static const char *const bodies[] = { "{}", "[]",
	    "{\"candlesticks\":{}}", "{\"candlesticks\":\"x\"}" };
	struct kalshi_candle c[4];
	struct errbuf err;
	json_error_t jerr;
	size_t i, skipped;
	json_t *doc;

	for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		doc = json_loads(bodies[i], 0, &jerr);
		T_EQ_INT(kalshi_candles_parse(doc, c, 4, &skipped, &err), -1);
		json_decref(doc);
	}
	/* Odd entries: skipped and counted; the bound is kept. */
	doc = json_loads("{\"candlesticks\":[1, null, {},"
	    "{\"end_period_ts\":\"5\",\"yes_bid\":{\"close\":5},"
	    "\"yes_ask\":{\"close\":6}},"
	    "{\"end_period_ts\":60,\"yes_bid\":{\"close\":500},"
	    "\"yes_ask\":{\"close\":6}},"
	    "{\"end_period_ts\":60,\"yes_bid\":{\"close_dollars\":\"x1\"},"
	    "\"yes_ask\":{\"close\":6}},"
	    "{\"end_period_ts\":120,\"yes_bid\":{\"close\":5},"
	    "\"yes_ask\":{\"close\":6}},"
	    "{\"end_period_ts\":60,\"yes_bid\":{\"close\":4},"
	    "\"yes_ask\":{\"close\":6}},"
	    "{\"end_period_ts\":180,\"yes_bid\":{\"close\":4},"
	    "\"yes_ask\":{\"close\":6}}]}", 0, &jerr);
	T_CHECK(doc != NULL);
	T_EQ_INT(kalshi_candles_parse(doc, c, 2, &skipped, &err), 2);
	T_EQ_INT(skipped, 7);
	T_EQ_INT(c[0].end_ts, 60);	/* sorted */
	T_NEAR(c[0].bid, 0.04, 1e-12);
	T_EQ_INT(c[1].end_ts, 120);
	json_decref(doc);
}

int
main(void)
{
	test_vintages();
	test_changes();
	test_bad();
	return t_done("test_kalshi_candles");
}
