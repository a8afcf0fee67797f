/*
 * tap: the kalshi-tap engine on one libuv loop: market discovery (REST),
 * the WebSocket feed with its subscription, seq and liveness checks,
 * REST polling as the fallback, replay of recorded frames, and the lines
 * out. It never blocks the loop and never logs the key.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <uv.h>

#include "backoff.h"
#include "input.h"
#include "log.h"
#include "ndjson.h"
#include "opts.h"
#include "output.h"
#include "service.h"
#include "timeutil.h"

#include "kalshi_parse.h"
#include "fetch.h"
#include "kalshi_ws.h"
#include "tap.h"
#include "tap_state.h"

#define MAX_MARKETS	1024
#define MAX_PAGES	50	/* per series per discovery round */
#define TICKERS_PER_GET	40
#define REST_TIMEOUT_MS	10000
#define REPLAY_QUEUE	4096
/* --state: rewrite once the appends pass this factor of the kept bytes. */
#define STATE_GROWTH	4
#define STATE_FLOOR	(1 << 20)	/* bytes appended before any rewrite */
#define STATE_MAX	((size_t)1 << 30)	/* a larger file is not read */
/* A closed market's quotes are still resent this long (a restarted
 * aligner keeps the finished game's Kalshi series). */
#define CLOSED_KEEP_MS	(12 * 3600 * 1000LL)

/*
 * A quote line written, held for resending to a new consumer: on a global
 * list in write order, and chained per market oldest first.
 */
struct qline {
	struct qline	*prev, *next;	/* all markets, in write order */
	struct qline	*mnext;		/* same market, newer */
	size_t		 len;
	char		 line[];
};

struct mkt {
	struct kalshi_market m;		/* latest REST view */
	struct qline	*h_old, *h_new;	/* quote history of this market */
	size_t		 h_n;
	unsigned long long h_dropped;
	int64_t		 closed_ms;	/* not followed since (wall ms), or 0 */
	struct kalshi_quote q;		/* latest quote written */
	int		 has_q;
	int		 explicit;	/* from --market */
	int		 following;
	int		 subscribed;	/* in the live WS subscription */
	int		 seen;		/* in this discovery round */
};

enum feed { FEED_START, FEED_OK, FEED_FAILING };

struct tap {
	const struct tap_cfg *cfg;
	uv_loop_t	 loop;
	struct output	*out;
	struct fetch	*rest;
	struct kws	*ws;
	int		 exit_code;
	int		 stopping;

	struct mkt	*mk;
	size_t		 n_mk;
	struct qline	*q_first, *q_last;	/* quote history, all markets */

	/* source line state */
	char		 src_state[16];
	char		 src_detail[200];

	/* discovery */
	uv_timer_t	 disc_timer;
	size_t		 disc_stage;	/* series index, then explicit chunks */
	size_t		 disc_pages;
	char		 disc_cursor[256];
	int		 disc_running, disc_failing, disc_done_once;
	char		 disc_detail[160];
	int64_t		 disc_retry_ms;
	struct backoff	 disc_b;

	/* websocket */
	uv_timer_t	 ws_timer;	/* reconnect */
	uv_timer_t	 dead_timer;
	uv_timer_t	 ping_timer;
	struct backoff	 ws_b;
	enum feed	 ws_feed;
	char		 ws_detail[160];
	int64_t		 ws_retry_ms;
	int64_t		 ws_fail_since;	/* mono ms, 0 when healthy */
	long long	 next_id;
	long long	 sub_id;	/* subscribe in flight, 0 none */
	long long	 sid_ticker, sid_trade;
	long long	 seq_ticker, seq_trade;	/* last seq seen, -1 none */
	int		 ws_connecting, ws_dead;
	char		 ws_reason[96];	/* why we dropped it, if we did */

	/* REST polling */
	uv_timer_t	 poll_timer;
	int		 polling, poll_inflight, poll_left;
	struct backoff	 poll_b;
	enum feed	 poll_feed;
	char		 poll_detail[160];
	int64_t		 poll_retry_ms;
	int		 poll_round_failed;

	/* replay */
	uv_timer_t	 replay_timer;
	struct input	*rin;
	json_t		*rq[REPLAY_QUEUE];	/* frames read, not yet due */
	size_t		 rq_head, rq_n;
	int		 replay_eof, replay_paused, replay_waiting;
	unsigned long long replay_frames;
	int64_t		 replay_t0_mono, replay_t0_ev;

	uv_timer_t	 stop_timer;

	/* --state file */
	int		 st_fd;		/* open for appending, or -1 */
	unsigned long long st_kept;	/* bytes at the last rewrite */
	unsigned long long st_added;	/* bytes appended since */
	struct ratelimit st_rl;

	struct ratelimit bad_rl;
};

static void	sync_subscription(struct tap *);
static void	ws_start(struct tap *);
static void	poll_start(struct tap *);
static void	poll_stop(struct tap *);
static void	tap_stop(struct tap *, int code);
static void	alive(struct tap *);

/* ------------------------------------------------------------------ */
/* Lines out */

static void
write_line(struct tap *t, json_t *line)
{
	size_t len;
	char *s;

	if (line == NULL || t->out == NULL) {
		json_decref(line);
		return;
	}
	if ((s = kalshi_line_encode(line, &len)) != NULL) {
		output_write(t->out, s, len);
		free(s);
	}
	json_decref(line);
}

static void
write_source(struct tap *t, const char *state, const char *detail,
    int64_t retry_ms)
{
	json_t *o;

	if (strcmp(t->src_state, state) == 0 &&
	    strcmp(t->src_detail, detail) == 0)
		return;
	snprintf(t->src_state, sizeof(t->src_state), "%s", state);
	snprintf(t->src_detail, sizeof(t->src_detail), "%s", detail);
	log_info("source", "state=%s detail=%s retry_in_ms=%lld", state,
	    log_str(detail), (long long)retry_ms);
	o = json_pack("{s:s, s:s, s:I, s:s, s:s}", "type", "source", "src",
	    "kalshi", "ts", (json_int_t)time_now_ms(), "state", state,
	    "detail", detail);
	if (o != NULL && retry_ms > 0)
		json_object_set_new(o, "retry_in_ms", json_integer(retry_ms));
	write_line(t, o);
}

/* The source state is the worst of discovery and the live feed. */
static void
update_source(struct tap *t)
{
	int ws_primary = t->cfg->key != NULL;
	enum feed feed = ws_primary ? t->ws_feed : t->poll_feed;
	const char *detail = ws_primary ? t->ws_detail : t->poll_detail;
	int64_t retry = ws_primary ? t->ws_retry_ms : t->poll_retry_ms;

	if (t->stopping || t->cfg->replay != NULL)
		return;
	/* A working fallback keeps the source up while the WS is out. */
	if (ws_primary && feed == FEED_FAILING && t->polling &&
	    t->poll_feed == FEED_OK) {
		char d[200];

		snprintf(d, sizeof(d), "polling REST; %s", t->ws_detail);
		write_source(t, "degraded", d, t->ws_retry_ms);
		return;
	}
	if (t->disc_failing)
		write_source(t, "degraded", t->disc_detail, t->disc_retry_ms);
	else if (feed == FEED_FAILING)
		write_source(t, "degraded", detail, retry);
	else if (feed == FEED_OK && t->disc_done_once)
		write_source(t, "ok", ws_primary ? "websocket" : "rest polling",
		    0);
}

/* ------------------------------------------------------------------ */
/* Markets */

static struct mkt *
find_market(struct tap *t, const char *ticker)
{
	size_t i;

	for (i = 0; i < t->n_mk; i++)
		if (strcmp(t->mk[i].m.ticker, ticker) == 0)
			return &t->mk[i];
	return NULL;
}

static struct mkt *
add_market(struct tap *t, const char *ticker)
{
	struct mkt *m;

	if (t->n_mk >= MAX_MARKETS)
		return NULL;
	m = &t->mk[t->n_mk++];
	memset(m, 0, sizeof(*m));
	snprintf(m->m.ticker, sizeof(m->m.ticker), "%s", ticker);
	snprintf(m->q.ticker, sizeof(m->q.ticker), "%s", ticker);
	return m;
}

static int
status_open(const char *s)
{
	/* The listing says "active" for what status=open selects. */
	return s[0] == '\0' || strcmp(s, "active") == 0 ||
	    strcmp(s, "open") == 0 || strcmp(s, "initialized") == 0;
}

/* Unlinks and frees the oldest held quote line of m. */
static void
history_drop_oldest(struct tap *t, struct mkt *m)
{
	struct qline *e = m->h_old;

	if (e == NULL)
		return;
	m->h_old = e->mnext;
	if (m->h_old == NULL)
		m->h_new = NULL;
	m->h_n--;
	if (e->prev != NULL)
		e->prev->next = e->next;
	else
		t->q_first = e->next;
	if (e->next != NULL)
		e->next->prev = e->prev;
	else
		t->q_last = e->prev;
	free(e);
}

/* Forgets the quote history of m (closed long ago, or shutting down). */
static void
history_clear(struct tap *t, struct mkt *m)
{
	while (m->h_old != NULL)
		history_drop_oldest(t, m);
}

/*
 * Holds a copy of a quote line of m, dropping its oldest past the bound;
 * quiet: without logging the drops (loading the state file).
 */
static void
history_add(struct tap *t, struct mkt *m, const char *s, size_t len,
    int quiet)
{
	struct qline *e;

	if (t->cfg->max_history == 0)
		return;
	if ((e = malloc(sizeof(*e) + len)) == NULL) {
		log_rl(&t->bad_rl, LOG_LVL_WARN, "out of memory, quote not "
		    "held for resync", "ticker=%s", m->m.ticker);
		return;
	}
	memcpy(e->line, s, len);
	e->len = len;
	e->mnext = NULL;
	e->next = NULL;
	e->prev = t->q_last;
	if (t->q_last != NULL)
		t->q_last->next = e;
	else
		t->q_first = e;
	t->q_last = e;
	if (m->h_new != NULL)
		m->h_new->mnext = e;
	else
		m->h_old = e;
	m->h_new = e;
	m->h_n++;
	while (m->h_n > t->cfg->max_history) {
		history_drop_oldest(t, m);
		if (quiet)
			continue;
		/* Log the first drop, then every max_history drops. */
		if (m->h_dropped++ % t->cfg->max_history == 0)
			log_info("quote history full, oldest dropped",
			    "ticker=%s max_history=%zu dropped=%llu",
			    m->m.ticker, t->cfg->max_history, m->h_dropped);
	}
}

/* ------------------------------------------------------------------ */
/* The --state file: the quote lines written, to seed a restarted tap */

/*
 * Rewrites the state file from the quote history held, in write order.
 * Errors are logged; the quote stream goes on without the file. Returns 0
 * or -1.
 */
static int
state_rewrite(struct tap *t)
{
	const char *path = t->cfg->state;
	unsigned long long bytes = 0, n = 0;
	const struct qline *e;
	struct errbuf err;
	char tmp[4096];
	int fd;

	/* Whatever happens, wait for as many bytes again before retrying. */
	t->st_added = 0;
	if ((fd = tap_state_begin(path, tmp, sizeof(tmp), &err)) == -1)
		goto fail;
	for (e = t->q_first; e != NULL; e = e->next) {
		if (tap_state_write(fd, e->line, e->len, &err) != 0) {
			tap_state_abort(fd, tmp);
			goto fail;
		}
		bytes += e->len;
		n++;
	}
	if (tap_state_commit(fd, tmp, path, &err) != 0)
		goto fail;
	/* The old descriptor appends to the file the rename replaced. */
	if (t->st_fd != -1)
		close(t->st_fd);
	if ((t->st_fd = tap_state_open(path, &err)) == -1)
		goto fail;
	t->st_kept = bytes;
	log_info("state file rewritten", "path=%s quotes=%llu bytes=%llu",
	    log_str(path), n, bytes);
	return 0;
fail:
	log_rl(&t->st_rl, LOG_LVL_WARN, "cannot rewrite state file",
	    "path=%s detail=%s", log_str(path), log_str(err.msg));
	return -1;
}

/* Appends one quote line as written; rewrites the file when it grew. */
static void
state_append(struct tap *t, const char *s, size_t len)
{
	struct errbuf err;

	if (t->cfg->state == NULL)
		return;
	if (t->st_fd == -1 &&
	    (t->st_fd = tap_state_open(t->cfg->state, &err)) == -1) {
		log_rl(&t->st_rl, LOG_LVL_WARN, "cannot open state file",
		    "path=%s detail=%s", log_str(t->cfg->state),
		    log_str(err.msg));
		return;
	}
	if (tap_state_write(t->st_fd, s, len, &err) != 0) {
		log_rl(&t->st_rl, LOG_LVL_WARN, "cannot append to state file",
		    "path=%s detail=%s", log_str(t->cfg->state),
		    log_str(err.msg));
		/* Reopen next time: a partial line ends at our next one. */
		close(t->st_fd);
		t->st_fd = -1;
		return;
	}
	t->st_added += len;
	if (t->st_added > STATE_GROWTH * t->st_kept + STATE_FLOOR)
		(void)state_rewrite(t);
}

/*
 * Seeds the quote history from the state file, newest max_history per
 * market, then rewrites the file with just those. Lines that are not our
 * quote lines (a partial last line after a kill, say) are skipped.
 */
static void
state_load(struct tap *t)
{
	const char *path = t->cfg->state;
	unsigned long long kept = 0, bad = 0;
	char ticker[KALSHI_TICKER_MAX];
	char *buf, *p, *nl, *end;
	struct errbuf err, lerr;
	size_t len, i, nm = 0;
	int missing, partial = 0;
	struct mkt *m;
	int64_t ts;

	lerr.msg[0] = '\0';
	if ((buf = tap_state_read(path, STATE_MAX, &len, &missing,
	    &err)) == NULL) {
		if (missing)
			log_info("no state file yet", "path=%s",
			    log_str(path));
		else
			log_warn("cannot read state file, starting empty",
			    "path=%s detail=%s", log_str(path),
			    log_str(err.msg));
		return;
	}
	end = buf + len;
	for (p = buf; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL) {
			partial = 1;
			bad++;
			break;
		}
		if (tap_state_parse_line(p, (size_t)(nl - p + 1), ticker,
		    sizeof(ticker), &ts, &err) != 0) {
			if (bad++ == 0)
				lerr = err;
			continue;
		}
		if ((m = find_market(t, ticker)) == NULL &&
		    (m = add_market(t, ticker)) == NULL) {
			if (bad++ == 0)
				errbuf_set(&lerr, "too many markets");
			continue;
		}
		history_add(t, m, p, (size_t)(nl - p + 1), 1);
		/* Closed, as far as we know, since its newest quote. */
		if (ts > m->closed_ms)
			m->closed_ms = ts;
	}
	free(buf);
	for (i = 0; i < t->n_mk; i++) {
		kept += t->mk[i].h_n;
		nm += t->mk[i].h_n > 0;
	}
	if (bad > 0)
		log_warn("state file lines skipped", "path=%s skipped=%llu "
		    "partial_last=%d first=%s", log_str(path), bad, partial,
		    log_str(partial && bad == 1 ? "partial line" : lerr.msg));
	log_info("state loaded", "path=%s quotes=%llu markets=%zu",
	    log_str(path), kept, nm);
	/* Not rewritten: end a partial line, lest our first one join it. */
	if (state_rewrite(t) != 0 && partial)
		state_append(t, "\n", 1);
}

static void
write_quote(struct tap *t, struct mkt *m, const struct kalshi_quote *q,
    int64_t recv)
{
	json_t *line;
	size_t len;
	char *s;

	m->q = *q;
	m->has_q = 1;
	if ((line = kalshi_quote_line(q, recv)) == NULL)
		return;
	if ((s = kalshi_line_encode(line, &len)) != NULL) {
		history_add(t, m, s, len, 0);
		state_append(t, s, len);
		/*
		 * A unix: consumer that is away gets the history when it
		 * comes back; queueing too would send these twice.
		 */
		if (t->out != NULL && output_connected(t->out))
			output_write(t->out, s, len);
		free(s);
	}
	json_decref(line);
}

/*
 * Resends our state to a new consumer: market lines, every quote line
 * held (as written, in write order), the source state.
 */
static void
on_output_connect(void *arg, struct output *out)
{
	struct tap *t = arg;
	const struct qline *e;
	unsigned long long n = 0;
	size_t i;

	for (i = 0; i < t->n_mk; i++) {
		if (!t->mk[i].following)
			continue;
		write_line(t, kalshi_market_line(&t->mk[i].m));
	}
	for (e = t->q_first; e != NULL; e = e->next) {
		output_write(out, e->line, e->len);
		n++;
	}
	log_info("output connected, state resent", "quotes=%llu", n);
	if (t->src_state[0] != '\0')
		write_line(t, json_pack("{s:s, s:s, s:I, s:s, s:s}", "type",
		    "source", "src", "kalshi", "ts", (json_int_t)time_now_ms(),
		    "state", t->src_state, "detail", t->src_detail));
}

/* ------------------------------------------------------------------ */
/* WS messages (also replay) */

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
		t->sid_ticker = t->sid_trade = 0;
		t->seq_ticker = t->seq_trade = -1;
		t->sub_id = 0;
		for (size_t i = 0; i < t->n_mk; i++)
			t->mk[i].subscribed = 0;
		sync_subscription(t);
		return;
	}
	*last = msg->seq;
}

static void
replay_market(struct tap *t, const char *ticker)
{
	struct mkt *m;
	const char *dash;

	/* A market known only from the state file is followed now. */
	if (!kalshi_ticker_ok(ticker) ||
	    ((m = find_market(t, ticker)) != NULL && m->following))
		return;
	if (m == NULL && (m = add_market(t, ticker)) == NULL)
		return;
	dash = strrchr(ticker, '-');
	if (dash != NULL && (size_t)(dash - ticker) < sizeof(m->m.event_ticker))
		snprintf(m->m.event_ticker, sizeof(m->m.event_ticker), "%.*s",
		    (int)(dash - ticker), ticker);
	m->following = 1;
	write_line(t, kalshi_market_line(&m->m));
}

static void
handle_parsed(struct tap *t, const struct kalshi_ws_msg *mp)
{
	const struct kalshi_ws_msg msg = *mp;
	int64_t now = time_now_ms();
	struct mkt *m;

	check_seq(t, &msg);
	switch (msg.type) {
	case KALSHI_MSG_TICKER:
		if (t->cfg->replay != NULL)
			replay_market(t, msg.quote.ticker);
		if ((m = find_market(t, msg.quote.ticker)) == NULL ||
		    !m->following)
			return;
		write_quote(t, m, &msg.quote, now);
		break;
	case KALSHI_MSG_TRADE:
		if (t->cfg->replay != NULL)
			replay_market(t, msg.trade.ticker);
		if ((m = find_market(t, msg.trade.ticker)) == NULL ||
		    !m->following)
			return;
		write_line(t, kalshi_trade_line(&msg.trade, now));
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
			update_source(t);
			sync_subscription(t);
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
		log_warn("kalshi error", "code=%lld name=%s detail=%s id=%lld",
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
		    "detail=%s", log_str(err.msg));
	else
		handle_parsed(t, msg);
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
static void
sync_subscription(struct tap *t)
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
			update_source(t);
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
	t->sid_ticker = t->sid_trade = 0;
	t->seq_ticker = t->seq_trade = -1;
	t->sub_id = 0;
	for (size_t i = 0; i < t->n_mk; i++)
		t->mk[i].subscribed = 0;
	alive(t);
	sync_subscription(t);
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
	log_warn("websocket failed", "reason=%s status=%d failures=%u "
	    "retry_in_ms=%lld", log_str(why), status, t->ws_b.failures,
	    (long long)delay);
	t->ws_feed = FEED_FAILING;
	t->ws_retry_ms = delay;
	if (backoff_exhausted(&t->ws_b) &&
	    !(t->polling && t->poll_feed == FEED_OK)) {
		char d[200];

		snprintf(d, sizeof(d), "%s; gave up after %u failures",
		    t->ws_detail, t->ws_b.failures);
		write_source(t, "down", d, 0);
		log_error("giving up", "failures=%u", t->ws_b.failures);
		tap_stop(t, EXIT_UNAVAIL);
		return;
	}
	if (backoff_exhausted(&t->ws_b))
		t->ws_b.failures--;	/* polling carries us; keep trying */
	if (t->cfg->fallback_ms >= 0 && !t->polling &&
	    time_mono_ms() - t->ws_fail_since >= t->cfg->fallback_ms) {
		log_warn("falling back to REST polling", "failing_ms=%lld",
		    (long long)(time_mono_ms() - t->ws_fail_since));
		poll_start(t);
	}
	update_source(t);
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

/* ------------------------------------------------------------------ */
/* REST: discovery */

static void	disc_next(struct tap *);

static size_t
n_explicit_chunks(const struct tap *t)
{
	return (t->cfg->n_markets + TICKERS_PER_GET - 1) / TICKERS_PER_GET;
}

static void disc_timer_cb(uv_timer_t *h);

static void
disc_fail(struct tap *t, const char *detail)
{
	int64_t delay = backoff_next(&t->disc_b);

	t->disc_running = 0;
	snprintf(t->disc_detail, sizeof(t->disc_detail), "market list: %s",
	    detail);
	log_warn("market discovery failed", "detail=%s failures=%u "
	    "retry_in_ms=%lld", log_str(detail), t->disc_b.failures,
	    (long long)delay);
	t->disc_failing = 1;
	t->disc_retry_ms = delay;
	if (backoff_exhausted(&t->disc_b) && t->n_mk == 0) {
		char d[200];

		snprintf(d, sizeof(d), "%s; gave up after %u failures",
		    t->disc_detail, t->disc_b.failures);
		write_source(t, "down", d, 0);
		tap_stop(t, EXIT_UNAVAIL);
		return;
	}
	if (backoff_exhausted(&t->disc_b))
		t->disc_b.failures--;
	update_source(t);
	uv_timer_start(&t->disc_timer, disc_timer_cb, (uint64_t)delay, 0);
}

/* Forgets the quotes of markets closed for longer than CLOSED_KEEP_MS. */
static void
forget_closed(struct tap *t)
{
	int64_t now = time_now_ms();
	size_t i;

	for (i = 0; i < t->n_mk; i++) {
		struct mkt *m = &t->mk[i];

		if (m->following || m->h_n == 0 || m->closed_ms == 0 ||
		    now - m->closed_ms < CLOSED_KEEP_MS)
			continue;
		log_info("closed market's quotes forgotten", "ticker=%s "
		    "quotes=%zu", m->m.ticker, m->h_n);
		history_clear(t, m);
	}
}

/* A round finished: apply what it saw. */
static void
disc_apply(struct tap *t)
{
	size_t i;

	for (i = 0; i < t->n_mk; i++) {
		struct mkt *m = &t->mk[i];

		if (m->following && !m->seen && !m->explicit) {
			/* Gone from the open listing: closed or settled. */
			m->following = 0;
			m->closed_ms = time_now_ms();
			snprintf(m->m.status, sizeof(m->m.status), "closed");
			log_info("market closed", "ticker=%s", m->m.ticker);
			write_line(t, kalshi_market_line(&m->m));
		}
	}
	for (i = 0; i < t->cfg->n_markets; i++) {
		const struct mkt *m = find_market(t, t->cfg->markets[i]);

		if (m == NULL || !m->seen)
			log_warn("market not listed", "ticker=%s",
			    log_str(t->cfg->markets[i]));
	}
	forget_closed(t);
	t->disc_running = 0;
	t->disc_failing = 0;
	t->disc_done_once = 1;
	backoff_reset(&t->disc_b);
	log_debug("market discovery done", "markets=%zu", t->n_mk);
	sync_subscription(t);
	if (t->cfg->key == NULL && !t->polling)
		poll_start(t);
	update_source(t);
	uv_timer_start(&t->disc_timer, disc_timer_cb,
	    (uint64_t)t->cfg->discover_ms, 0);
}

static void
disc_take(struct tap *t, const struct kalshi_market *km, int explicit)
{
	struct mkt *m = find_market(t, km->ticker);
	int changed = 0, open = status_open(km->status);

	if (m == NULL) {
		if (!open)
			return;
		if (!kalshi_ticker_ok(km->ticker)) {
			log_rl(&t->bad_rl, LOG_LVL_WARN, "odd ticker skipped",
			    "ticker=%s", log_str(km->ticker));
			return;
		}
		if ((m = add_market(t, km->ticker)) == NULL) {
			log_rl(&t->bad_rl, LOG_LVL_WARN, "too many markets",
			    "limit=%d", MAX_MARKETS);
			return;
		}
		changed = 1;
	}
	m->seen = 1;
	if (explicit)
		m->explicit = 1;
	if (strcmp(m->m.status, km->status) != 0 ||
	    strcmp(m->m.event_ticker, km->event_ticker) != 0 ||
	    m->following != open)
		changed = 1;
	snprintf(m->m.event_ticker, sizeof(m->m.event_ticker), "%s",
	    km->event_ticker);
	snprintf(m->m.status, sizeof(m->m.status), "%s", km->status);
	if (!open && (m->following || m->closed_ms == 0))
		m->closed_ms = time_now_ms();
	else if (open)
		m->closed_ms = 0;
	m->following = open;
	if (changed) {
		log_info("market", "ticker=%s status=%s", m->m.ticker,
		    log_str(m->m.status));
		write_line(t, kalshi_market_line(&m->m));
	}
}

static void
disc_done(void *arg, const struct fetch_result *res)
{
	struct tap *t = arg;
	long status = res->ok ? res->status : 0;
	const char *body = res->body, *error = res->error;
	size_t len = res->len;
	struct kalshi_market *page;
	char detail[160];
	struct errbuf err;
	json_error_t jerr;
	json_t *doc;
	int n, i, explicit = t->disc_stage >= t->cfg->n_series;

	if (t->stopping)
		return;
	if (status != 200) {
		if (status == 0)
			snprintf(detail, sizeof(detail), "%s", error);
		else
			snprintf(detail, sizeof(detail), "HTTP %ld", status);
		disc_fail(t, detail);
		return;
	}
	if ((doc = json_loadb(body, len, 0, &jerr)) == NULL) {
		disc_fail(t, "body is not JSON");
		return;
	}
	if ((page = calloc(1000, sizeof(*page))) == NULL) {
		json_decref(doc);
		disc_fail(t, "out of memory");
		return;
	}
	n = kalshi_markets_parse(doc, page, 1000, t->disc_cursor,
	    sizeof(t->disc_cursor), &err);
	json_decref(doc);
	if (n < 0) {
		free(page);
		disc_fail(t, err.msg);
		return;
	}
	for (i = 0; i < n; i++)
		disc_take(t, &page[i], explicit);
	free(page);
	if (explicit || t->disc_cursor[0] == '\0' ||
	    ++t->disc_pages >= MAX_PAGES) {
		t->disc_stage++;
		t->disc_pages = 0;
		t->disc_cursor[0] = '\0';
	}
	disc_next(t);
}

static void
disc_next(struct tap *t)
{
	const struct tap_cfg *c = t->cfg;
	char url[4096];
	struct errbuf err;
	size_t off, k, first;
	int w;

	if (t->disc_stage < c->n_series) {
		w = snprintf(url, sizeof(url), "%s/markets?series_ticker=%s"
		    "&status=open&limit=1000%s%s", c->rest_url,
		    c->series[t->disc_stage], t->disc_cursor[0] ? "&cursor=" :
		    "", t->disc_cursor);
	} else if (t->disc_stage - c->n_series < n_explicit_chunks(t)) {
		first = (t->disc_stage - c->n_series) * TICKERS_PER_GET;
		w = snprintf(url, sizeof(url), "%s/markets?tickers=",
		    c->rest_url);
		off = (size_t)w;
		for (k = first; k < c->n_markets && k < first + TICKERS_PER_GET;
		    k++) {
			w = snprintf(url + off, sizeof(url) - off, "%s%s",
			    k > first ? "," : "", c->markets[k]);
			if (w < 0 || (size_t)w >= sizeof(url) - off)
				break;
			off += (size_t)w;
		}
		w = (int)off;
	} else {
		disc_apply(t);
		return;
	}
	if (w < 0 || (size_t)w >= sizeof(url)) {
		disc_fail(t, "URL too long");
		return;
	}
	if (fetch_get(t->rest, url, NULL, NULL, disc_done, t, &err) != 0)
		disc_fail(t, err.msg);
}

static void
disc_timer_cb(uv_timer_t *h)
{
	struct tap *t = h->data;
	size_t i;

	if (t->disc_running || t->stopping)
		return;
	t->disc_running = 1;
	t->disc_stage = 0;
	t->disc_pages = 0;
	t->disc_cursor[0] = '\0';
	for (i = 0; i < t->n_mk; i++)
		t->mk[i].seen = 0;
	disc_next(t);
}

/* ------------------------------------------------------------------ */
/* REST: polling */

static void poll_cb(uv_timer_t *h);

static void
poll_finished(struct tap *t)
{
	int64_t delay = t->cfg->poll_ms;

	if (t->poll_round_failed) {
		int64_t d = backoff_next(&t->poll_b);

		t->poll_feed = FEED_FAILING;
		t->poll_retry_ms = d > delay ? d : delay;
		delay = t->poll_retry_ms;
		log_warn("polling failed", "detail=%s failures=%u "
		    "retry_in_ms=%lld", log_str(t->poll_detail),
		    t->poll_b.failures, (long long)delay);
		if (backoff_exhausted(&t->poll_b) && t->cfg->key == NULL) {
			char d2[200];

			snprintf(d2, sizeof(d2), "%s; gave up after %u failures",
			    t->poll_detail, t->poll_b.failures);
			write_source(t, "down", d2, 0);
			tap_stop(t, EXIT_UNAVAIL);
			return;
		}
		if (backoff_exhausted(&t->poll_b))
			t->poll_b.failures--;
	} else {
		backoff_reset(&t->poll_b);
		t->poll_feed = FEED_OK;
		t->poll_detail[0] = '\0';
	}
	update_source(t);
	if (t->polling)
		uv_timer_start(&t->poll_timer, poll_cb, (uint64_t)delay, 0);
}

/* One market-data request of a polling round, with its cursor pages. */
struct poll_req {
	struct tap	*t;
	char		 base[4096];
	int		 pages;
};

static int	poll_send(struct tap *, struct poll_req *, const char *cursor);

static void
poll_done(void *arg, const struct fetch_result *res)
{
	struct poll_req *pr = arg;
	long status = res->ok ? res->status : 0;
	const char *body = res->body, *error = res->error;
	size_t len = res->len;
	struct tap *t = pr->t;
	struct kalshi_market *page = NULL;
	struct errbuf err;
	json_error_t jerr;
	json_t *doc = NULL;
	char cursor[256];
	int64_t now = time_now_ms();
	int n, i;

	t->poll_inflight--;
	if (t->stopping) {
		free(pr);
		return;
	}
	if (status != 200) {
		t->poll_round_failed = 1;
		if (status == 0)
			snprintf(t->poll_detail, sizeof(t->poll_detail),
			    "market data: %.120s", error);
		else
			snprintf(t->poll_detail, sizeof(t->poll_detail),
			    "market data: HTTP %ld", status);
		goto out;
	}
	if ((doc = json_loadb(body, len, 0, &jerr)) == NULL ||
	    (page = calloc(TICKERS_PER_GET, sizeof(*page))) == NULL ||
	    (n = kalshi_markets_parse(doc, page, TICKERS_PER_GET, cursor,
	    sizeof(cursor), &err)) < 0) {
		t->poll_round_failed = 1;
		snprintf(t->poll_detail, sizeof(t->poll_detail),
		    "market data: bad body");
		goto out;
	}
	for (i = 0; i < n; i++) {
		struct mkt *m = find_market(t, page[i].ticker);

		if (m == NULL || !m->following || page[i].quote.has == 0)
			continue;
		/* Polling sees state, not events: write only changes. */
		if (m->has_q && kalshi_quote_same(&m->q, &page[i].quote))
			continue;
		write_quote(t, m, &page[i].quote, now);
	}
	/* The listing pages even when asked for named tickers. */
	if (cursor[0] != '\0' && ++pr->pages < MAX_PAGES &&
	    poll_send(t, pr, cursor) == 0)
		pr = NULL;
out:
	free(pr);
	free(page);
	json_decref(doc);
	if (t->poll_inflight == 0)
		poll_finished(t);
}

/* Sends pr (base URL plus cursor). Returns 0, or -1 (round failed). */
static int
poll_send(struct tap *t, struct poll_req *pr, const char *cursor)
{
	char url[4400];
	struct errbuf err;

	snprintf(url, sizeof(url), "%s%s%s", pr->base, cursor ? "&cursor=" :
	    "", cursor ? cursor : "");
	if (fetch_get(t->rest, url, NULL, NULL, poll_done, pr,
	    &err) != 0) {
		t->poll_round_failed = 1;
		snprintf(t->poll_detail, sizeof(t->poll_detail),
		    "market data: %.120s", err.msg);
		return -1;
	}
	t->poll_inflight++;
	return 0;
}

static void
poll_cb(uv_timer_t *h)
{
	struct tap *t = h->data;
	struct poll_req *pr = NULL;
	size_t i, off = 0;
	int w, in_url = 0;

	if (!t->polling || t->poll_inflight > 0 || t->stopping)
		return;
	t->poll_round_failed = 0;
	for (i = 0; i <= t->n_mk; i++) {
		if (i < t->n_mk && t->mk[i].following) {
			if (in_url == 0) {
				if ((pr = calloc(1, sizeof(*pr))) == NULL) {
					t->poll_round_failed = 1;
					break;
				}
				pr->t = t;
				w = snprintf(pr->base, sizeof(pr->base),
				    "%s/markets?limit=1000&tickers=",
				    t->cfg->rest_url);
				off = (size_t)w;
			}
			w = snprintf(pr->base + off, sizeof(pr->base) - off,
			    "%s%s", in_url ? "," : "", t->mk[i].m.ticker);
			if (w > 0 && (size_t)w < sizeof(pr->base) - off) {
				off += (size_t)w;
				in_url++;
			}
		}
		if (in_url > 0 && (in_url == TICKERS_PER_GET || i == t->n_mk)) {
			if (poll_send(t, pr, NULL) != 0)
				free(pr);
			pr = NULL;
			in_url = 0;
		}
	}
	if (t->poll_inflight == 0) {
		/* Nothing to ask (no markets yet) or nothing started. */
		if (t->poll_round_failed)
			poll_finished(t);
		else {
			/* No open markets: nothing is wrong either. */
			t->poll_feed = FEED_OK;
			update_source(t);
			uv_timer_start(&t->poll_timer, poll_cb,
			    (uint64_t)t->cfg->poll_ms, 0);
		}
	}
}

static void
poll_start(struct tap *t)
{
	if (t->polling)
		return;
	log_info("polling REST market data", "interval_ms=%lld",
	    (long long)t->cfg->poll_ms);
	t->polling = 1;
	t->poll_feed = FEED_START;
	uv_timer_start(&t->poll_timer, poll_cb, 0, 0);
}

static void
poll_stop(struct tap *t)
{
	if (!t->polling)
		return;
	log_info("REST polling stopped", NULL);
	t->polling = 0;
	uv_timer_stop(&t->poll_timer);
}

/* ------------------------------------------------------------------ */
/* Replay: recorded frames through the same handler, paced by event time */

static int64_t
frame_ts(const struct kalshi_ws_msg *m)
{
	if (m->type == KALSHI_MSG_TICKER && (m->quote.has & KQ_TS))
		return m->quote.ts;
	if (m->type == KALSHI_MSG_TRADE && (m->trade.has & KT_TS))
		return m->trade.ts;
	return -1;
}

static void replay_pump(struct tap *t);

static void
replay_cb(uv_timer_t *h)
{
	struct tap *t = h->data;

	t->replay_waiting = 0;
	replay_pump(t);
}

/* Handles queued frames whose time has come; waits for the next one. */
static void
replay_pump(struct tap *t)
{
	struct kalshi_ws_msg *msg = NULL;
	struct errbuf err;
	int64_t ev, due, now;

	if (t->stopping || t->replay_waiting ||
	    (msg = malloc(sizeof(*msg))) == NULL) {
		free(msg);
		return;
	}
	while (t->rq_n > 0 && !t->stopping) {
		json_t *obj = t->rq[t->rq_head];

		/* A recording can outrun the consumer: wait for on_drain. */
		if (t->out != NULL && output_busy(t->out))
			break;

		if (kalshi_ws_parse(obj, msg, &err) != 0) {
			log_rl(&t->bad_rl, LOG_LVL_WARN, "bad frame skipped",
			    "detail=%s", log_str(err.msg));
		} else {
			if (t->cfg->speed > 0 && (ev = frame_ts(msg)) >= 0) {
				now = time_mono_ms();
				if (t->replay_t0_ev < 0) {
					t->replay_t0_ev = ev;
					t->replay_t0_mono = now;
				}
				due = t->replay_t0_mono + (int64_t)((double)(ev -
				    t->replay_t0_ev) / t->cfg->speed);
				if (due > now) {
					t->replay_waiting = 1;
					uv_timer_start(&t->replay_timer,
					    replay_cb, (uint64_t)(due - now), 0);
					break;
				}
			}
			handle_parsed(t, msg);
		}
		json_decref(obj);
		t->rq_head = (t->rq_head + 1) % REPLAY_QUEUE;
		t->rq_n--;
	}
	free(msg);
	if (t->replay_paused && t->rq_n < REPLAY_QUEUE / 4 && t->rin != NULL) {
		t->replay_paused = 0;
		input_resume(t->rin);
	}
	if (t->rq_n == 0 && t->replay_eof && !t->stopping) {
		log_info("replay done", "frames=%llu", t->replay_frames);
		tap_stop(t, 0);
	}
}

static void
on_output_drain(void *arg, struct output *out)
{
	struct tap *t = arg;

	if (t->cfg->replay != NULL)
		replay_pump(t);
}

static void
replay_line(void *arg, struct input *in, unsigned conn, json_t *obj,
    const char *line, size_t len)
{
	struct tap *t = arg;

	if (t->stopping)
		return;
	/* A read delivers a whole chunk of lines; the queue absorbs it. */
	if (t->rq_n == REPLAY_QUEUE) {
		log_rl(&t->bad_rl, LOG_LVL_WARN, "replay queue full, frame "
		    "dropped", NULL);
		return;
	}
	t->rq[(t->rq_head + t->rq_n) % REPLAY_QUEUE] = json_incref(obj);
	t->rq_n++;
	t->replay_frames++;
	if (t->rq_n >= REPLAY_QUEUE / 2 && !t->replay_paused) {
		t->replay_paused = 1;
		input_pause(in);
	}
	replay_pump(t);
}

static void
replay_bad(void *arg, struct input *in, enum ndjson_bad why,
    const char *detail)
{
	struct tap *t = arg;

	log_rl(&t->bad_rl, LOG_LVL_WARN, "bad frame skipped", "detail=%s",
	    log_str(detail));
}

static void
replay_eof(void *arg, struct input *in)
{
	struct tap *t = arg;

	t->replay_eof = 1;
	replay_pump(t);
}

static void
replay_error(void *arg, struct input *in, const char *what, int uverr)
{
	log_error("replay read failed", "what=%s error=%s", log_str(what),
	    uv_strerror(uverr));
	tap_stop(arg, EXIT_IOERR);
}

/* ------------------------------------------------------------------ */
/* Run and stop */

static void
on_signal(void *arg, int signum)
{
	log_info("stopping", "signal=%d", signum);
	tap_stop(arg, 0);
}

static void
close_timer(uv_timer_t *h)
{
	if (!uv_is_closing((uv_handle_t *)h))
		uv_close((uv_handle_t *)h, NULL);
}

static void
output_closed(void *arg)
{
	(void)arg;
}

/*
 * Teardown runs from its own timer: tap_stop may be called from inside a
 * libwebsockets or libcurl callback, which must not see its context go.
 */
static void
teardown(uv_timer_t *h)
{
	struct tap *t = h->data;

	close_timer(&t->stop_timer);
	close_timer(&t->disc_timer);
	close_timer(&t->ws_timer);
	close_timer(&t->dead_timer);
	close_timer(&t->ping_timer);
	close_timer(&t->poll_timer);
	close_timer(&t->replay_timer);
	service_signals_close();
	input_close(t->rin);
	t->rin = NULL;
	while (t->rq_n > 0) {
		json_decref(t->rq[t->rq_head]);
		t->rq_head = (t->rq_head + 1) % REPLAY_QUEUE;
		t->rq_n--;
	}
	fetch_free(t->rest);
	t->rest = NULL;
	kws_free(t->ws);
	t->ws = NULL;
	output_close(t->out, 2000, output_closed, t);
	t->out = NULL;
}

static void
tap_stop(struct tap *t, int code)
{
	if (t->stopping)
		return;
	t->stopping = 1;
	t->exit_code = code;
	service_stopping();
	uv_timer_start(&t->stop_timer, teardown, 0, 0);
}

static void
out_error(void *arg, struct output *out, int uverr)
{
	log_error("output failed", "error=%s", uv_strerror(uverr));
	tap_stop(arg, EXIT_IOERR);
}

int
tap_run(const struct tap_cfg *cfg)
{
	struct output_cfg ocfg;
	struct kws_cfg wcfg;
	struct fetch_cfg fcfg;
	struct errbuf err;
	struct tap *t;
	int rc;
	char ua[128];

	if ((t = calloc(1, sizeof(*t))) == NULL ||
	    (t->mk = calloc(MAX_MARKETS, sizeof(*t->mk))) == NULL) {
		free(t);
		log_error("out of memory", NULL);
		return EXIT_OSERR;
	}
	t->cfg = cfg;
	t->seq_ticker = t->seq_trade = -1;
	t->replay_t0_ev = -1;
	t->bad_rl = (struct ratelimit)RATELIMIT_INIT(10000, 5);
	t->st_rl = (struct ratelimit)RATELIMIT_INIT(60000, 3);
	t->st_fd = -1;
	if (cfg->state != NULL)
		state_load(t);
	uv_loop_init(&t->loop);
	backoff_init(&t->ws_b, (uint64_t)time_now_ms());
	backoff_init(&t->disc_b, (uint64_t)time_now_ms() ^ 0x5555);
	backoff_init(&t->poll_b, (uint64_t)time_now_ms() ^ 0xaaaa);
	t->ws_b.give_up = t->disc_b.give_up = t->poll_b.give_up = cfg->give_up;
	uv_timer_init(&t->loop, &t->disc_timer);
	uv_timer_init(&t->loop, &t->ws_timer);
	uv_timer_init(&t->loop, &t->dead_timer);
	uv_timer_init(&t->loop, &t->ping_timer);
	uv_timer_init(&t->loop, &t->poll_timer);
	uv_timer_init(&t->loop, &t->replay_timer);
	uv_timer_init(&t->loop, &t->stop_timer);
	t->disc_timer.data = t->ws_timer.data = t->dead_timer.data = t;
	t->ping_timer.data = t->poll_timer.data = t->replay_timer.data = t;
	t->stop_timer.data = t;

	memset(&ocfg, 0, sizeof(ocfg));
	ocfg.on_connect = on_output_connect;
	ocfg.on_drain = on_output_drain;
	ocfg.on_error = out_error;
	ocfg.arg = t;
	if ((t->out = output_open(&t->loop, cfg->output, &ocfg, &err)) == NULL) {
		log_error("cannot open output", "output=%s detail=%s",
		    log_str(cfg->output), log_str(err.msg));
		rc = EXIT_CONFIG;
		goto early;
	}
	if (service_signals(&t->loop, on_signal, t, &err) != 0) {
		log_error("cannot install signal handlers", "detail=%s",
		    log_str(err.msg));
		rc = EXIT_OSERR;
		goto early;
	}
	if (cfg->replay != NULL) {
		struct input_cfg icfg;

		memset(&icfg, 0, sizeof(icfg));
		icfg.max_line = KWS_MAX_MESSAGE;
		icfg.on_line = replay_line;
		icfg.on_bad = replay_bad;
		icfg.on_eof = replay_eof;
		icfg.on_error = replay_error;
		icfg.arg = t;
		if ((t->rin = input_open(&t->loop, cfg->replay, &icfg,
		    &err)) == NULL) {
			log_error("cannot read replay file", "detail=%s",
			    log_str(err.msg));
			rc = EXIT_DATAERR;
			goto early;
		}
	} else {
		snprintf(ua, sizeof(ua), "courtside/%s (+kalshi-tap)",
		    COURTSIDE_VERSION);
		memset(&fcfg, 0, sizeof(fcfg));
		fcfg.user_agent = ua;
		fcfg.timeout_ms = REST_TIMEOUT_MS;
		fcfg.max_body = 8u << 20;
		fcfg.ca_file = cfg->ca_file;
		if ((t->rest = fetch_new(&t->loop, &fcfg, &err)) == NULL) {
			log_error("cannot start libcurl", "detail=%s",
			    log_str(err.msg));
			rc = EXIT_SOFTWARE;
			goto early;
		}
		if (cfg->key != NULL) {
			memset(&wcfg, 0, sizeof(wcfg));
			wcfg.url = cfg->ws_url;
			wcfg.key = cfg->key;
			wcfg.key_id = cfg->key_id;
			wcfg.ca_file = cfg->ca_file;
			wcfg.on_open = ws_on_open;
			wcfg.on_message = ws_on_message;
			wcfg.on_pong = ws_on_pong;
			wcfg.on_close = ws_on_close;
			wcfg.arg = t;
			if ((t->ws = kws_new(&t->loop, &wcfg, &err)) == NULL) {
				log_error("cannot start the websocket client",
				    "detail=%s", log_str(err.msg));
				rc = EXIT_CONFIG;
				goto early;
			}
			uv_timer_start(&t->ping_timer, ping_cb,
			    (uint64_t)cfg->ping_ms, (uint64_t)cfg->ping_ms);
			ws_start(t);
		} else
			log_info("no API key: polling REST market data", NULL);
		uv_timer_start(&t->disc_timer, disc_timer_cb, 0, 0);
	}
	if (service_ready(cfg->ready_fd, &err) != 0)
		log_warn("readiness notification failed", "detail=%s",
		    log_str(err.msg));
	uv_run(&t->loop, UV_RUN_DEFAULT);
	rc = t->exit_code;
	goto out;
early:
	t->stopping = 1;
	service_signals_close();
	fetch_free(t->rest);
	kws_free(t->ws);
	if (t->out != NULL)
		output_close(t->out, 0, output_closed, t);
out:
	service_loop_close(&t->loop);
	for (size_t i = 0; i < t->n_mk; i++)
		history_clear(t, &t->mk[i]);
	if (t->st_fd != -1)
		close(t->st_fd);
	free(t->mk);
	free(t);
	return rc;
}
