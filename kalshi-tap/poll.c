/*
 * poll: REST quote polling, a round every --poll-interval over the
 * markets followed, TICKERS_PER_GET a request; writes only quotes that
 * changed. Primary without a key, else the WebSocket's fallback.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "backoff.h"
#include "fetch.h"
#include "opts.h"
#include "timeutil.h"

#include "tap.h"

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
		log_warn("polling failed", "error=%s failures=%u "
		    "retry_in_ms=%lld", log_str(t->poll_detail),
		    t->poll_b.failures, (long long)delay);
		if (backoff_exhausted(&t->poll_b) && t->cfg->key == NULL) {
			tap_give_up(t, t->poll_detail, t->poll_b.failures);
			return;
		}
		/* The WebSocket is primary: polling helps, keeps trying. */
		backoff_keep_trying(&t->poll_b);
	} else {
		backoff_reset(&t->poll_b);
		t->poll_feed = FEED_OK;
		t->poll_detail[0] = '\0';
	}
	emit_state(t);
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
	struct tap *t = pr->t;
	struct kalshi_market *page = NULL;
	struct errbuf err;
	json_t *doc;
	char cursor[256], detail[128];
	int64_t now = time_now_ms();
	int n, i;

	t->poll_inflight--;
	if (t->stopping) {
		free(pr);
		return;
	}
	if ((doc = rest_doc(res, detail, sizeof(detail))) == NULL ||
	    (page = calloc(TICKERS_PER_GET, sizeof(*page))) == NULL ||
	    (n = kalshi_markets_parse(doc, page, TICKERS_PER_GET, cursor,
	    sizeof(cursor), &err)) < 0) {
		t->poll_round_failed = 1;
		snprintf(t->poll_detail, sizeof(t->poll_detail),
		    "market data: %s", doc == NULL ? detail : "bad body");
		goto out;
	}
	for (i = 0; i < n; i++) {
		struct mkt *m = markets_find(t, page[i].ticker);

		if (m == NULL || !m->following || page[i].quote.has == 0)
			continue;
		/* Polling sees state, not events: write only changes. */
		if (m->has_q && kalshi_quote_same(&m->q, &page[i].quote))
			continue;
		emit_quote(t, m, &page[i].quote, now);
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
			emit_state(t);
			uv_timer_start(&t->poll_timer, poll_cb,
			    (uint64_t)t->cfg->poll_ms, 0);
		}
	}
}

void
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

void
poll_stop(struct tap *t)
{
	if (!t->polling)
		return;
	log_info("REST polling stopped", NULL);
	t->polling = 0;
	uv_timer_stop(&t->poll_timer);
}

