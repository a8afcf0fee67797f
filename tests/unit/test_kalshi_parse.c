/*
 * test_kalshi_parse: the Kalshi parser on the real recorded frames (both
 * vintages: with the legacy integer fields, and the same frames with them
 * removed as the exchange did on 2026-03-12), REST bodies, and the lines.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "t.h"
#include "ndjson.h"
#include "kalshi-tap/kalshi_parse.h"

#define DIR "tests/data/kalshi/"

/* Calls fn on every line of a JSONL fixture; returns the line count. */
static int
each_line(const char *path, void (*fn)(int i, json_t *doc))
{
	size_t len;
	char *buf = t_slurp(path, &len), *p, *nl;
	int i = 0;

	T_CHECK(buf != NULL);
	if (buf == NULL)
		return 0;
	for (p = buf; *p != '\0'; p = nl + 1) {
		json_error_t jerr;
		json_t *doc;

		if ((nl = strchr(p, '\n')) == NULL)
			nl = p + strlen(p) - 1;
		doc = json_loadb(p, (size_t)(nl - p + 1), 0, &jerr);
		T_CHECK(doc != NULL);
		if (doc != NULL) {
			fn(i, doc);
			json_decref(doc);
		}
		i++;
		if (nl[0] == '\0' || nl[1] == '\0')
			break;
	}
	free(buf);
	return i;
}

static void
strip_legacy(json_t *doc)
{
	static const char *const legacy[] = { "price", "yes_bid", "yes_ask",
	    "volume", "open_interest", "dollar_volume", "dollar_open_interest",
	    "yes_price", "no_price", "count" };
	json_t *msg = json_object_get(doc, "msg");
	size_t i;

	for (i = 0; i < sizeof(legacy) / sizeof(legacy[0]); i++)
		json_object_del(msg, legacy[i]);
}

static int tickers_ok;

static void
check_ticker(int i, json_t *doc)
{
	struct kalshi_ws_msg a, b;
	struct errbuf err;
	json_t *modern;

	T_EQ_INT(kalshi_ws_parse(doc, &a, &err), 0);
	T_EQ_INT(a.type, KALSHI_MSG_TICKER);
	T_CHECK(a.has_sid && a.sid == 1);
	T_CHECK(!a.has_seq);	/* ticker frames carry no seq */
	T_EQ_INT(a.quote.has & (KQ_BID | KQ_ASK | KQ_LAST | KQ_BID_SIZE |
	    KQ_ASK_SIZE | KQ_VOLUME | KQ_OI | KQ_TS), 0xff);
	T_EQ_INT(a.quote.ts, 1770897976000LL);
	/* The modern vintage gives the very same quote. */
	modern = json_deep_copy(doc);
	strip_legacy(modern);
	T_EQ_INT(kalshi_ws_parse(modern, &b, &err), 0);
	T_EQ_STR(b.quote.ticker, a.quote.ticker);
	T_CHECK(kalshi_quote_same(&a.quote, &b.quote));
	T_EQ_INT(b.quote.ts, a.quote.ts);
	json_decref(modern);
	if (i == 0) {
		T_EQ_STR(a.quote.ticker, "KXXRP-26FEB1317-B1.3899500");
		T_NEAR(a.quote.bid, 0.04, 1e-12);
		T_NEAR(a.quote.ask, 0.95, 1e-12);
		T_NEAR(a.quote.last, 0.14, 1e-12);
		T_NEAR(a.quote.volume, 13446, 0);
		T_NEAR(a.quote.open_interest, 892, 0);
		T_NEAR(a.quote.bid_size, 14, 0);
		T_NEAR(a.quote.ask_size, 84, 0);
	}
	if (i == 1) {
		T_NEAR(a.quote.ask, 1.0, 0);
		T_NEAR(a.quote.ask_size, 0, 0);
	}
	tickers_ok++;
}

static int trades_ok;

static void
check_trade(int i, json_t *doc)
{
	static const long long seqs[] = { 10, 48, 49, 50, 51, 52, 53, 54, 55,
	    56 };
	struct kalshi_ws_msg a, b;
	struct errbuf err;
	json_t *modern;

	T_EQ_INT(kalshi_ws_parse(doc, &a, &err), 0);
	T_EQ_INT(a.type, KALSHI_MSG_TRADE);
	T_CHECK(a.has_sid && a.sid == 2);
	T_CHECK(a.has_seq && a.seq == seqs[i]);
	T_EQ_INT(a.trade.has, KT_PRICE | KT_COUNT | KT_TAKER | KT_TS);
	modern = json_deep_copy(doc);
	strip_legacy(modern);
	T_EQ_INT(kalshi_ws_parse(modern, &b, &err), 0);
	T_NEAR(b.trade.price, a.trade.price, 0);
	T_NEAR(b.trade.count, a.trade.count, 0);
	T_EQ_STR(b.trade.taker, a.trade.taker);
	json_decref(modern);
	if (i == 0) {
		T_EQ_STR(a.trade.ticker, "KXSOLD-26FEB1217-T79.9999");
		T_NEAR(a.trade.price, 0.77, 1e-12);
		T_NEAR(a.trade.count, 75, 0);
		T_EQ_STR(a.trade.taker, "yes");
		T_EQ_INT(a.trade.ts, 1770897981000LL);
	}
	if (i == 1)
		T_EQ_STR(a.trade.taker, "no");
	trades_ok++;
}

static int demo_i;

static void
check_demo(int i, json_t *doc)
{
	struct kalshi_ws_msg m;
	struct errbuf err;

	/* Lines 1-3 are real demo frames; 4-6 are someone's synthetic ones. */
	T_EQ_INT(kalshi_ws_parse(doc, &m, &err), 0);
	switch (i) {
	case 0:
		T_EQ_INT(m.type, KALSHI_MSG_SUBSCRIBED);
		T_EQ_STR(m.channel, "orderbook_delta");
		T_CHECK(m.has_sid && m.sid == 1 && m.has_id && m.id == 1);
		break;
	case 1:
		T_EQ_INT(m.type, KALSHI_MSG_SUBSCRIBED);
		T_EQ_STR(m.channel, "trade");
		T_CHECK(m.has_sid && m.sid == 2);
		break;
	case 2:
		T_EQ_INT(m.type, KALSHI_MSG_UNKNOWN);
		T_EQ_STR(m.type_name, "orderbook_snapshot");
		T_CHECK(m.has_seq && m.seq == 1);
		break;
	case 5:
		/* Old integer-cent shape: parses, but carries no price now. */
		T_EQ_INT(m.type, KALSHI_MSG_TRADE);
		T_EQ_INT(m.trade.has & KT_PRICE, 0);
		T_EQ_STR(m.trade.taker, "yes");
		break;
	default:
		break;
	}
	demo_i++;
}

static void
test_fixtures(void)
{
	T_EQ_INT(each_line(DIR "ws_ticker_prod_2026-02-12.jsonl", check_ticker),
	    10);
	T_EQ_INT(tickers_ok, 10);
	T_EQ_INT(each_line(DIR "ws_trade_prod_2026-02-12.jsonl", check_trade),
	    10);
	T_EQ_INT(trades_ok, 10);
	T_EQ_INT(each_line(DIR "ws_demo_samples_lines1-3_real_4-6_synthetic.jsonl",
	    check_demo), 6);
}

static void
test_control_frames(void)
{
	struct kalshi_ws_msg m;
	struct errbuf err;
	const char *ok = "{\"id\":124,\"sid\":456,\"seq\":222,\"type\":\"ok\","
	    "\"msg\":{\"market_tickers\":[\"A\",\"B\",\"C\"]}}";
	const char *er = "{\"id\":123,\"type\":\"error\",\"msg\":{\"code\":6,"
	    "\"msg\":\"Already subscribed\"}}";

	T_EQ_INT(kalshi_ws_parse_bytes(ok, strlen(ok), &m, &err), 0);
	T_EQ_INT(m.type, KALSHI_MSG_OK);
	T_CHECK(m.id == 124 && m.sid == 456 && m.seq == 222);
	T_EQ_INT(m.n_tickers, 3);
	T_EQ_INT(kalshi_ws_parse_bytes(er, strlen(er), &m, &err), 0);
	T_EQ_INT(m.type, KALSHI_MSG_ERROR);
	T_CHECK(m.has_code && m.code == 6);
	T_EQ_STR(m.errmsg, "Already subscribed");
	T_EQ_STR(kalshi_error_name(9), "authentication_required");
	T_EQ_STR(kalshi_error_name(0), "unknown");
	T_EQ_STR(kalshi_error_name(999999), "unknown");

	/* Malformed: not JSON, not an object, no type, ticker without msg. */
	T_EQ_INT(kalshi_ws_parse_bytes("{", 1, &m, &err), -1);
	T_EQ_INT(kalshi_ws_parse_bytes("[1]", 3, &m, &err), -1);
	T_EQ_INT(kalshi_ws_parse_bytes("{\"sid\":1}", 9, &m, &err), -1);
	T_EQ_INT(kalshi_ws_parse_bytes("{\"type\":\"ticker\"}", 17, &m, &err),
	    -1);
	T_EQ_INT(kalshi_ws_parse_bytes("{\"type\":\"ticker\",\"msg\":{}}", 26,
	    &m, &err), -1);
}

static void
test_optional_and_odd(void)
{
	struct kalshi_ws_msg m;
	struct errbuf err;
	/* Only a bid, on the $0.001 grid; junk values are ignored, not fatal. */
	const char *s = "{\"type\":\"ticker\",\"sid\":3,\"msg\":{"
	    "\"market_ticker\":\"KXNBAGAME-25MAY31NYKIND-IND\","
	    "\"yes_bid_dollars\":\"0.545\",\"yes_ask_dollars\":\"1e-1\","
	    "\"price_dollars\":\"nan\",\"volume_fp\":\"-3\","
	    "\"yes_bid_size_fp\":\"12.50\",\"ts_ms\":1748736371880,\"ts\":5}}";
	const char *t = "{\"type\":\"trade\",\"sid\":2,\"seq\":7,\"msg\":{"
	    "\"market_ticker\":\"X\",\"no_price_dollars\":\"0.4300\","
	    "\"taker_side\":\"maybe\"}}";

	T_EQ_INT(kalshi_ws_parse_bytes(s, strlen(s), &m, &err), 0);
	T_EQ_INT(m.quote.has, KQ_BID | KQ_BID_SIZE | KQ_TS);
	T_NEAR(m.quote.bid, 0.545, 1e-12);
	T_NEAR(m.quote.bid_size, 12.5, 0);
	T_EQ_INT(m.quote.ts, 1748736371880LL);
	T_EQ_INT(kalshi_ws_parse_bytes(t, strlen(t), &m, &err), 0);
	T_EQ_INT(m.trade.has, KT_PRICE);
	T_NEAR(m.trade.price, 0.57, 1e-12);
}

static void
test_rest(void)
{
	struct kalshi_market mk[4];
	struct errbuf err;
	char cursor[64];
	json_error_t jerr;
	json_t *doc;
	const char *page = "{\"cursor\":\"abc\",\"markets\":["
	    "{\"ticker\":\"KXNBAGAME-25MAY31NYKIND-IND\","
	    "\"event_ticker\":\"KXNBAGAME-25MAY31NYKIND\",\"status\":\"active\","
	    "\"yes_bid_dollars\":\"0.5400\",\"yes_ask_dollars\":\"0.5500\","
	    "\"last_price_dollars\":\"0.5500\",\"volume_fp\":\"9924.08\","
	    "\"yes_bid\":54},"
	    "{\"event_ticker\":\"no ticker\"},"
	    "{\"ticker\":\"KXNBAGAME-25MAY31NYKIND-NYK\","
	    "\"event_ticker\":\"KXNBAGAME-25MAY31NYKIND\"}]}";
	const char *one = "{\"market\":{\"ticker\":\"T-1\",\"status\":\"closed\","
	    "\"yes_bid_dollars\":\"0.0100\"}}";

	doc = json_loads(page, 0, &jerr);
	T_EQ_INT(kalshi_markets_parse(doc, mk, 4, cursor, sizeof(cursor), &err),
	    2);
	T_EQ_STR(cursor, "abc");
	T_EQ_STR(mk[0].status, "active");
	T_EQ_INT(mk[0].quote.has, KQ_BID | KQ_ASK | KQ_LAST | KQ_VOLUME);
	T_NEAR(mk[0].quote.volume, 9924.08, 1e-9);
	T_EQ_STR(mk[1].ticker, "KXNBAGAME-25MAY31NYKIND-NYK");
	T_EQ_INT(mk[1].quote.has, 0);
	/* Room for one only. */
	T_EQ_INT(kalshi_markets_parse(doc, mk, 1, cursor, sizeof(cursor), &err),
	    1);
	json_decref(doc);

	doc = json_loads(one, 0, &jerr);
	T_EQ_INT(kalshi_markets_parse(doc, mk, 4, cursor, sizeof(cursor), &err),
	    1);
	T_EQ_STR(mk[0].status, "closed");
	T_EQ_STR(cursor, "");
	json_decref(doc);

	doc = json_loads("{\"markets\":null,\"cursor\":\"\"}", 0, &jerr);
	T_EQ_INT(kalshi_markets_parse(doc, mk, 4, cursor, sizeof(cursor), &err),
	    0);
	json_decref(doc);
	doc = json_loads("{\"markets\":3}", 0, &jerr);
	T_EQ_INT(kalshi_markets_parse(doc, mk, 4, cursor, sizeof(cursor), &err),
	    -1);
	json_decref(doc);
	doc = json_loads("{}", 0, &jerr);
	T_EQ_INT(kalshi_markets_parse(doc, mk, 4, cursor, sizeof(cursor), &err),
	    -1);
	json_decref(doc);
}

static void
expect_line(json_t *line, const char *want)
{
	char *s;

	T_CHECK(line != NULL);
	if (line == NULL)
		return;
	s = ndjson_encode(line, NULL);
	T_EQ_STR(s, want);
	free(s);
	json_decref(line);
}

static void
test_lines(void)
{
	struct kalshi_market mk;
	struct kalshi_quote q;
	struct kalshi_trade tr;
	char team[16];

	memset(&mk, 0, sizeof(mk));
	strcpy(mk.ticker, "KXNBAGAME-25MAY31NYKIND-IND");
	strcpy(mk.event_ticker, "KXNBAGAME-25MAY31NYKIND");
	strcpy(mk.status, "active");
	expect_line(kalshi_market_line(&mk),
	    "{\"type\":\"market\",\"src\":\"kalshi\","
	    "\"ticker\":\"KXNBAGAME-25MAY31NYKIND-IND\","
	    "\"event_ticker\":\"KXNBAGAME-25MAY31NYKIND\",\"team\":\"IND\","
	    "\"status\":\"active\"}\n");
	T_CHECK(kalshi_ticker_ok("KXNBAGAME-25MAY31NYKIND-IND"));
	T_CHECK(kalshi_ticker_ok("KXXRP-26FEB1317-B1.3899500"));
	T_CHECK(!kalshi_ticker_ok(""));
	T_CHECK(!kalshi_ticker_ok("A,B"));
	T_CHECK(!kalshi_ticker_ok("A\"}],\"x"));
	T_CHECK(!kalshi_ticker_ok("A&cursor=1"));
	kalshi_market_team("A-B-C", "", team, sizeof(team));
	T_EQ_STR(team, "C");
	kalshi_market_team("NODASH", NULL, team, sizeof(team));
	T_EQ_STR(team, "");

	memset(&q, 0, sizeof(q));
	strcpy(q.ticker, "KXNBAGAME-25MAY31NYKIND-IND");
	q.has = KQ_BID | KQ_ASK | KQ_LAST | KQ_BID_SIZE | KQ_ASK_SIZE |
	    KQ_VOLUME | KQ_TS;
	q.bid = 0.54;
	q.ask = 0.55;
	q.last = 0.545;
	q.bid_size = 300;
	q.ask_size = 150;
	q.volume = 9924.08;
	q.ts = 1748736371880LL;
	expect_line(kalshi_quote_line(&q, 1748736371884LL),
	    "{\"type\":\"quote\",\"src\":\"kalshi\","
	    "\"ticker\":\"KXNBAGAME-25MAY31NYKIND-IND\",\"ts\":1748736371880,"
	    "\"recv_ts\":1748736371884,\"bid\":0.54,\"ask\":0.55,"
	    "\"last\":0.545,\"bid_size\":300,\"ask_size\":150,"
	    "\"volume\":9924.08}\n");
	q.has = KQ_ASK;
	expect_line(kalshi_quote_line(&q, 5),
	    "{\"type\":\"quote\",\"src\":\"kalshi\","
	    "\"ticker\":\"KXNBAGAME-25MAY31NYKIND-IND\",\"ts\":5,"
	    "\"recv_ts\":5,\"ask\":0.55}\n");

	memset(&tr, 0, sizeof(tr));
	strcpy(tr.ticker, "T");
	tr.has = KT_PRICE | KT_COUNT | KT_TAKER | KT_TS;
	tr.price = 0.55;
	tr.count = 136;
	strcpy(tr.taker, "yes");
	tr.ts = 1000;
	expect_line(kalshi_trade_line(&tr, 2000),
	    "{\"type\":\"trade\",\"src\":\"kalshi\",\"ticker\":\"T\","
	    "\"ts\":1000,\"recv_ts\":2000,\"price\":0.55,\"count\":136,"
	    "\"taker\":\"yes\"}\n");
}

int
main(void)
{
	test_fixtures();
	test_control_frames();
	test_optional_and_odd();
	test_rest();
	test_lines();
	return t_done("test_kalshi_parse");
}
