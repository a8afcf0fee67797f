/*
 * kalshi_parse: Kalshi WS frames and REST market bodies into structs, and
 * structs into stream lines. Pure: no I/O, no globals. Every upstream field
 * is optional; the legacy integer-cent fields are never read.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "kalshi_parse.h"
#include "strcopy.h"

/* Prices are probabilities; counts are bounded so they stay exact. */
#define MAX_COUNT	1e15

/*
 * A plain decimal string as Kalshi sends it: digits, an optional point and
 * digits, an optional leading '-'. No exponent, no spaces, no hex, no
 * "nan": strtod alone would take all of those.
 */
static int
parse_decimal(const char *s, double *out)
{
	const char *p = s;
	int digits = 0;
	char *end;
	double v;

	if (*p == '-')
		p++;
	while (isdigit((unsigned char)*p)) {
		p++;
		digits++;
	}
	if (*p == '.') {
		p++;
		while (isdigit((unsigned char)*p)) {
			p++;
			digits++;
		}
	}
	if (*p != '\0' || digits == 0 || p - s > 40)
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || *end != '\0' || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

/* A string field parsed as a decimal; 0 when present and good. */
static int
get_decimal(const json_t *obj, const char *key, double *out)
{
	const json_t *v = json_object_get(obj, key);

	if (!json_is_string(v))
		return -1;
	return parse_decimal(json_string_value(v), out);
}

/* obj's decimal string member key, when it is 0 to max: 0, else -1. */
static int
get_upto(const json_t *obj, const char *key, double max, double *out)
{
	double v;

	if (get_decimal(obj, key, &v) != 0 || v < 0 || v > max)
		return -1;
	*out = v;
	return 0;
}

/* A price in dollars (= probability). */
static int
get_price(const json_t *obj, const char *key, double *out)
{
	return get_upto(obj, key, 1, out);
}

/* A count of contracts. */
static int
get_count(const json_t *obj, const char *key, double *out)
{
	return get_upto(obj, key, MAX_COUNT, out);
}

static int
get_int(const json_t *obj, const char *key, long long *out)
{
	const json_t *v = json_object_get(obj, key);

	if (!json_is_integer(v))
		return -1;
	*out = (long long)json_integer_value(v);
	return 0;
}

/*
 * Event time: ts_ms when present (2026-04 and later), else ts in seconds.
 * Values outside 2000..2200 are ignored rather than trusted.
 */
static int
get_ts(const json_t *obj, int64_t *out)
{
	const long long lo = 946684800000LL, hi = 7258118400000LL;
	long long v;

	if (get_int(obj, "ts_ms", &v) == 0 && v >= lo && v < hi) {
		*out = v;
		return 0;
	}
	if (get_int(obj, "ts", &v) == 0 && v >= lo / 1000 && v < hi / 1000) {
		*out = v * 1000;
		return 0;
	}
	return -1;
}

/*
 * A quote's numbers, in the order of a quote line: where it is kept, its
 * key upstream (NULL: the caller's, since the WS ticker and the REST
 * market name the last price differently), its key in the line, the bit
 * saying it was there, and whether it is a count of contracts (else a
 * price in dollars). Parsing, writing and comparing quotes go by it.
 */
static const struct qfield {
	size_t		 off;
	const char	*wire;
	const char	*key;
	unsigned	 bit;
	int		 count;
} qfields[] = {
	{ offsetof(struct kalshi_quote, bid), "yes_bid_dollars", "bid",
	    KQ_BID, 0 },
	{ offsetof(struct kalshi_quote, ask), "yes_ask_dollars", "ask",
	    KQ_ASK, 0 },
	{ offsetof(struct kalshi_quote, last), NULL, "last", KQ_LAST, 0 },
	{ offsetof(struct kalshi_quote, bid_size), "yes_bid_size_fp",
	    "bid_size", KQ_BID_SIZE, 1 },
	{ offsetof(struct kalshi_quote, ask_size), "yes_ask_size_fp",
	    "ask_size", KQ_ASK_SIZE, 1 },
	{ offsetof(struct kalshi_quote, volume), "volume_fp", "volume",
	    KQ_VOLUME, 1 },
	{ offsetof(struct kalshi_quote, open_interest), "open_interest_fp",
	    "open_interest", KQ_OI, 1 },
};
#define NQFIELDS	(sizeof(qfields) / sizeof(qfields[0]))

/* The number f names in q (copied: no cast of q's bytes to a double). */
static double
qget(const struct kalshi_quote *q, const struct qfield *f)
{
	double v;

	memcpy(&v, (const char *)q + f->off, sizeof(v));
	return v;
}

/* Reads the quote fields common to the WS ticker and the REST market. */
static void
quote_fields(const json_t *o, struct kalshi_quote *q, const char *last_key)
{
	const struct qfield *f;
	double v;

	for (f = qfields; f < qfields + NQFIELDS; f++)
		if (get_upto(o, f->wire != NULL ? f->wire : last_key,
		    f->count ? MAX_COUNT : 1, &v) == 0) {
			memcpy((char *)q + f->off, &v, sizeof(v));
			q->has |= f->bit;
		}
	if (get_ts(o, &q->ts) == 0)
		q->has |= KQ_TS;
}

static int
parse_ticker(const json_t *msg, struct kalshi_quote *q, struct errbuf *err)
{
	const char *t = json_string_value(json_object_get(msg, "market_ticker"));

	if (t == NULL || *t == '\0' || strlen(t) >= KALSHI_TICKER_MAX)
		return errbuf_set(err, "msg.market_ticker: missing or too long");
	strcopy(q->ticker, sizeof(q->ticker), t);
	/* The WS ticker calls the last trade price "price_dollars". */
	quote_fields(msg, q, "price_dollars");
	return 0;
}

static int
parse_trade(const json_t *msg, struct kalshi_trade *tr, struct errbuf *err)
{
	const char *t = json_string_value(json_object_get(msg, "market_ticker"));
	const char *side;
	double no;

	if (t == NULL || *t == '\0' || strlen(t) >= KALSHI_TICKER_MAX)
		return errbuf_set(err, "msg.market_ticker: missing or too long");
	strcopy(tr->ticker, sizeof(tr->ticker), t);
	if (get_price(msg, "yes_price_dollars", &tr->price) == 0)
		tr->has |= KT_PRICE;
	else if (get_price(msg, "no_price_dollars", &no) == 0) {
		/* Integer cents vanished from the wire; a no price is 1 - yes. */
		tr->price = round((1.0 - no) * 10000.0) / 10000.0;
		tr->has |= KT_PRICE;
	}
	if (get_count(msg, "count_fp", &tr->count) == 0)
		tr->has |= KT_COUNT;
	side = json_string_value(json_object_get(msg, "taker_side"));
	if (side != NULL && (strcmp(side, "yes") == 0 || strcmp(side, "no") == 0)) {
		strcopy(tr->taker, sizeof(tr->taker), side);
		tr->has |= KT_TAKER;
	}
	if (get_ts(msg, &tr->ts) == 0)
		tr->has |= KT_TS;
	return 0;
}

int
kalshi_ws_parse(const json_t *doc, struct kalshi_ws_msg *m, struct errbuf *err)
{
	const json_t *msg;
	const char *type, *s;
	const json_t *arr;

	memset(m, 0, sizeof(*m));
	if (!json_is_object(doc))
		return errbuf_set(err, "frame: not an object");
	type = json_string_value(json_object_get(doc, "type"));
	if (type == NULL)
		return errbuf_set(err, "type: missing");
	strcopy(m->type_name, sizeof(m->type_name), type);
	m->has_id = get_int(doc, "id", &m->id) == 0;
	m->has_sid = get_int(doc, "sid", &m->sid) == 0;
	m->has_seq = get_int(doc, "seq", &m->seq) == 0;
	msg = json_object_get(doc, "msg");
	if (msg != NULL && !json_is_object(msg))
		msg = NULL;

	if (strcmp(type, "ticker") == 0) {
		m->type = KALSHI_MSG_TICKER;
		if (msg == NULL)
			return errbuf_set(err, "msg: missing");
		return parse_ticker(msg, &m->quote, err);
	}
	if (strcmp(type, "trade") == 0) {
		m->type = KALSHI_MSG_TRADE;
		if (msg == NULL)
			return errbuf_set(err, "msg: missing");
		return parse_trade(msg, &m->trade, err);
	}
	if (strcmp(type, "subscribed") == 0) {
		m->type = KALSHI_MSG_SUBSCRIBED;
		if (msg != NULL) {
			/* The sid of a new subscription is inside msg. */
			if (!m->has_sid)
				m->has_sid = get_int(msg, "sid", &m->sid) == 0;
			if ((s = json_string_value(json_object_get(msg,
			    "channel"))) != NULL)
				strcopy(m->channel, sizeof(m->channel), s);
		}
		return 0;
	}
	if (strcmp(type, "unsubscribed") == 0) {
		m->type = KALSHI_MSG_UNSUBSCRIBED;
		return 0;
	}
	if (strcmp(type, "ok") == 0) {
		m->type = KALSHI_MSG_OK;
		if (msg != NULL && json_is_array(arr = json_object_get(msg,
		    "market_tickers")))
			m->n_tickers = json_array_size(arr);
		return 0;
	}
	if (strcmp(type, "error") == 0) {
		m->type = KALSHI_MSG_ERROR;
		if (msg != NULL) {
			m->has_code = get_int(msg, "code", &m->code) == 0;
			if ((s = json_string_value(json_object_get(msg,
			    "msg"))) != NULL)
				strcopy(m->errmsg, sizeof(m->errmsg), s);
		}
		return 0;
	}
	m->type = KALSHI_MSG_UNKNOWN;
	return 0;
}

int
kalshi_ws_parse_bytes(const char *buf, size_t len, struct kalshi_ws_msg *m,
    struct errbuf *err)
{
	json_error_t jerr;
	json_t *doc;
	int rc;

	memset(m, 0, sizeof(*m));
	doc = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
	if (doc == NULL)
		return errbuf_set(err, "frame: %s", jerr.text);
	rc = kalshi_ws_parse(doc, m, err);
	json_decref(doc);
	return rc;
}

const char *
kalshi_error_name(long long code)
{
	static const char *const names[] = {
		[1] = "unable_to_process_message",
		[2] = "params_required",
		[3] = "channels_required",
		[4] = "subscription_ids_required",
		[5] = "unknown_command",
		[6] = "retired",
		[7] = "unknown_subscription_id",
		[8] = "unknown_channel_name",
		[9] = "authentication_required",
		[10] = "channel_error",
		[11] = "invalid_parameter",
		[12] = "exactly_one_subscription_id_required",
		[13] = "unsupported_action",
		[14] = "market_ticker_required",
		[15] = "action_required",
		[16] = "market_not_found",
		[17] = "internal_error",
	};

	if (code < 1 || code >= (long long)(sizeof(names) / sizeof(names[0])))
		return "unknown";
	return names[code];
}

static int
parse_market(const json_t *o, struct kalshi_market *m)
{
	const char *t = json_string_value(json_object_get(o, "ticker"));
	const char *s;

	memset(m, 0, sizeof(*m));
	if (t == NULL || *t == '\0' || strlen(t) >= KALSHI_TICKER_MAX)
		return -1;
	strcopy(m->ticker, sizeof(m->ticker), t);
	strcopy(m->quote.ticker, sizeof(m->quote.ticker), t);
	if ((s = json_string_value(json_object_get(o, "event_ticker"))) != NULL)
		strcopy(m->event_ticker, sizeof(m->event_ticker), s);
	if ((s = json_string_value(json_object_get(o, "status"))) != NULL)
		strcopy(m->status, sizeof(m->status), s);
	/* REST calls the last trade price "last_price_dollars". */
	quote_fields(o, &m->quote, "last_price_dollars");
	/* REST has no event time of its own: the poller stamps it. */
	m->quote.has &= ~(unsigned)KQ_TS;
	return 0;
}

int
kalshi_markets_parse(const json_t *doc, struct kalshi_market *out, size_t n,
    char *cursor, size_t cursor_len, struct errbuf *err)
{
	const json_t *arr, *one, *v;
	const char *c;
	size_t i, k = 0;

	if (cursor != NULL && cursor_len > 0)
		cursor[0] = '\0';
	if (!json_is_object(doc))
		return errbuf_set(err, "body: not an object");
	if ((one = json_object_get(doc, "market")) != NULL) {
		if (!json_is_object(one))
			return errbuf_set(err, "market: not an object");
		if (n == 0)
			return 0;
		if (parse_market(one, &out[0]) != 0)
			return errbuf_set(err, "market.ticker: missing");
		return 1;
	}
	arr = json_object_get(doc, "markets");
	if (arr == NULL || json_is_null(arr))
		arr = NULL;	/* an empty page may come as null */
	else if (!json_is_array(arr))
		return errbuf_set(err, "markets: not an array");
	if (arr == NULL && json_object_get(doc, "cursor") == NULL)
		return errbuf_set(err, "markets: missing");
	if (cursor != NULL && cursor_len > 0 &&
	    (c = json_string_value(json_object_get(doc, "cursor"))) != NULL)
		strcopy(cursor, cursor_len, c);
	if (arr == NULL)
		return 0;
	json_array_foreach(arr, i, v) {
		if (k >= n)
			break;
		if (!json_is_object(v) || parse_market(v, &out[k]) != 0)
			continue;
		k++;
	}
	return (int)k;
}

void
kalshi_market_team(const char *ticker, const char *event_ticker, char *out,
    size_t len)
{
	size_t el = event_ticker ? strlen(event_ticker) : 0;
	const char *p;

	if (len == 0)
		return;
	out[0] = '\0';
	if (ticker == NULL)
		return;
	if (el > 0 && strncmp(ticker, event_ticker, el) == 0 &&
	    ticker[el] == '-' && ticker[el + 1] != '\0') {
		strcopy(out, len, ticker + el + 1);
		return;
	}
	if ((p = strrchr(ticker, '-')) != NULL && p[1] != '\0')
		strcopy(out, len, p + 1);
}

static int
set_new(json_t *o, const char *key, json_t *v)
{
	return v == NULL ? -1 : json_object_set_new(o, key, v);
}

/* A count as an integer when it is whole (300, not 300.0). */
static json_t *
count_json(double v)
{
	if (v == floor(v) && fabs(v) < MAX_COUNT)
		return json_integer((json_int_t)v);
	return json_real(v);
}

/*
 * A new line object with its type, src and ticker (in that order), or
 * NULL when out of memory; *bad set when one of them failed.
 */
static json_t *
line_new(const char *type, const char *ticker, int *bad)
{
	json_t *o = json_object();

	if (o == NULL)
		return NULL;
	*bad |= set_new(o, "type", json_string(type));
	*bad |= set_new(o, "src", json_string("kalshi"));
	*bad |= set_new(o, "ticker", json_string(ticker));
	return o;
}

/* line_new with the tick's ts and the time it came, recv_ts. */
static json_t *
tick_new(const char *type, const char *ticker, int64_t ts, int64_t recv_ts,
    int *bad)
{
	json_t *o = line_new(type, ticker, bad);

	if (o == NULL)
		return NULL;
	*bad |= set_new(o, "ts", json_integer(ts));
	*bad |= set_new(o, "recv_ts", json_integer(recv_ts));
	return o;
}

/* o, or NULL (o released) when a member of it failed. Takes o. */
static json_t *
line_done(json_t *o, int bad)
{
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *
kalshi_market_line(const struct kalshi_market *m)
{
	char team[KALSHI_TICKER_MAX];
	json_t *o;
	int bad = 0;

	if ((o = line_new("market", m->ticker, &bad)) == NULL)
		return NULL;
	kalshi_market_team(m->ticker, m->event_ticker, team, sizeof(team));
	if (m->event_ticker[0] != '\0')
		bad |= set_new(o, "event_ticker", json_string(m->event_ticker));
	if (team[0] != '\0')
		bad |= set_new(o, "team", json_string(team));
	if (m->status[0] != '\0')
		bad |= set_new(o, "status", json_string(m->status));
	return line_done(o, bad);
}

json_t *
kalshi_quote_line(const struct kalshi_quote *q, int64_t recv_ts)
{
	const struct qfield *f;
	json_t *o;
	int bad = 0;

	if ((o = tick_new("quote", q->ticker, (q->has & KQ_TS) ? q->ts : recv_ts,
	    recv_ts, &bad)) == NULL)
		return NULL;
	for (f = qfields; f < qfields + NQFIELDS; f++)
		if (q->has & f->bit)
			bad |= set_new(o, f->key, f->count ?
			    count_json(qget(q, f)) : json_real(qget(q, f)));
	return line_done(o, bad);
}

json_t *
kalshi_trade_line(const struct kalshi_trade *t, int64_t recv_ts)
{
	json_t *o;
	int bad = 0;

	if ((o = tick_new("trade", t->ticker, (t->has & KT_TS) ? t->ts : recv_ts,
	    recv_ts, &bad)) == NULL)
		return NULL;
	if (t->has & KT_PRICE)
		bad |= set_new(o, "price", json_real(t->price));
	if (t->has & KT_COUNT)
		bad |= set_new(o, "count", count_json(t->count));
	if (t->has & KT_TAKER)
		bad |= set_new(o, "taker", json_string(t->taker));
	return line_done(o, bad);
}

int
kalshi_quote_same(const struct kalshi_quote *a, const struct kalshi_quote *b)
{
	unsigned h = a->has & ~(unsigned)KQ_TS;
	const struct qfield *f;

	if (h != (b->has & ~(unsigned)KQ_TS))
		return 0;
	for (f = qfields; f < qfields + NQFIELDS; f++)
		if ((h & f->bit) && qget(a, f) != qget(b, f))
			return 0;
	return 1;
}

int
kalshi_ticker_ok(const char *s)
{
	size_t n = 0;

	for (; s[n] != '\0'; n++)
		if (!isalnum((unsigned char)s[n]) && s[n] != '.' &&
		    s[n] != '_' && s[n] != '-')
			return 0;
	return n > 0 && n < KALSHI_TICKER_MAX;
}
