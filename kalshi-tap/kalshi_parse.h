/*
 * kalshi_parse: Kalshi WebSocket frames and REST market bodies into
 * structs, and those structs into courtside stream lines. Pure: json_t in,
 * structs or json_t out; no I/O, no globals, no allocation but the lines.
 */
#ifndef KALSHI_PARSE_H
#define KALSHI_PARSE_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "errbuf.h"

#define KALSHI_TICKER_MAX	96	/* market or event ticker, with NUL */
#define KALSHI_STATUS_MAX	24

/* Which fields of a quote were present upstream (every one is optional). */
enum {
	KQ_BID		= 1 << 0,
	KQ_ASK		= 1 << 1,
	KQ_LAST		= 1 << 2,
	KQ_BID_SIZE	= 1 << 3,
	KQ_ASK_SIZE	= 1 << 4,
	KQ_VOLUME	= 1 << 5,
	KQ_OI		= 1 << 6,
	KQ_TS		= 1 << 7,
};

/* Prices in dollars (= probability), counts in contracts. */
struct kalshi_quote {
	char		ticker[KALSHI_TICKER_MAX];
	unsigned	has;		/* KQ_* */
	double		bid, ask, last;
	double		bid_size, ask_size;
	double		volume, open_interest;
	int64_t		ts;		/* ms since the epoch */
};

enum {
	KT_PRICE	= 1 << 0,
	KT_COUNT	= 1 << 1,
	KT_TAKER	= 1 << 2,
	KT_TS		= 1 << 3,
};

struct kalshi_trade {
	char		ticker[KALSHI_TICKER_MAX];
	unsigned	has;		/* KT_* */
	double		price;		/* yes price */
	double		count;
	char		taker[4];	/* "yes" or "no" */
	int64_t		ts;		/* ms */
};

enum kalshi_msg_type {
	KALSHI_MSG_UNKNOWN = 0,		/* valid JSON object, type not handled */
	KALSHI_MSG_TICKER,
	KALSHI_MSG_TRADE,
	KALSHI_MSG_SUBSCRIBED,
	KALSHI_MSG_UNSUBSCRIBED,
	KALSHI_MSG_OK,
	KALSHI_MSG_ERROR,
};

#define KALSHI_MAX_TICKERS_IN_OK 64

struct kalshi_ws_msg {
	enum kalshi_msg_type type;
	char		type_name[32];	/* the "type" string as sent, truncated */
	int		has_id, has_sid, has_seq;
	long long	id, sid, seq;
	struct kalshi_quote quote;	/* KALSHI_MSG_TICKER */
	struct kalshi_trade trade;	/* KALSHI_MSG_TRADE */
	char		channel[32];	/* KALSHI_MSG_SUBSCRIBED */
	int		has_code;	/* KALSHI_MSG_ERROR */
	long long	code;
	char		errmsg[128];
	size_t		n_tickers;	/* KALSHI_MSG_OK: msg.market_tickers */
};

/*
 * Parses one WS frame. Borrows doc. Returns 0 and fills *m (type UNKNOWN
 * for frames it does not handle), or -1 with err set when doc is not an
 * object or a handled frame lacks what makes it usable (a ticker or trade
 * without market_ticker).
 */
int	kalshi_ws_parse(const json_t *doc, struct kalshi_ws_msg *m,
	    struct errbuf *err);
/* The same from bytes (a WS text message). */
int	kalshi_ws_parse_bytes(const char *buf, size_t len,
	    struct kalshi_ws_msg *m, struct errbuf *err);

/* Kalshi's WS error codes by name ("unknown" for others). Never NULL. */
const char *kalshi_error_name(long long code);

struct kalshi_market {
	char		ticker[KALSHI_TICKER_MAX];
	char		event_ticker[KALSHI_TICKER_MAX];
	char		status[KALSHI_STATUS_MAX];
	struct kalshi_quote quote;	/* ticker copied; has 0 when no prices */
};

/*
 * Parses a REST body: GET /markets ({"markets":[...],"cursor":"..."}) or
 * GET /markets/{ticker} ({"market":{...}}). Borrows doc. Fills at most n
 * markets (entries without a ticker are skipped) and the cursor (empty at
 * the end of the listing, truncated to cursor_len). Returns the count, or
 * -1 with err set when doc has neither shape.
 */
int	kalshi_markets_parse(const json_t *doc, struct kalshi_market *out,
	    size_t n, char *cursor, size_t cursor_len, struct errbuf *err);

/*
 * The team code of a market: the part of ticker after its event ticker
 * and '-' ("KXNBAGAME-25MAY31NYKIND-IND" -> "IND"), else after the last
 * '-'. Writes "" when there is none.
 */
void	kalshi_market_team(const char *ticker, const char *event_ticker,
	    char *out, size_t len);

/*
 * Stream lines (DESIGN.md, kalshi-tap). Each returns a new object, or NULL
 * on out of memory. Only fields present upstream are written; ts falls
 * back to recv_ts when upstream had none.
 */
json_t	*kalshi_market_line(const struct kalshi_market *m);
json_t	*kalshi_quote_line(const struct kalshi_quote *q, int64_t recv_ts);
json_t	*kalshi_trade_line(const struct kalshi_trade *t, int64_t recv_ts);


/*
 * 1 when s looks like a Kalshi ticker: 1..95 of [A-Za-z0-9._-]. Others are
 * refused before they reach a URL or a command.
 */
int	kalshi_ticker_ok(const char *s);

/* 1 when two quotes carry the same fields with the same values (not ts). */
int	kalshi_quote_same(const struct kalshi_quote *a,
	    const struct kalshi_quote *b);

#endif
