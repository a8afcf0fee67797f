/*
 * backfill: a market's one-minute candlesticks from before kalshi-tap
 * followed it (--backfill DUR), as quote lines marked "backfill":true.
 * One REST request at a time, BF_SPACING_MS apart; a failure (HTTP
 * status, transport, a body that is not candles) is retried with the
 * usual backoff and shows in the source state; never gives up. The
 * minutes of the markets wanting a backfill are written once all are
 * fetched, in time order across them, and live lines (quotes, trades)
 * wait until then (a consumer's series stays in time order), but no
 * longer than BF_HOLD_MS or BF_HOLD_MAX lines, and not past a failed
 * request: then they go out, and minutes written later that are older
 * than them are stale to the aligner. A market held in the --state file
 * is not backfilled again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "fetch.h"
#include "ndjson.h"
#include "output.h"
#include "timeutil.h"

#include "candles.h"
#include "tap.h"

#define BF_SPACING_MS	250	/* between two candle requests */
#define BF_MAX_PEND	100000	/* minutes held before writing */
#define BF_HOLD_MS	30000	/* a live line waits for a backfill */
#define BF_HOLD_MAX	10000	/* live lines waiting, at most */
#define BF_RETRY_AFTER_MAX 600000	/* a 429's Retry-After, at most */

/* A fetched minute of a market, not yet written. */
struct bf_pend {
	struct mkt		*m;
	struct kalshi_candle	 c;
};

/* A live line waiting for the backfill to be written. */
struct bf_live {
	struct bf_live	*next;
	struct mkt	*m;		/* a quote's; NULL: a trade */
	char		*s;
	size_t		 len;
};

static void	bf_cb(uv_timer_t *h);

/*
 * Writes the live lines that waited, in the order they came; nohold:
 * nothing waits again until every backfill wanted now is written (one
 * failed, or waiting took too long).
 */
static void
bf_release(struct tap *t, int nohold)
{
	struct bf_live *l;
	size_t n = t->bf_nlive;

	uv_timer_stop(&t->bf_hold_timer);
	t->bf_holding = 0;
	t->bf_nohold = nohold;
	while ((l = t->bf_live) != NULL) {
		t->bf_live = l->next;
		emit_text(t, l->m, l->s, l->len);	/* at exit too */
		free(l->s);
		free(l);
	}
	t->bf_live_tail = NULL;
	t->bf_nlive = 0;
	if (n > 0 && nohold)
		log_warn("live quotes sent before the backfill", "lines=%zu",
		    n);
}

static void
bf_hold_cb(uv_timer_t *h)
{
	bf_release(h->data, 1);
}

int
backfill_hold_live(struct tap *t, struct mkt *m, char *s, size_t len)
{
	struct bf_live *l;

	if (!t->bf_holding || t->stopping)
		return 0;
	if (t->bf_nlive >= BF_HOLD_MAX || (l = malloc(sizeof(*l))) == NULL) {
		bf_release(t, 1);
		return 0;
	}
	l->next = NULL;
	l->m = m;
	l->s = s;
	l->len = len;
	if (t->bf_live_tail != NULL)
		t->bf_live_tail->next = l;
	else
		t->bf_live = l;
	t->bf_live_tail = l;
	if (t->bf_nlive++ == 0)
		uv_timer_start(&t->bf_hold_timer, bf_hold_cb, BF_HOLD_MS, 0);
	return 1;
}

static void
bf_schedule(struct tap *t, int64_t delay)
{
	if (!t->stopping && !t->bf_inflight)
		uv_timer_start(&t->bf_timer, bf_cb, (uint64_t)delay, 0);
}

void
backfill_init(struct tap *t)
{
	uv_timer_init(&t->svc.loop, &t->bf_timer);
	t->bf_timer.data = t;
	uv_timer_init(&t->svc.loop, &t->bf_hold_timer);
	t->bf_hold_timer.data = t;
	backoff_init(&t->bf_b, (uint64_t)time_now_ms() ^ 0x3c3c);
}

void
backfill_close(struct tap *t)
{
	bf_release(t, 0);
	free(t->bf_pend);
	t->bf_pend = NULL;
	t->bf_npend = t->bf_cap = 0;
	if (!uv_is_closing((uv_handle_t *)&t->bf_timer))
		uv_close((uv_handle_t *)&t->bf_timer, NULL);
	if (!uv_is_closing((uv_handle_t *)&t->bf_hold_timer))
		uv_close((uv_handle_t *)&t->bf_hold_timer, NULL);
}

void
backfill_want(struct tap *t, struct mkt *m)
{
	if (m->bf != BF_NONE)
		return;
	/* Held in --state (or already written): its history is there. */
	if (t->cfg->backfill_ms == 0 || t->cfg->replay != NULL ||
	    m->h.n > 0) {
		m->bf = BF_DONE;
		return;
	}
	m->bf = BF_WANT;
	m->bf_end_ms = time_now_ms();
	if (!t->bf_nohold)
		t->bf_holding = 1;
	bf_schedule(t, 0);
}

/* Writes one backfilled quote: held, kept in --state, sent. */
static void
bf_emit(struct tap *t, struct mkt *m, const struct kalshi_quote *q,
    int64_t now)
{
	json_t *line = kalshi_quote_line(q, now);
	size_t len;
	char *s;

	if (line == NULL)
		return;
	json_object_set_new(line, "backfill", json_true());
	if ((s = ndjson_encode(line, &len)) != NULL) {
		emit_text(t, m, s, len);
		free(s);
	}
	json_decref(line);
}

static int
by_time(const void *a, const void *b)
{
	const struct bf_pend *x = a, *y = b;

	if (x->c.end_ts != y->c.end_ts)
		return (x->c.end_ts > y->c.end_ts) - (x->c.end_ts < y->c.end_ts);
	return (x->m > y->m) - (x->m < y->m);
}

/* Writes the minutes held, oldest first. */
static void
bf_flush(struct tap *t)
{
	struct kalshi_quote q;
	int64_t now = time_now_ms();
	size_t i;

	if (t->bf_npend > 0) {
		/* bf_pend may still be NULL with nothing in it: no qsort. */
		qsort(t->bf_pend, t->bf_npend, sizeof(*t->bf_pend), by_time);
		for (i = 0; i < t->bf_npend; i++) {
			kalshi_candle_quote(&t->bf_pend[i].c,
			    t->bf_pend[i].m->m.ticker, &q);
			bf_emit(t, t->bf_pend[i].m, &q, now);
		}
		log_info("backfill written", "quotes=%zu", t->bf_npend);
		t->bf_npend = 0;
	}
	/* Then the live lines that waited for it, unless more are wanted. */
	for (i = 0; i < t->n_mk; i++)
		if (t->mk[i].bf == BF_WANT)
			return;
	bf_release(t, 0);
}

/* Holds the k minutes of m (out of memory: writes what is held first;
 * past that, the minutes are dropped with the warning). */
static void
bf_hold(struct tap *t, struct mkt *m, const struct kalshi_candle *c,
    size_t k)
{
	size_t i;

	if (t->bf_npend + k > t->bf_cap) {
		size_t cap = t->bf_npend + k;
		struct bf_pend *p;

		if (cap < 1024)
			cap = 1024;
		if ((p = realloc(t->bf_pend, cap * sizeof(*p))) == NULL) {
			log_warn("out of memory, backfill written unordered",
			    "ticker=%s", m->m.ticker);
			bf_flush(t);
			if (t->bf_cap < k)
				return;
		} else {
			t->bf_pend = p;
			t->bf_cap = cap;
		}
	}
	for (i = 0; i < k; i++) {
		t->bf_pend[t->bf_npend].m = m;
		t->bf_pend[t->bf_npend++].c = c[i];
	}
	if (t->bf_npend >= BF_MAX_PEND)
		bf_flush(t);
}

/* A request failed: retry after the backoff, or at_least ms if longer. */
static void
bf_failed(struct tap *t, struct mkt *m, const char *detail, int64_t at_least)
{
	int64_t d = backoff_next(&t->bf_b);

	if (at_least > d)
		d = at_least < BF_RETRY_AFTER_MAX ? at_least :
		    BF_RETRY_AFTER_MAX;

	backoff_keep_trying(&t->bf_b);
	snprintf(t->bf_detail, sizeof(t->bf_detail), "backfill %.80s: %.60s",
	    m->m.ticker, detail);
	t->bf_failing = 1;
	t->bf_retry_ms = d;
	bf_release(t, 1);	/* live quotes do not wait on a retry */
	log_warn("backfill failed", "ticker=%s error=%s failures=%u "
	    "retry_in_ms=%lld", m->m.ticker, log_str(detail),
	    t->bf_b.failures, (long long)d);
	emit_state(t);
	bf_schedule(t, d);
}

static void
bf_done(void *arg, const struct fetch_result *res)
{
	struct tap *t = arg;
	struct mkt *m = t->bf_mkt;
	struct kalshi_candle *c = NULL;
	struct errbuf err;
	json_t *doc;
	char detail[64];
	size_t skipped = 0, k, i;
	int n = -1;

	t->bf_inflight = 0;
	t->bf_mkt = NULL;
	if (t->stopping || m == NULL)
		return;
	if ((doc = rest_doc(res, detail, sizeof(detail))) == NULL) {
		/* A 429 (or a 503) says when to come back: not sooner. */
		bf_failed(t, m, detail, res->ok && (res->status == 429 ||
		    res->status == 503) ? res->retry_after_ms : -1);
		return;
	}
	if ((c = calloc(KALSHI_CANDLES_MAX, sizeof(*c))) == NULL ||
	    (n = kalshi_candles_parse(doc, c, KALSHI_CANDLES_MAX, &skipped,
	    &err)) < 0) {
		json_decref(doc);
		free(c);
		bf_failed(t, m, "bad body", -1);
		return;
	}
	json_decref(doc);
	k = kalshi_candles_changes(c, (size_t)n, NULL);
	bf_hold(t, m, c, k);
	free(c);
	m->bf = BF_DONE;
	t->bf_skipped += skipped;
	log_info("backfilled", "ticker=%s candles=%d quotes=%zu skipped=%zu",
	    m->m.ticker, n, k, skipped);
	if (skipped > 0)
		log_warn("candles skipped", "ticker=%s skipped=%zu total=%llu",
		    m->m.ticker, skipped, t->bf_skipped);
	backoff_reset(&t->bf_b);
	if (t->bf_failing) {
		t->bf_failing = 0;
		emit_state(t);
	}
	/* The last one wanted: written now, ahead of more live quotes. */
	for (i = 0; i < t->n_mk; i++)
		if (t->mk[i].bf == BF_WANT)
			break;
	if (i == t->n_mk)
		bf_flush(t);
	else
		bf_schedule(t, BF_SPACING_MS);
}

/* The series of a market: its event ticker up to the first '-'. */
static void
series_of(const struct mkt *m, char *out, size_t len)
{
	const char *s = m->m.event_ticker[0] ? m->m.event_ticker : m->m.ticker;
	size_t n = strcspn(s, "-");

	snprintf(out, len, "%.*s", (int)n, s);
}

static void
bf_cb(uv_timer_t *h)
{
	struct tap *t = h->data;
	struct mkt *m = NULL;
	struct errbuf err;
	char url[1024], series[KALSHI_TICKER_MAX];
	int64_t end, start;
	size_t i;

	if (t->stopping || t->bf_inflight)
		return;
	for (i = 0; i < t->n_mk && m == NULL; i++)
		if (t->mk[i].bf == BF_WANT)
			m = &t->mk[i];
	if (m == NULL) {
		bf_flush(t);
		return;
	}
	end = m->bf_end_ms / 1000;
	start = (m->bf_end_ms - t->cfg->backfill_ms) / 1000;
	series_of(m, series, sizeof(series));
	snprintf(url, sizeof(url), "%s/series/%s/markets/%s/candlesticks?"
	    "start_ts=%lld&end_ts=%lld&period_interval=1", t->cfg->rest_url,
	    series, m->m.ticker, (long long)start, (long long)end);
	if (fetch_get(t->rest, url, NULL, NULL, bf_done, t, &err) != 0) {
		bf_failed(t, m, err.msg, -1);
		return;
	}
	t->bf_inflight = 1;
	t->bf_mkt = m;
}
