/*
 * feed: the Kalshi WebSocket: connect and reconnect with backoff, the
 * ticker and trade subscription kept in line with the markets followed,
 * seq-gap checks, the dead timer and pings; handles each frame (replay
 * too). Falls back to REST polling while it fails.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "backoff.h"
#include "opts.h"
#include "timeutil.h"

#include "kalshi_ws.h"
#include "tap.h"

static void	ws_start(struct tap *);
static void	alive(struct tap *);

/* No subscription: a new connection, or one dropped after a seq gap. */
static void
sub_reset(struct tap *t)
{
	size_t i;

	t->sid_ticker = t->sid_trade = 0;
	t->seq_ticker = t->seq_trade = -1;
	t->sub_id = 0;
	for (i = 0; i < t->n_mk; i++)
		t->mk[i].subscribed = 0;
}

static void
check_seq(struct tap *t, const struct kalshi_ws_msg *msg)
{
	long long *last;

	/* Only data frames count: ok answers carry a seq of their own. */
	if (!msg->has_sid || !msg->has_seq || (msg->type != KALSHI_MSG_TICKER &&
	    msg->type != KALSHI_MSG_TRADE))
		return;
	if (msg->sid == t->sid_ticker && t->sid_ticker != 0)
		last = &t->seq_ticker;
	else if (msg->sid == t->sid_trade && t->sid_trade != 0)
		last = &t->seq_trade;
	else
		return;
	if (*last >= 0 && msg->seq != *last + 1 && t->ws != NULL &&
	    kws_is_open(t->ws)) {
		char buf[160];
		int n;

		log_warn("seq gap, resubscribing", "sid=%lld expected=%lld "
		    "got=%lld", msg->sid, *last + 1, msg->seq);
		n = snprintf(buf, sizeof(buf), "{\"id\":%lld,\"cmd\":"
		    "\"unsubscribe\",\"params\":{\"sids\":[%lld,%lld]}}",
		    ++t->next_id, t->sid_ticker, t->sid_trade);
		kws_send(t->ws, buf, (size_t)n);
		sub_reset(t);
		feed_sync(t);
		return;
	}
	*last = msg->seq;
}

/*
 * The market of ticker when we follow it, else NULL. A replay follows
 * every market it names.
 */
static struct mkt *
followed(struct tap *t, const char *ticker)
{
	struct mkt *m;

	if (t->cfg->replay != NULL)
		markets_follow(t, ticker);
	if ((m = markets_find(t, ticker)) == NULL || !m->following)
		return NULL;
	return m;
}

void
feed_handle(struct tap *t, const struct kalshi_ws_msg *mp)
{
	const struct kalshi_ws_msg msg = *mp;
	int64_t now = time_now_ms();
	struct mkt *m;

	check_seq(t, &msg);
	switch (msg.type) {
	case KALSHI_MSG_TICKER:
		if ((m = followed(t, msg.quote.ticker)) != NULL)
			emit_quote(t, m, &msg.quote, now);
		break;
	case KALSHI_MSG_TRADE:
		if (followed(t, msg.trade.ticker) != NULL)
			emit_trade(t, kalshi_trade_line(&msg.trade, now));
		break;
	case KALSHI_MSG_SUBSCRIBED:
		log_info("subscribed", "channel=%s sid=%lld", msg.channel,
		    msg.sid);
		if (strcmp(msg.channel, "ticker") == 0) {
			t->sid_ticker = msg.sid;
			t->seq_ticker = -1;
		} else if (strcmp(msg.channel, "trade") == 0) {
			t->sid_trade = msg.sid;
			t->seq_trade = -1;
		}
		if (t->sid_ticker != 0 && t->sid_trade != 0) {
			t->sub_id = 0;
			backoff_reset(&t->ws_b);
			t->ws_feed = FEED_OK;
			t->ws_fail_since = 0;
			t->ws_detail[0] = '\0';
			poll_stop(t);
			emit_state(t);
			feed_sync(t);
		}
		break;
	case KALSHI_MSG_OK:
		log_debug("subscription updated", "sid=%lld markets=%zu",
		    msg.sid, msg.n_tickers);
		break;
	case KALSHI_MSG_UNSUBSCRIBED:
		log_debug("unsubscribed", "sid=%lld", msg.sid);
		break;
	case KALSHI_MSG_ERROR:
		log_warn("kalshi error", "code=%lld name=%s error=%s id=%lld",
		    msg.code, kalshi_error_name(msg.code), log_str(msg.errmsg),
		    msg.id);
		/* A refused subscribe leaves us deaf: start over. */
		if (t->sub_id != 0 && msg.has_id && msg.id == t->sub_id &&
		    t->ws != NULL) {
			snprintf(t->ws_reason, sizeof(t->ws_reason),
			    "subscribe refused: %s", kalshi_error_name(msg.code));
			kws_drop(t->ws);
		}
		break;
	default:
		log_debug("frame ignored", "type=%s", log_str(msg.type_name));
		break;
	}
}

static void
handle_message(struct tap *t, const char *buf, size_t len)
{
	struct kalshi_ws_msg *msg;
	struct errbuf err;

	/* Big enough to keep off the stack of lws callbacks. */
	if ((msg = malloc(sizeof(*msg))) == NULL)
		return;
	if (kalshi_ws_parse_bytes(buf, len, msg, &err) != 0)
		log_rl(&t->bad_rl, LOG_LVL_WARN, "bad frame skipped",
		    "error=%s", log_str(err.msg));
	else
		feed_handle(t, msg);
	free(msg);
}

/* ------------------------------------------------------------------ */
/* WebSocket */

/* Appends ["a","b"] of the markets selected by want into buf. */
static int
tickers_json(struct tap *t, int (*want)(const struct mkt *), char *buf,
    size_t len, int mark)
{
	size_t i, off = 0;
	int n = 0, w;

	w = snprintf(buf, len, "[");
	off = (size_t)w;
	for (i = 0; i < t->n_mk; i++) {
		if (!want(&t->mk[i]))
			continue;
		w = snprintf(buf + off, len - off, "%s\"%s\"", n ? "," : "",
		    t->mk[i].m.ticker);
		if (w < 0 || (size_t)w >= len - off - 2)
			break;
		off += (size_t)w;
		n++;
		if (mark >= 0)
			t->mk[i].subscribed = mark;
	}
	snprintf(buf + off, len - off, "]");
	return n;
}

static int
want_add(const struct mkt *m)
{
	return m->following && !m->subscribed;
}

static int
want_del(const struct mkt *m)
{
	return !m->following && m->subscribed;
}

static void
send_update(struct tap *t, long long sid, const char *list,
    const char *action)
{
	char *buf;
	size_t n = strlen(list) + 160;
	int w;

	if ((buf = malloc(n)) == NULL)
		return;
	w = snprintf(buf, n, "{\"id\":%lld,\"cmd\":\"update_subscription\","
	    "\"params\":{\"sids\":[%lld],\"market_tickers\":%s,"
	    "\"action\":\"%s\"}}", ++t->next_id, sid, list, action);
	kws_send(t->ws, buf, (size_t)w);
	free(buf);
}

/* Brings the live subscription in line with the markets followed. */
void
feed_sync(struct tap *t)
{
	size_t cap = 64 + t->n_mk * (KALSHI_TICKER_MAX + 3);
	char *list, *buf;
	int n, w;

	/* The first subscribe waits for a whole market list. */
	if (t->ws == NULL || !kws_is_open(t->ws) || t->sub_id != 0 ||
	    !t->disc_done_once)
		return;
	if ((list = malloc(cap)) == NULL || (buf = malloc(cap + 160)) == NULL) {
		free(list);
		return;
	}
	if (t->sid_ticker == 0 || t->sid_trade == 0) {
		n = tickers_json(t, want_add, list, cap, 1);
		if (n > 0) {
			t->sub_id = ++t->next_id;
			w = snprintf(buf, cap + 160, "{\"id\":%lld,\"cmd\":"
			    "\"subscribe\",\"params\":{\"channels\":"
			    "[\"ticker\",\"trade\"],\"market_tickers\":%s}}",
			    t->sub_id, list);
			log_info("subscribing", "markets=%d", n);
			kws_send(t->ws, buf, (size_t)w);
		} else if (t->disc_done_once) {
			/* Connected, and nothing is open to follow: healthy. */
			backoff_reset(&t->ws_b);
			t->ws_feed = FEED_OK;
			t->ws_fail_since = 0;
			emit_state(t);
		}
	} else {
		if (tickers_json(t, want_add, list, cap, -1) > 0) {
			tickers_json(t, want_add, list, cap, 1);
			send_update(t, t->sid_ticker, list, "add_markets");
			send_update(t, t->sid_trade, list, "add_markets");
		}
		if (tickers_json(t, want_del, list, cap, -1) > 0) {
			tickers_json(t, want_del, list, cap, 0);
			send_update(t, t->sid_ticker, list, "delete_markets");
			send_update(t, t->sid_trade, list, "delete_markets");
		}
	}
	free(list);
	free(buf);
}

static void
ws_on_open(void *arg)
{
	struct tap *t = arg;

	log_info("websocket connected", "url=%s", log_str(t->cfg->ws_url));
	t->ws_connecting = 0;
	sub_reset(t);
	alive(t);
	feed_sync(t);
}

static void
dead_cb(uv_timer_t *h)
{
	struct tap *t = h->data;

	log_warn("websocket silent, reconnecting", "silent_ms=%lld",
	    (long long)t->cfg->dead_ms);
	t->ws_dead = 1;
	kws_drop(t->ws);
}

static void
ping_cb(uv_timer_t *h)
{
	struct tap *t = h->data;

	if (t->ws != NULL && kws_is_open(t->ws))
		kws_ping(t->ws);
}

static void
alive(struct tap *t)
{
	uv_timer_start(&t->dead_timer, dead_cb, (uint64_t)t->cfg->dead_ms, 0);
}

static void
ws_on_message(void *arg, const char *buf, size_t len)
{
	struct tap *t = arg;

	alive(t);
	handle_message(t, buf, len);
}

static void
ws_on_pong(void *arg)
{
	alive(arg);
}

static void
reconnect_cb(uv_timer_t *h)
{
	ws_start(h->data);
}

static void
ws_on_close(void *arg, const char *why, int status)
{
	struct tap *t = arg;
	int64_t delay;

	t->ws_connecting = 0;
	uv_timer_stop(&t->dead_timer);
	if (t->stopping)
		return;
	if (t->ws_dead)
		why = "silent past the dead timeout";
	else if (t->ws_reason[0] != '\0')
		why = t->ws_reason;
	t->ws_dead = 0;
	if (t->ws_fail_since == 0)
		t->ws_fail_since = time_mono_ms();
	delay = backoff_next(&t->ws_b);
	if (status != 0)
		snprintf(t->ws_detail, sizeof(t->ws_detail),
		    "websocket: %s (HTTP %d)", why, status);
	else
		snprintf(t->ws_detail, sizeof(t->ws_detail), "websocket: %s",
		    why);
	log_warn("websocket failed", "error=%s status=%d failures=%u "
	    "retry_in_ms=%lld", log_str(why), status, t->ws_b.failures,
	    (long long)delay);
	t->ws_feed = FEED_FAILING;
	t->ws_retry_ms = delay;
	if (backoff_exhausted(&t->ws_b) &&
	    !(t->polling && t->poll_feed == FEED_OK)) {
		tap_give_up(t, t->ws_detail, t->ws_b.failures);
		return;
	}
	backoff_keep_trying(&t->ws_b);	/* polling carries us */
	if (t->cfg->fallback_ms >= 0 && !t->polling &&
	    time_mono_ms() - t->ws_fail_since >= t->cfg->fallback_ms) {
		log_warn("falling back to REST polling", "failing_ms=%lld",
		    (long long)(time_mono_ms() - t->ws_fail_since));
		poll_start(t);
	}
	emit_state(t);
	uv_timer_start(&t->ws_timer, reconnect_cb, (uint64_t)delay, 0);
}

static void
ws_start(struct tap *t)
{
	struct errbuf err;

	if (t->stopping || t->ws_connecting)
		return;
	t->ws_connecting = 1;
	t->ws_reason[0] = '\0';
	log_debug("websocket connecting", "url=%s", log_str(t->cfg->ws_url));
	if (kws_connect(t->ws, &err) != 0) {
		t->ws_connecting = 0;
		ws_on_close(t, err.msg, 0);
	}
}


int
feed_open(struct tap *t, struct errbuf *err)
{
	struct kws_cfg wcfg;

	memset(&wcfg, 0, sizeof(wcfg));
	wcfg.url = t->cfg->ws_url;
	wcfg.key = t->cfg->key;
	wcfg.key_id = t->cfg->key_id;
	wcfg.ca_file = t->cfg->ca_file;
	wcfg.on_open = ws_on_open;
	wcfg.on_message = ws_on_message;
	wcfg.on_pong = ws_on_pong;
	wcfg.on_close = ws_on_close;
	wcfg.arg = t;
	if ((t->ws = kws_new(&t->svc.loop, &wcfg, err)) == NULL)
		return -1;
	uv_timer_start(&t->ping_timer, ping_cb, (uint64_t)t->cfg->ping_ms,
	    (uint64_t)t->cfg->ping_ms);
	ws_start(t);
	return 0;
}
