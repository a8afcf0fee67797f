/*
 * kalshi-sim: a local stand-in for Kalshi's trade API, for tests. One
 * libwebsockets context serves the REST market list and market data over
 * plain HTTP and the WebSocket /trade-api/ws/v2 (signed handshake checked,
 * subscribe / update_subscription / unsubscribe, pings, ticker and trade
 * frames in the current shapes), with fault switches. Prices are
 * SYNTHETIC: a deterministic path, or one that follows ESPN's recorded
 * win probability. It must never be mistaken for market data.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <libwebsockets.h>

#include "errbuf.h"
#include "log.h"
#include "opts.h"
#include "service.h"
#include "timeutil.h"
#include "kalshi-tap/kalshi_sign.h"
#include "ksim_candles.h"

#define USAGE "kalshi-sim [-hqvV] [--port N] [--pubkey FILE] " \
	"[--key-id ID] [--espn FILE] [--speed X] [--interval MS] [--count N] " \
	"[--tick DOLLARS] [--page-size N] [--ping-interval MS] " \
	"[--sent-log FILE] [--ready-fd N] [--seed N] " \
	"[--tls-cert FILE --tls-key FILE] [--candles-older] [fault options]"

#define NMARKETS	2
#define MAX_CONNS	64
#define MAX_SUBS	16
#define MAX_QUEUE	4096
#define WS_PATH		"/trade-api/ws/v2"
#define REST_PREFIX	"/trade-api/v2/markets"
#define SERIES_PREFIX	"/trade-api/v2/series/"
#define HIST_PREFIX	"/trade-api/v2/historical/markets/"
#define EVENT		"KXNBAGAME-25MAY31NYKIND"

enum { CH_TICKER, CH_TRADE };

struct market {
	const char	*ticker;
	const char	*team;
	const char	*title;
	const char	*uuid;
	double		 bid, ask, last, bid_size, ask_size, last_size;
	double		 volume, oi;
	int		 has_last;
	int		 closed;
};

struct sub {
	long long	 sid;
	int		 channel;
	long long	 seq;
	unsigned	 mask;		/* markets followed (bit per market) */
};

struct conn {
	struct lws	*wsi;
	int		 is_ws;
	unsigned	 serial;	/* 1 for the first WS connection ... */
	struct sub	 subs[MAX_SUBS];
	int		 nsubs;
	char		*queue[MAX_QUEUE];
	unsigned	 qhead, qlen;
	unsigned long	 data_sent;
	unsigned long	 trades_sent;
	int		 ping_due, silent, drop;
	/* HTTP */
	char		*body;
	size_t		 body_len;
	int		 status;
	lws_sorted_usec_list_t sul;	/* --candle-delay */
	int		 delayed;
};

static struct {
	/* options */
	int		 port;
	const char	*pubkey_path;
	const char	*key_id;
	const char	*espn_path;
	const char	*sent_log_path;
	const char	*tls_cert, *tls_key;
	double		 speed;
	int64_t		 interval_ms;
	long long	 count;
	double		 tick;
	int		 page_size;
	int64_t		 ping_ms;
	int64_t		 max_skew_ms;
	long long	 drop_after, silent_after, seq_gap_at, malformed_every;
	long long	 drops, rest_fail, list_after, close_after;
	long long	 reject_first, rejected;
	int		 reject_auth;
	int		 candles_older, replaying;
	long long	 candle_429, candle_500, candle_garbage, candle_drop_ask;
	long long	 candle_delay_ms;
	long long	 candle_retry_after;	/* s, on a 429; 0: none */
	long long	 candle_requests;
	size_t		 ping_len;	/* ping payload bytes (zeros) */
	uint64_t	 seed;
	/* state */
	struct kalshi_key *pub;
	struct lws_context *ctx;
	FILE		*sent_log;
	struct market	 mk[NMARKETS];
	struct conn	*conns[MAX_CONNS];
	unsigned	 ws_serial;
	long long	 next_sid;
	long long	 updates;
	long long	 rest_requests;
	unsigned long long trade_ids;
	uint64_t	 rng;
	int		 started;
	int64_t		 t0_mono, t0_real, game_t0;
	int64_t		*wp_t;		/* ESPN path: game wallclock ms */
	double		*wp_p;		/* home win probability */
	size_t		 wp_n, wp_i;
	lws_sorted_usec_list_t sul_tick, sul_ping;
	volatile sig_atomic_t stop;
} S = {
	.speed = 1,
	.interval_ms = 250,
	.tick = 0.01,
	.page_size = 1,
	.ping_ms = 10000,
	.max_skew_ms = 60000,
	.drops = 1,
	.seed = 1,
	.mk = {
		{ .ticker = EVENT "-IND", .team = "Indiana",
		  .title = "New York at Indiana Winner? (synthetic)",
		  .uuid = "00000000-0000-4000-8000-00000000a001" },
		{ .ticker = EVENT "-NYK", .team = "New York",
		  .title = "New York at Indiana Winner? (synthetic)",
		  .uuid = "00000000-0000-4000-8000-00000000a002" },
	},
	.next_sid = 1,
};

static uint64_t
rnd(void)
{
	/* xorshift64*: deterministic for a given --seed. */
	S.rng ^= S.rng >> 12;
	S.rng ^= S.rng << 25;
	S.rng ^= S.rng >> 27;
	return S.rng * 2685821657736338717ULL;
}

static double
rnd01(void)
{
	return (double)(rnd() >> 11) / 9007199254740992.0;
}

static int64_t
game_now(void)
{
	return S.game_t0 + (int64_t)((double)(time_mono_ms() - S.t0_mono) *
	    S.speed);
}

/* ------------------------------------------------------------------ */
/* Frames */

static void
conn_queue(struct conn *c, char *s)
{
	if (c->qlen >= MAX_QUEUE) {
		free(s);
		return;
	}
	c->queue[(c->qhead + c->qlen) % MAX_QUEUE] = s;
	c->qlen++;
	lws_callback_on_writable(c->wsi);
}

static void
send_json(struct conn *c, json_t *o, int data)
{
	char *s = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(15));

	json_decref(o);
	if (s == NULL)
		return;
	if (data && S.sent_log != NULL) {
		fprintf(S.sent_log, "%s\n", s);
		fflush(S.sent_log);
	}
	conn_queue(c, s);
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

static void
add_market_prices(json_t *o, const struct market *m, const char *last_key)
{
	json_object_set_new(o, "yes_bid_dollars", dollars(m->bid));
	json_object_set_new(o, "yes_ask_dollars", dollars(m->ask));
	if (m->has_last)
		json_object_set_new(o, last_key, dollars(m->last));
	json_object_set_new(o, "volume_fp", fp(m->volume));
	json_object_set_new(o, "open_interest_fp", fp(m->oi));
	json_object_set_new(o, "yes_bid_size_fp", fp(m->bid_size));
	json_object_set_new(o, "yes_ask_size_fp", fp(m->ask_size));
}

static json_t *
ticker_frame(const struct market *m, long long sid, int64_t ts)
{
	json_t *msg = json_object();

	json_object_set_new(msg, "market_id", json_string(m->uuid));
	json_object_set_new(msg, "market_ticker", json_string(m->ticker));
	add_market_prices(msg, m, "price_dollars");
	json_object_set_new(msg, "last_trade_size_fp", fp(m->last_size));
	json_object_set_new(msg, "ts", json_integer(ts / 1000));
	json_object_set_new(msg, "ts_ms", json_integer(ts));
	return json_pack("{s:s, s:I, s:o}", "type", "ticker", "sid",
	    (json_int_t)sid, "msg", msg);
}

static json_t *
trade_frame(const struct market *m, long long sid, long long seq,
    const char *taker, int64_t ts)
{
	char id[40];

	/* Not from rnd(): the path must not depend on who listens. */
	snprintf(id, sizeof(id), "00000000-0000-4000-9000-%012llx",
	    (unsigned long long)++S.trade_ids);
	return json_pack("{s:s, s:I, s:I, s:{s:s, s:s, s:o, s:o, s:o, s:s, "
	    "s:I, s:I}}", "type", "trade", "sid", (json_int_t)sid, "seq",
	    (json_int_t)seq, "msg", "trade_id", id, "market_ticker", m->ticker,
	    "yes_price_dollars", dollars(m->last), "no_price_dollars",
	    dollars(1.0 - m->last), "count_fp", fp(m->last_size),
	    "taker_side", taker, "ts", (json_int_t)(ts / 1000), "ts_ms",
	    (json_int_t)ts);
}

/* One data frame was sent on c: apply the per-connection fault switches. */
static void
after_data(struct conn *c)
{
	c->data_sent++;
	if (S.malformed_every > 0 && c->data_sent % (unsigned long)
	    S.malformed_every == 0) {
		conn_queue(c, strdup("{\"type\":\"ticker\",\"sid\":"));
		conn_queue(c, strdup("{\"type\":\"ticker\",\"msg\":[]}"));
	}
	if (c->serial <= (unsigned)S.drops && S.drop_after > 0 &&
	    c->data_sent == (unsigned long)S.drop_after) {
		log_info("fault drop", "conn=%u frames=%lu", c->serial,
		    c->data_sent);
		c->drop = 1;
		lws_callback_on_writable(c->wsi);
	}
	if (c->serial <= (unsigned)S.drops && S.silent_after > 0 &&
	    c->data_sent == (unsigned long)S.silent_after) {
		log_info("fault silent", "conn=%u frames=%lu", c->serial,
		    c->data_sent);
		c->silent = 1;
		lws_rx_flow_control(c->wsi, 0);
	}
}

static void
broadcast_market(int i, const char *taker, int64_t ts)
{
	int k, j;

	for (k = 0; k < MAX_CONNS; k++) {
		struct conn *c = S.conns[k];

		if (c == NULL || !c->is_ws || c->silent || c->drop)
			continue;
		for (j = 0; j < c->nsubs; j++) {
			struct sub *s = &c->subs[j];

			if (!(s->mask & (1u << i)))
				continue;
			if (s->channel == CH_TICKER) {
				send_json(c, ticker_frame(&S.mk[i], s->sid, ts),
				    1);
			} else if (taker != NULL) {
				s->seq++;
				c->trades_sent++;
				if (c->serial <= (unsigned)S.drops &&
				    S.seq_gap_at > 0 && c->trades_sent ==
				    (unsigned long)S.seq_gap_at) {
					log_info("fault seq gap", "conn=%u "
					    "sid=%lld skipped=%lld", c->serial,
					    s->sid, s->seq);
					s->seq++;
				}
				send_json(c, trade_frame(&S.mk[i], s->sid,
				    s->seq, taker, ts), 1);
			} else
				continue;
			after_data(c);
			if (c->silent || c->drop)
				break;
		}
	}
}

/* The -NYK market may be listed late or close early (--list-after,
 * --close-after): what discovery must notice. */
static int
listed(int i)
{
	if (i != 1)
		return 1;
	if (S.list_after > 0 && S.updates < S.list_after)
		return 0;
	return !S.mk[i].closed;
}

static double
on_grid(double v)
{
	double g = round(v / S.tick) * S.tick;

	return round(g * 10000.0) / 10000.0;
}

/* Moves both markets to home-win probability p and sends the frames. */
static void
set_price(double p, int64_t ts)
{
	const char *taker = NULL;
	int i, trade;

	if (p < 0.02)
		p = 0.02;
	if (p > 0.98)
		p = 0.98;
	trade = (S.updates % 3) == 2;
	if (S.close_after > 0 && S.updates >= S.close_after &&
	    !S.mk[1].closed) {
		S.mk[1].closed = 1;
		log_info("market closed", "ticker=%s", S.mk[1].ticker);
	}
	for (i = 0; i < NMARKETS; i++) {
		struct market *m = &S.mk[i];
		double q = i == 0 ? p : 1.0 - p;

		if (m->closed)
			continue;
		double spread = S.tick * (rnd01() < 0.8 ? 1 : 2);

		m->bid = on_grid(q - spread / 2);
		if (m->bid < S.tick)
			m->bid = S.tick;
		m->ask = on_grid(m->bid + spread);
		if (m->ask > 1.0 - S.tick)
			m->ask = on_grid(1.0 - S.tick);
		m->bid_size = (double)(50 + rnd() % 950);
		m->ask_size = (double)(50 + rnd() % 950);
		taker = NULL;
		if (trade) {
			taker = rnd01() < 0.5 ? "yes" : "no";
			m->last = strcmp(taker, "yes") == 0 ? m->ask : m->bid;
			m->last_size = (double)(1 + rnd() % 300);
			m->volume += m->last_size;
			m->oi += floor(m->last_size / 2);
			m->has_last = 1;
		}
		ksim_candles_record(i, ts, m->bid, m->ask, trade, m->last,
		    m->volume, m->oi);
		if (!S.replaying)
			broadcast_market(i, taker, ts);
	}
	S.updates++;
}

static void
tick_cb(lws_sorted_usec_list_t *sul)
{
	int64_t now;
	double p;

	if (S.count > 0 && S.updates >= S.count)
		return;
	if (S.wp_n > 0) {
		now = game_now();
		while (S.wp_i < S.wp_n && S.wp_t[S.wp_i] <= now &&
		    (S.count == 0 || S.updates < S.count)) {
			/* Noise of about a cent around ESPN's number. */
			p = S.wp_p[S.wp_i] + (rnd01() - 0.5) * 0.02;
			set_price(p, S.wp_t[S.wp_i]);
			S.wp_i++;
		}
		if (S.wp_i >= S.wp_n)
			return;
	} else {
		p = 0.5 + 0.35 * sin((double)S.updates * 0.15) +
		    (rnd01() - 0.5) * 0.01;
		set_price(p, game_now());
	}
	lws_sul_schedule(S.ctx, 0, &S.sul_tick, tick_cb,
	    (lws_usec_t)(S.wp_n > 0 ? 20 : S.interval_ms) * LWS_US_PER_MS);
}

static void
ping_cb(lws_sorted_usec_list_t *sul)
{
	int k;

	for (k = 0; k < MAX_CONNS; k++) {
		struct conn *c = S.conns[k];

		if (c != NULL && c->is_ws && !c->silent) {
			c->ping_due = 1;
			lws_callback_on_writable(c->wsi);
		}
	}
	lws_sul_schedule(S.ctx, 0, &S.sul_ping, ping_cb,
	    (lws_usec_t)S.ping_ms * LWS_US_PER_MS);
}

static void
start_stream(void)
{
	if (S.started)
		return;
	S.started = 1;
	S.t0_mono = time_mono_ms();
	S.t0_real = time_now_ms();
	if (S.wp_n == 0)
		S.game_t0 = time_now_ms();
	lws_sul_schedule(S.ctx, 0, &S.sul_tick, tick_cb, 1);
}

/* ------------------------------------------------------------------ */
/* WS commands */

static int
market_index(const char *t)
{
	int i;

	for (i = 0; i < NMARKETS; i++)
		if (strcmp(S.mk[i].ticker, t) == 0)
			return i;
	return -1;
}

static void
send_error(struct conn *c, json_t *id, int code, const char *text)
{
	json_t *o = json_pack("{s:s, s:{s:i, s:s}}", "type", "error", "msg",
	    "code", code, "msg", text);

	if (id != NULL)
		json_object_set(o, "id", id);
	send_json(c, o, 0);
}

/* Market tickers of a params object into a mask; -1 on an unknown one. */
static int
markets_mask(const json_t *params, unsigned *mask, int *given)
{
	const json_t *arr = json_object_get(params, "market_tickers"), *v;
	const char *one = json_string_value(json_object_get(params,
	    "market_ticker"));
	size_t i;
	int k;

	*mask = 0;
	*given = 0;
	if (one != NULL) {
		*given = 1;
		if ((k = market_index(one)) < 0)
			return -1;
		*mask |= 1u << k;
	}
	if (json_is_array(arr)) {
		*given = 1;
		json_array_foreach(arr, i, v) {
			if (!json_is_string(v) ||
			    (k = market_index(json_string_value(v))) < 0)
				return -1;
			*mask |= 1u << k;
		}
	}
	return 0;
}

static void
cmd_subscribe(struct conn *c, json_t *id, const json_t *params)
{
	const json_t *chans = json_object_get(params, "channels"), *v;
	unsigned mask;
	size_t i;
	int given, ch;

	if (!json_is_array(chans) || json_array_size(chans) == 0) {
		send_error(c, id, 3, "Channels required");
		return;
	}
	if (markets_mask(params, &mask, &given) != 0) {
		send_error(c, id, 16, "Market not found");
		return;
	}
	if (!given)
		mask = (1u << NMARKETS) - 1;
	json_array_foreach(chans, i, v) {
		const char *name = json_string_value(v);

		if (name != NULL && strcmp(name, "ticker") == 0)
			ch = CH_TICKER;
		else if (name != NULL && strcmp(name, "trade") == 0)
			ch = CH_TRADE;
		else {
			send_error(c, id, 8, "Unknown channel name");
			continue;
		}
		if (c->nsubs >= MAX_SUBS) {
			send_error(c, id, 1, "Unable to process message");
			continue;
		}
		c->subs[c->nsubs] = (struct sub){ .sid = S.next_sid++,
		    .channel = ch, .mask = mask };
		log_info("subscribed", "conn=%u channel=%s sid=%lld markets=%u",
		    c->serial, name, c->subs[c->nsubs].sid, mask);
		send_json(c, json_pack("{s:O?, s:s, s:{s:s, s:I}}", "id", id,
		    "type", "subscribed", "msg", "channel", name, "sid",
		    (json_int_t)c->subs[c->nsubs].sid), 0);
		c->nsubs++;
	}
	start_stream();
}

static struct sub *
find_sub(struct conn *c, long long sid)
{
	int j;

	for (j = 0; j < c->nsubs; j++)
		if (c->subs[j].sid == sid)
			return &c->subs[j];
	return NULL;
}

static void
cmd_update(struct conn *c, json_t *id, const json_t *params)
{
	const json_t *sids = json_object_get(params, "sids");
	const char *action = json_string_value(json_object_get(params,
	    "action"));
	json_t *list;
	struct sub *s;
	unsigned mask;
	int given, k;

	if (!json_is_array(sids) || json_array_size(sids) != 1) {
		send_error(c, id, 12, "Exactly one subscription ID is required");
		return;
	}
	if ((s = find_sub(c, (long long)json_integer_value(json_array_get(sids,
	    0)))) == NULL) {
		send_error(c, id, 7, "Unknown subscription ID");
		return;
	}
	if (action == NULL) {
		send_error(c, id, 15, "Action required");
		return;
	}
	if (markets_mask(params, &mask, &given) != 0 || !given) {
		send_error(c, id, 14, "Market Ticker required");
		return;
	}
	if (strcmp(action, "add_markets") == 0)
		s->mask |= mask;
	else if (strcmp(action, "delete_markets") == 0)
		s->mask &= ~mask;
	else {
		send_error(c, id, 13, "Unsupported action");
		return;
	}
	log_info("updated", "conn=%u sid=%lld action=%s markets=%u", c->serial,
	    s->sid, action, s->mask);
	list = json_array();
	for (k = 0; k < NMARKETS; k++)
		if (s->mask & (1u << k))
			json_array_append_new(list, json_string(S.mk[k].ticker));
	send_json(c, json_pack("{s:O?, s:I, s:I, s:s, s:{s:o}}", "id", id,
	    "sid", (json_int_t)s->sid, "seq", (json_int_t)s->seq, "type", "ok",
	    "msg", "market_tickers", list), 0);
}

static void
cmd_unsubscribe(struct conn *c, json_t *id, const json_t *params)
{
	const json_t *sids = json_object_get(params, "sids"), *v;
	size_t i;
	int j;

	if (!json_is_array(sids) || json_array_size(sids) == 0) {
		send_error(c, id, 4, "Subscription IDs required");
		return;
	}
	json_array_foreach(sids, i, v) {
		long long sid = (long long)json_integer_value(v);

		for (j = 0; j < c->nsubs; j++)
			if (c->subs[j].sid == sid)
				break;
		if (j == c->nsubs) {
			send_error(c, id, 7, "Unknown subscription ID");
			continue;
		}
		c->subs[j] = c->subs[--c->nsubs];
		log_info("unsubscribed", "conn=%u sid=%lld", c->serial, sid);
		send_json(c, json_pack("{s:O?, s:I, s:I, s:s}", "id", id, "sid",
		    (json_int_t)sid, "seq", (json_int_t)1, "type",
		    "unsubscribed"), 0);
	}
}

static void
ws_command(struct conn *c, const char *buf, size_t len)
{
	json_error_t jerr;
	json_t *doc = json_loadb(buf, len, 0, &jerr), *id;
	const json_t *params;
	const char *cmd;

	if (!json_is_object(doc)) {
		send_error(c, NULL, 1, "Unable to process message");
		json_decref(doc);
		return;
	}
	id = json_object_get(doc, "id");
	cmd = json_string_value(json_object_get(doc, "cmd"));
	params = json_object_get(doc, "params");
	if (cmd == NULL)
		send_error(c, id, 5, "Unknown command");
	else if (!json_is_object(params))
		send_error(c, id, 2, "Params required");
	else if (strcmp(cmd, "subscribe") == 0)
		cmd_subscribe(c, id, params);
	else if (strcmp(cmd, "update_subscription") == 0)
		cmd_update(c, id, params);
	else if (strcmp(cmd, "unsubscribe") == 0)
		cmd_unsubscribe(c, id, params);
	else
		send_error(c, id, 5, "Unknown command");
	json_decref(doc);
}

/* ------------------------------------------------------------------ */
/* Auth */

static int
custom_header(struct lws *wsi, const char *name, char *buf, int len)
{
	int n = lws_hdr_custom_length(wsi, name, (int)strlen(name));

	if (n <= 0 || n >= len)
		return -1;
	if (lws_hdr_custom_copy(wsi, buf, len, name, (int)strlen(name)) < 0)
		return -1;
	return 0;
}

/* Returns NULL when the handshake is acceptable, else why not. */
static const char *
check_auth(struct lws *wsi)
{
	char key[128], ts[32], sig[KALSHI_SIG_B64_MAX];
	struct errbuf err;
	long long tsv;
	const char *es;

	if (S.reject_auth)
		return "rejecting every handshake (--reject-auth)";
	if (S.rejected < S.reject_first) {
		S.rejected++;
		return "rejecting the first handshakes (--reject-first)";
	}
	if (S.pub == NULL)
		return NULL;
	if (custom_header(wsi, "kalshi-access-key:", key, sizeof(key)) != 0 ||
	    custom_header(wsi, "kalshi-access-timestamp:", ts, sizeof(ts)) != 0 ||
	    custom_header(wsi, "kalshi-access-signature:", sig,
	    sizeof(sig)) != 0)
		return "missing KALSHI-ACCESS-* header";
	if (S.key_id != NULL && strcmp(key, S.key_id) != 0)
		return "unknown key id";
	if (opt_int(ts, 0, INT64_MAX / 2, &tsv, &es) != 0)
		return "bad timestamp";
	if (llabs(tsv - (long long)time_now_ms()) > S.max_skew_ms)
		return "timestamp too far off";
	if (kalshi_verify(S.pub, ts, "GET", WS_PATH, sig, &err) != 1)
		return "bad signature";
	return NULL;
}

/* ------------------------------------------------------------------ */
/* REST */

static json_t *
market_json(const struct market *m)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "ticker",
	    m->ticker, "event_ticker", EVENT, "market_type", "binary", "title",
	    m->title, "yes_sub_title", m->team, "status",
	    m->closed ? "closed" : "active");

	if (S.updates > 0)
		add_market_prices(o, m, "last_price_dollars");
	return o;
}

static int
arg_value(struct lws *wsi, const char *name, char *buf, int len)
{
	char frag[512];
	size_t nl = strlen(name);
	int i;

	for (i = 0; i < 16; i++) {
		if (lws_hdr_copy_fragment(wsi, frag, sizeof(frag),
		    WSI_TOKEN_HTTP_URI_ARGS, i) < 0)
			return -1;
		if (strncmp(frag, name, nl) == 0 && frag[nl] == '=') {
			snprintf(buf, (size_t)len, "%s", frag + nl + 1);
			return 0;
		}
	}
	return -1;
}

static json_t *
rest_markets(struct lws *wsi, int *status)
{
	char series[64] = "", st[32] = "", cur[32] = "", tickers[512] = "";
	char lim[16] = "", evt[96] = "";
	json_t *arr = json_array(), *o;
	long long start = 0, limit = S.page_size, v;
	const char *es;
	int i, n = 0;

	arg_value(wsi, "series_ticker", series, sizeof(series));
	arg_value(wsi, "status", st, sizeof(st));
	arg_value(wsi, "cursor", cur, sizeof(cur));
	if (arg_value(wsi, "tickers", tickers, sizeof(tickers)) == 0)
		start_stream();	/* a poller is watching: start the path */
	arg_value(wsi, "event_ticker", evt, sizeof(evt));
	if (arg_value(wsi, "limit", lim, sizeof(lim)) == 0 &&
	    opt_int(lim, 1, 1000, &v, &es) == 0 && v < limit)
		limit = v;
	log_info("markets query", "series_ticker=%s status=%s tickers=%s "
	    "cursor=%s", log_str(series), log_str(st), log_str(tickers),
	    log_str(cur));
	if (cur[0] != '\0' && opt_int(cur, 0, NMARKETS, &start, &es) != 0) {
		*status = 400;
		json_decref(arr);
		return json_pack("{s:{s:s, s:s}}", "error", "code",
		    "bad_request", "message", "bad cursor");
	}
	for (i = (int)start; i < NMARKETS; i++) {
		const struct market *m = &S.mk[i];

		if (series[0] != '\0' && strcmp(series, "KXNBAGAME") != 0)
			continue;
		if (st[0] != '\0' && (strcmp(st, "open") != 0 || !listed(i)))
			continue;
		if (evt[0] != '\0' && strcmp(evt, EVENT) != 0)
			continue;
		if (tickers[0] != '\0' && strstr(tickers, m->ticker) == NULL)
			continue;
		if (n == limit)
			break;
		json_array_append_new(arr, market_json(m));
		n++;
	}
	o = json_pack("{s:o}", "markets", arr);
	if (i < NMARKETS) {
		char c[16];

		snprintf(c, sizeof(c), "%d", i);
		json_object_set_new(o, "cursor", json_string(c));
	} else
		json_object_set_new(o, "cursor", json_string(""));
	*status = 200;
	return o;
}

/* The game clock's time (s) at real time real_s. */
static long long
game_at(long long real_s)
{
	return (S.game_t0 + (long long)((double)(real_s * 1000 - S.t0_real) *
	    S.speed)) / 1000;
}

/* /series/S/markets/T/candlesticks or /historical/markets/T/candlesticks:
 * the market's index, or -1. */
static int
candle_market(const char *uri)
{
	const char *p = NULL, *end;
	char t[96];
	int k;

	if (strncmp(uri, SERIES_PREFIX, strlen(SERIES_PREFIX)) == 0 &&
	    (p = strstr(uri + strlen(SERIES_PREFIX), "/markets/")) != NULL)
		p += strlen("/markets/");
	else if (strncmp(uri, HIST_PREFIX, strlen(HIST_PREFIX)) == 0)
		p = uri + strlen(HIST_PREFIX);
	if (p == NULL || (end = strchr(p, '/')) == NULL ||
	    strcmp(end, "/candlesticks") != 0 || end - p >= (long)sizeof(t))
		return -1;
	snprintf(t, sizeof(t), "%.*s", (int)(end - p), p);
	for (k = 0; k < NMARKETS; k++)
		if (strcmp(S.mk[k].ticker, t) == 0)
			return k;
	return -1;
}

/*
 * The candles of market k in [start_ts, end_ts]. With --espn the game
 * clock is the simulator's "now": the window asked for (real seconds) is
 * read on it, as the game time it was (or will be) at those instants.
 */
static json_t *
rest_candles(struct conn *c, int k)
{
	char a[32] = "", b[32] = "", per[16] = "";
	long long from, to;
	const char *es;

	S.candle_requests++;
	arg_value(c->wsi, "start_ts", a, sizeof(a));
	arg_value(c->wsi, "end_ts", b, sizeof(b));
	arg_value(c->wsi, "period_interval", per, sizeof(per));
	log_info("candles query", "ticker=%s start_ts=%s end_ts=%s "
	    "period_interval=%s n=%lld", S.mk[k].ticker, log_str(a),
	    log_str(b), log_str(per), S.candle_requests);
	if (opt_int(a, 0, INT64_MAX / 2000, &from, &es) != 0 ||
	    opt_int(b, 0, INT64_MAX / 2000, &to, &es) != 0 ||
	    strcmp(per, "1") != 0 || to < from) {
		c->status = 400;
		return json_pack("{s:{s:s, s:s}}", "error", "code",
		    "bad_request", "message", "start_ts, end_ts, period_interval");
	}
	if (S.candle_requests <= S.candle_429) {
		c->status = 429;
		return json_pack("{s:{s:s, s:s}}", "error", "code",
		    "too_many_requests", "message", "injected fault");
	}
	if (S.candle_requests <= S.candle_429 + S.candle_500) {
		c->status = 500;
		return json_pack("{s:{s:s, s:s}}", "error", "code",
		    "internal_server_error", "message", "injected fault");
	}
	c->status = 200;
	if (S.candle_requests <= S.candle_429 + S.candle_500 +
	    S.candle_garbage)
		return NULL;	/* the caller answers with a non-JSON body */
	if (S.wp_n > 0 && S.started) {
		from = game_at(from);
		to = game_at(to);
	}
	c->status = 200;
	return ksim_candles_body(k, S.mk[k].ticker, from, to,
	    S.candles_older ? KSIM_OLDER : KSIM_CURRENT, S.candle_drop_ask);
}

static void
http_request(struct conn *c, const char *uri)
{
	json_t *body = NULL;
	int k;

	S.rest_requests++;
	c->status = 404;
	if (S.rest_requests <= S.rest_fail) {
		c->status = 500;
		body = json_pack("{s:{s:s, s:s}}", "error", "code",
		    "internal_server_error", "message", "injected fault");
	} else if (strcmp(uri, REST_PREFIX) == 0)
		body = rest_markets(c->wsi, &c->status);
	else if ((k = candle_market(uri)) >= 0) {
		if ((body = rest_candles(c, k)) == NULL) {
			log_info("rest", "uri=%s status=200 fault=not-json",
			    log_str(uri));
			c->body = strdup("<html>upstream hiccup</html>");
			c->body_len = c->body ? strlen(c->body) : 0;
			return;
		}
	}
	else if (strncmp(uri, REST_PREFIX "/", strlen(REST_PREFIX) + 1) == 0 &&
	    (k = market_index(uri + strlen(REST_PREFIX) + 1)) >= 0) {
		c->status = 200;
		start_stream();
		body = json_pack("{s:o}", "market", market_json(&S.mk[k]));
	} else
		body = json_pack("{s:{s:s, s:s}}", "error", "code", "not_found",
		    "message", "not found");
	log_info("rest", "uri=%s status=%d", log_str(uri), c->status);
	c->body = json_dumps(body, JSON_COMPACT | JSON_REAL_PRECISION(15));
	c->body_len = c->body ? strlen(c->body) : 0;
	json_decref(body);
}

/* ------------------------------------------------------------------ */
/* lws */

/* --candle-delay: a candlestick answer goes out this late. */
static void
candle_delayed(lws_sorted_usec_list_t *sul)
{
	struct conn *c = lws_container_of(sul, struct conn, sul);

	c->delayed = 0;
	lws_callback_on_writable(c->wsi);
}

static int
add_conn(struct conn *c)
{
	int k;

	for (k = 0; k < MAX_CONNS; k++)
		if (S.conns[k] == NULL) {
			S.conns[k] = c;
			return 0;
		}
	return -1;
}

static void
del_conn(struct conn *c)
{
	int k;

	for (k = 0; k < MAX_CONNS; k++)
		if (S.conns[k] == c)
			S.conns[k] = NULL;
	while (c->qlen > 0) {
		free(c->queue[c->qhead]);
		c->qhead = (c->qhead + 1) % MAX_QUEUE;
		c->qlen--;
	}
	free(c->body);
	c->body = NULL;
}

static int
write_http(struct conn *c)
{
	struct lws *wsi = c->wsi;
	size_t n = LWS_PRE + c->body_len;
	unsigned char *buf = malloc(n + 1);
	int rc = -1;

	if (buf == NULL)
		return -1;
	memcpy(buf + LWS_PRE, c->body, c->body_len);
	free(c->body);
	c->body = NULL;
	/* c may be gone once the transaction completes: touch it no more. */
	if (lws_write(wsi, buf + LWS_PRE, c->body_len,
	    LWS_WRITE_HTTP_FINAL) == (int)c->body_len)
		rc = lws_http_transaction_completed(wsi) ? -1 : 0;
	free(buf);
	return rc;
}

static int
write_ws(struct conn *c)
{
	unsigned char pbuf[LWS_PRE + 16] = { 0 };
	unsigned char *buf;
	size_t len;
	char *s;

	if (c->drop)
		return -1;
	if (c->silent)
		return 0;
	if (c->ping_due) {
		c->ping_due = 0;
		if (lws_write(c->wsi, pbuf + LWS_PRE, S.ping_len, LWS_WRITE_PING)
		    < 0)
			return -1;
		log_debug("ping", "conn=%u", c->serial);
		lws_callback_on_writable(c->wsi);
		return 0;
	}
	if (c->qlen == 0)
		return 0;
	s = c->queue[c->qhead];
	c->qhead = (c->qhead + 1) % MAX_QUEUE;
	c->qlen--;
	len = strlen(s);
	if ((buf = malloc(LWS_PRE + len)) == NULL) {
		free(s);
		return -1;
	}
	memcpy(buf + LWS_PRE, s, len);
	free(s);
	if (lws_write(c->wsi, buf + LWS_PRE, len, LWS_WRITE_TEXT) < (int)len) {
		free(buf);
		return -1;
	}
	free(buf);
	if (c->qlen > 0)
		lws_callback_on_writable(c->wsi);
	return 0;
}

static int
callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	struct conn *c = user;
	unsigned char hdr[LWS_PRE + 1024], *p, *end;
	const char *why;
	char uri[256];

	switch (reason) {
	case LWS_CALLBACK_HTTP:
		if (c->delayed)
			lws_sul_cancel(&c->sul);
		memset(c, 0, sizeof(*c));
		c->wsi = wsi;
		snprintf(uri, sizeof(uri), "%s", (const char *)in);
		http_request(c, uri);
		if (c->body == NULL)
			return -1;
		p = hdr + LWS_PRE;
		end = hdr + sizeof(hdr) - 1;
		if (lws_add_http_common_headers(wsi, (unsigned)c->status,
		    "application/json", c->body_len, &p, end))
			return -1;
		if (c->status == 429 && S.candle_retry_after > 0) {
			char ra[24];
			int n = snprintf(ra, sizeof(ra), "%lld",
			    S.candle_retry_after);

			if (lws_add_http_header_by_name(wsi,
			    (const unsigned char *)"retry-after:",
			    (const unsigned char *)ra, n, &p, end))
				return -1;
		}
		if (lws_finalize_write_http_header(wsi, hdr + LWS_PRE, &p, end))
			return -1;
		if (S.candle_delay_ms > 0 && candle_market(uri) >= 0) {
			c->delayed = 1;
			lws_sul_schedule(S.ctx, 0, &c->sul, candle_delayed,
			    S.candle_delay_ms * 1000);
			return 0;
		}
		lws_callback_on_writable(wsi);
		return 0;
	case LWS_CALLBACK_HTTP_WRITEABLE:
		if (c == NULL || c->body == NULL)
			return 0;
		return write_http(c);
	case LWS_CALLBACK_CLOSED_HTTP:
		if (c != NULL && c->delayed) {
			lws_sul_cancel(&c->sul);
			c->delayed = 0;
		}
		if (c != NULL) {
			free(c->body);
			c->body = NULL;
		}
		return 0;
	case LWS_CALLBACK_HTTP_CONFIRM_UPGRADE:
		if (lws_hdr_copy(wsi, uri, sizeof(uri), WSI_TOKEN_GET_URI) < 0 ||
		    strcmp(uri, WS_PATH) != 0) {
			lws_return_http_status(wsi, HTTP_STATUS_NOT_FOUND, NULL);
			return 1;
		}
		if ((why = check_auth(wsi)) != NULL) {
			log_warn("auth rejected", "reason=%s", log_str(why));
			lws_return_http_status(wsi, HTTP_STATUS_UNAUTHORIZED,
			    NULL);
			return 1;
		}
		return 0;
	case LWS_CALLBACK_ESTABLISHED:
		memset(c, 0, sizeof(*c));
		c->wsi = wsi;
		c->is_ws = 1;
		c->serial = ++S.ws_serial;
		if (add_conn(c) != 0)
			return -1;
		log_info("ws connected", "conn=%u", c->serial);
		return 0;
	case LWS_CALLBACK_RECEIVE:
		if (c->silent)
			return 0;
		if (!lws_is_first_fragment(wsi) || !lws_is_final_fragment(wsi))
			send_error(c, NULL, 1, "Unable to process message");
		else
			ws_command(c, in, len);
		return 0;
	case LWS_CALLBACK_SERVER_WRITEABLE:
		return write_ws(c);
	case LWS_CALLBACK_RECEIVE_PONG:
		log_debug("pong", "conn=%u", c->serial);
		return 0;
	case LWS_CALLBACK_CLOSED:
		log_info("ws closed", "conn=%u frames=%lu", c->serial,
		    c->data_sent);
		del_conn(c);
		return 0;
	default:
		break;
	}
	return 0;
}

static const struct lws_protocols protocols[] = {
	{ "kalshi", callback, sizeof(struct conn), 4096, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};

/* ------------------------------------------------------------------ */
/* ESPN path */

static int
load_espn(const char *path, struct errbuf *err)
{
	json_error_t jerr;
	json_t *doc = json_load_file(path, 0, &jerr), *wp, *plays, *v, *pl;
	size_t i, j;
	int64_t t;

	if (doc == NULL)
		return errbuf_set(err, "%s: %s", path, jerr.text);
	wp = json_object_get(doc, "winprobability");
	plays = json_object_get(doc, "plays");
	if (!json_is_array(wp) || !json_is_array(plays)) {
		json_decref(doc);
		return errbuf_set(err, "%s: no winprobability or plays", path);
	}
	S.wp_t = calloc(json_array_size(wp) + 1, sizeof(*S.wp_t));
	S.wp_p = calloc(json_array_size(wp) + 1, sizeof(*S.wp_p));
	if (S.wp_t == NULL || S.wp_p == NULL) {
		json_decref(doc);
		return errbuf_set(err, "out of memory");
	}
	/* Join by playId, never by position. */
	json_array_foreach(wp, i, v) {
		const char *id = json_string_value(json_object_get(v, "playId"));
		json_t *h = json_object_get(v, "homeWinPercentage");

		if (id == NULL || !json_is_number(h))
			continue;
		json_array_foreach(plays, j, pl) {
			const char *pid = json_string_value(json_object_get(pl,
			    "id"));
			const char *wc = json_string_value(json_object_get(pl,
			    "wallclock"));

			if (pid == NULL || strcmp(pid, id) != 0)
				continue;
			if (wc != NULL && time_parse_iso8601(wc, &t) == 0) {
				/* A running maximum, as espn-sim: a few
				 * wallclocks step back. */
				if (S.wp_n > 0 && t < S.wp_t[S.wp_n - 1])
					t = S.wp_t[S.wp_n - 1];
				S.wp_t[S.wp_n] = t;
				S.wp_p[S.wp_n] = json_number_value(h);
				S.wp_n++;
			}
			break;
		}
	}
	json_decref(doc);
	if (S.wp_n == 0)
		return errbuf_set(err, "%s: no usable points", path);
	return 0;
}

/* ------------------------------------------------------------------ */

static void
usage_full(void)
{
	printf("usage: %s\n\n"
"A local, SYNTHETIC stand-in for Kalshi's trade API (tests only).\n"
"REST  GET /trade-api/v2/markets?series_ticker=&status=&tickers=&cursor=&limit=\n"
"      GET /trade-api/v2/markets/TICKER\n"
"WS    /trade-api/ws/v2: subscribe, update_subscription, unsubscribe;\n"
"      ticker and trade frames for " EVENT "-IND and -NYK.\n"
"The price path starts at the first WS subscribe or the first REST request\n"
"naming markets (tickers= or /markets/T); with --espn, at startup.\n\n"
"  -p, --port N            listen on 127.0.0.1:N (required)\n"
"  -k, --pubkey FILE       PEM public key: require signed handshakes (401 else)\n"
"      --key-id ID         also require KALSHI-ACCESS-KEY to equal ID\n"
"      --max-skew MS       timestamps further off are refused (default 60000)\n"
"  -e, --espn FILE         follow the win probability of an ESPN summary\n"
"  -s, --speed X           game seconds per real second (default 1)\n"
"      --start-offset SECS game time at start, relative to the first play\n"
"                          (as espn-sim's; the clock runs from startup)\n"
"  -i, --interval MS       deterministic path: one update every MS (250)\n"
"  -n, --count N           stop after N updates (default 0: never)\n"
"      --tick DOLLARS      price grid (default 0.01; 0.001 allowed)\n"
"      --page-size N       markets per REST page (default 1, to page)\n"
"      --ping-interval MS  WS ping period (default 10000)\n"
"      --ping-payload N    bytes of (zero) payload in each ping (default 0)\n"
"      --sent-log FILE     append every data frame sent, one per line\n"
"      --seed N            random seed for noise and sizes (default 1)\n"
"      --tls-cert FILE --tls-key FILE  serve https and wss instead\n"
"      --ready-fd N        write a newline to fd N once listening\n"
"      --candles-older     candlesticks in the older shape (integer cents too)\n"
"  -v, -q                  more, less logging;  -V version;  -h this help\n"
"Faults (on the first --drops connections, default 1):\n"
"      --drop-after N      close the connection after N data frames\n"
"      --silent-after N    after N data frames: no data, no pings, no reads\n"
"      --seq-gap-at N      skip one seq number at the N-th trade frame\n"
"      --malformed-every N after every N-th data frame send two bad frames\n"
"      --drops K           how many connections the faults above hit\n"
"      --reject-auth       answer 401 to every WS handshake\n"
"      --reject-first N    answer 401 to the first N WS handshakes\n"
"      --rest-fail N       answer 500 to the first N REST requests\n"
"      --list-after N      list the -NYK market as open only after N updates\n"
"      --close-after N     close the -NYK market after N updates\n"
"      --candle-429 N      answer 429 to the first N candlestick requests\n"
"      --candle-500 N      then 500 to the next N\n"
"      --candle-garbage N  then a body that is not JSON to the next N\n"
"      --candle-drop-ask N the N-th candle served lacks yes_ask\n"
"      --candle-delay MS   answer every candlestick request MS late\n"
"      --candle-retry-after S  a 429 says Retry-After: S\n",
	    USAGE);
}

static void
on_signal(int signum)
{
	S.stop = 1;
	if (S.ctx != NULL)
		lws_cancel_service(S.ctx);
}

enum {
	O_KEYID = 256, O_SKEW, O_START, O_TICK, O_PAGE, O_PING, O_SENT, O_SEED,
	O_READY, O_DROP, O_SILENT, O_GAP, O_MALF, O_DROPS, O_REJECT, O_RFAIL, O_C429, O_C500, O_CGARB, O_CDROP, O_COLDER, O_CDELAY, O_CRETRY,
	O_LIST, O_CLOSE, O_REJFIRST, O_CERT, O_KEY, O_PINGLEN,
};

static void
bad_option(char **argv)
{
	if (optopt != 0)
		opt_usage_error("-%c: unknown option or missing value", optopt);
	opt_usage_error("%s: unknown option or missing value",
	    argv[optind - 1]);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "candle-429", required_argument, NULL, O_C429 },
		{ "candle-delay", required_argument, NULL, O_CDELAY },
		{ "candle-retry-after", required_argument, NULL, O_CRETRY },
		{ "candle-500", required_argument, NULL, O_C500 },
		{ "candle-drop-ask", required_argument, NULL, O_CDROP },
		{ "candle-garbage", required_argument, NULL, O_CGARB },
		{ "candles-older", no_argument, NULL, O_COLDER },
		{ "close-after", required_argument, NULL, O_CLOSE },
		{ "count", required_argument, NULL, 'n' },
		{ "drop-after", required_argument, NULL, O_DROP },
		{ "drops", required_argument, NULL, O_DROPS },
		{ "espn", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ "interval", required_argument, NULL, 'i' },
		{ "key-id", required_argument, NULL, O_KEYID },
		{ "list-after", required_argument, NULL, O_LIST },
		{ "malformed-every", required_argument, NULL, O_MALF },
		{ "max-skew", required_argument, NULL, O_SKEW },
		{ "page-size", required_argument, NULL, O_PAGE },
		{ "ping-interval", required_argument, NULL, O_PING },
		{ "ping-payload", required_argument, NULL, O_PINGLEN },
		{ "port", required_argument, NULL, 'p' },
		{ "pubkey", required_argument, NULL, 'k' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "ready-fd", required_argument, NULL, O_READY },
		{ "reject-auth", no_argument, NULL, O_REJECT },
		{ "reject-first", required_argument, NULL, O_REJFIRST },
		{ "rest-fail", required_argument, NULL, O_RFAIL },
		{ "seed", required_argument, NULL, O_SEED },
		{ "sent-log", required_argument, NULL, O_SENT },
		{ "seq-gap-at", required_argument, NULL, O_GAP },
		{ "silent-after", required_argument, NULL, O_SILENT },
		{ "speed", required_argument, NULL, 's' },
		{ "start-offset", required_argument, NULL, O_START },
		{ "tick", required_argument, NULL, O_TICK },
		{ "tls-cert", required_argument, NULL, O_CERT },
		{ "tls-key", required_argument, NULL, O_KEY },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct lws_context_creation_info info;
	const char *start = NULL;
	struct errbuf err;
	int ch, ready_fd = -1, rc = 0;

	opt_set_usage("kalshi-sim", USAGE);
	log_init("kalshi-sim", LOG_LVL_INFO);
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "e:hi:k:n:p:qs:vV", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'e': S.espn_path = optarg; break;
		case 'h': usage_full(); return 0;
		case 'i': S.interval_ms = opt_int_or_die("interval", optarg, 1,
		    3600000); break;
		case 'k': S.pubkey_path = optarg; break;
		case 'n': S.count = opt_int_or_die("count", optarg, 0,
		    1000000000); break;
		case 'p': S.port = (int)opt_int_or_die("port", optarg, 0, 65535);
		    break;
		case 'q': log_quiet(); break;
		case 's': S.speed = opt_double_or_die("speed", optarg, 0.001,
		    100000); break;
		case 'v': log_verbose(); break;
		case 'V': opt_version();
		case O_KEYID: S.key_id = optarg; break;
		case O_SKEW: S.max_skew_ms = opt_int_or_die("max-skew", optarg,
		    0, 86400000); break;
		case O_START: start = optarg; break;
		case O_TICK: S.tick = opt_double_or_die("tick", optarg, 0.001,
		    0.1); break;
		case O_PAGE: S.page_size = (int)opt_int_or_die("page-size",
		    optarg, 1, 1000); break;
		case O_PING: S.ping_ms = opt_int_or_die("ping-interval", optarg,
		    10, 3600000); break;
		case O_SENT: S.sent_log_path = optarg; break;
		case O_SEED: S.seed = (uint64_t)opt_int_or_die("seed", optarg,
		    1, INT64_MAX); break;
		case O_READY: ready_fd = (int)opt_int_or_die("ready-fd", optarg,
		    0, 1 << 20); break;
		case O_DROP: S.drop_after = opt_int_or_die("drop-after", optarg,
		    1, 1000000000); break;
		case O_SILENT: S.silent_after = opt_int_or_die("silent-after",
		    optarg, 1, 1000000000); break;
		case O_GAP: S.seq_gap_at = opt_int_or_die("seq-gap-at", optarg,
		    1, 1000000000); break;
		case O_MALF: S.malformed_every = opt_int_or_die(
		    "malformed-every", optarg, 1, 1000000000); break;
		case O_DROPS: S.drops = opt_int_or_die("drops", optarg, 0,
		    1000000); break;
		case O_REJECT: S.reject_auth = 1; break;
		case O_CERT: S.tls_cert = optarg; break;
		case O_PINGLEN: S.ping_len = (size_t)opt_int_or_die(
		    "ping-payload", optarg, 0, 16); break;
		case O_KEY: S.tls_key = optarg; break;
		case O_REJFIRST: S.reject_first = opt_int_or_die("reject-first",
		    optarg, 1, 1000000000); break;
		case O_LIST: S.list_after = opt_int_or_die("list-after", optarg,
		    1, 1000000000); break;
		case O_CLOSE: S.close_after = opt_int_or_die("close-after",
		    optarg, 1, 1000000000); break;
		case O_RFAIL: S.rest_fail = opt_int_or_die("rest-fail", optarg,
		    0, 1000000000); break;
		case O_C429: S.candle_429 = opt_int_or_die("candle-429", optarg,
		    0, 1000000000); break;
		case O_C500: S.candle_500 = opt_int_or_die("candle-500", optarg,
		    0, 1000000000); break;
		case O_CGARB: S.candle_garbage = opt_int_or_die("candle-garbage",
		    optarg, 0, 1000000000); break;
		case O_CDROP: S.candle_drop_ask = opt_int_or_die(
		    "candle-drop-ask", optarg, 0, 1000000000); break;
		case O_COLDER: S.candles_older = 1; break;
		case O_CDELAY: S.candle_delay_ms = opt_int_or_die(
		    "candle-delay", optarg, 0, 60000); break;
		case O_CRETRY: S.candle_retry_after = opt_int_or_die(
		    "candle-retry-after", optarg, 0, 3600); break;
		default: bad_option(argv);
		}
	}
	if (optind != argc)
		opt_usage_error("unexpected argument: %s", argv[optind]);
	if (S.port == 0)
		opt_usage_error("--port is required");
	if ((S.tls_cert == NULL) != (S.tls_key == NULL))
		opt_usage_error("--tls-cert and --tls-key go together");
	S.rng = S.seed * 0x9E3779B97F4A7C15ULL | 1;
	if (S.pubkey_path != NULL &&
	    (S.pub = kalshi_pubkey_load(S.pubkey_path, &err)) == NULL) {
		log_error("cannot load public key", "detail=%s",
		    log_str(err.msg));
		return EXIT_CONFIG;
	}
	if (S.espn_path != NULL && load_espn(S.espn_path, &err) != 0) {
		log_error("cannot load ESPN summary", "detail=%s",
		    log_str(err.msg));
		rc = EXIT_DATAERR;
		goto done;
	}
	if (start != NULL && S.wp_n == 0)
		opt_usage_error("--start-offset needs --espn");
	if (S.wp_n > 0) {
		/* espn-sim's clock: t = first play + offset + elapsed * speed. */
		S.game_t0 = S.wp_t[0];
		if (start != NULL)
			S.game_t0 += (int64_t)(opt_double_or_die("start-offset",
			    start, -1e7, 1e7) * 1000.0);
		/* The plays before the offset set prices unsent: the
		 * candles a late subscriber can still fetch. */
		S.replaying = 1;
		while (S.wp_i < S.wp_n && S.wp_t[S.wp_i] < S.game_t0) {
			set_price(S.wp_p[S.wp_i] + (rnd01() - 0.5) * 0.02,
			    S.wp_t[S.wp_i]);
			S.wp_i++;
		}
		S.replaying = 0;
	}
	if (S.sent_log_path != NULL &&
	    (S.sent_log = fopen(S.sent_log_path, "a")) == NULL) {
		log_error("cannot open sent log", "errno=%d", errno);
		rc = EXIT_IOERR;
		goto done;
	}
	signal(SIGPIPE, SIG_IGN);
	lws_set_log_level(LLL_ERR, NULL);
	memset(&info, 0, sizeof(info));
	info.port = S.port;
	info.iface = "127.0.0.1";
	info.protocols = protocols;
	info.options = LWS_SERVER_OPTION_DISABLE_IPV6;
	if (S.tls_cert != NULL) {
		info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
		info.ssl_cert_filepath = S.tls_cert;
		info.ssl_private_key_filepath = S.tls_key;
	}
	if ((S.ctx = lws_create_context(&info)) == NULL) {
		log_error("cannot listen", "port=%d", S.port);
		rc = EXIT_OSERR;
		goto done;
	}
	log_info("listening", "port=%d synthetic=1 auth=%s markets=%d", S.port,
	    S.pub ? "rsa-pss" : (S.reject_auth ? "reject" : "none"),
	    NMARKETS);
	lws_sul_schedule(S.ctx, 0, &S.sul_ping, ping_cb,
	    (lws_usec_t)S.ping_ms * LWS_US_PER_MS);
	if (S.wp_n > 0)
		start_stream();	/* the game clock runs whoever listens */
	if (service_ready(ready_fd, &err) != 0)
		log_warn("readiness failed", "detail=%s", log_str(err.msg));
	{
		struct sigaction sa;

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_signal;
		sigaction(SIGTERM, &sa, NULL);
		sigaction(SIGINT, &sa, NULL);
	}
	while (!S.stop && lws_service(S.ctx, 0) >= 0)
		;
	log_info("stopping", "updates=%lld rest=%lld", S.updates,
	    S.rest_requests);
	lws_context_destroy(S.ctx);
done:
	if (S.sent_log != NULL)
		fclose(S.sent_log);
	kalshi_key_free(S.pub);
	free(S.wp_t);
	free(S.wp_p);
	return rc;
}
