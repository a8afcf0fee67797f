/*
 * discover: the REST market listing, a round every --discover-interval:
 * the open markets of each --series, page by page, then the --market
 * tickers in chunks. Gives up (exit 69) only while no market is known.
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
	log_warn("market discovery failed", "error=%s failures=%u "
	    "retry_in_ms=%lld", log_str(detail), t->disc_b.failures,
	    (long long)delay);
	t->disc_failing = 1;
	t->disc_retry_ms = delay;
	if (backoff_exhausted(&t->disc_b) && t->n_mk == 0) {
		tap_give_up(t, t->disc_detail, t->disc_b.failures);
		return;
	}
	/* Markets known: their quotes are still served; keep trying. */
	backoff_keep_trying(&t->disc_b);
	emit_state(t);
	uv_timer_start(&t->disc_timer, disc_timer_cb, (uint64_t)delay, 0);
}

/* A round finished: apply what it saw. */
static void
disc_apply(struct tap *t)
{
	markets_round_done(t);
	t->disc_running = 0;
	t->disc_failing = 0;
	t->disc_done_once = 1;
	backoff_reset(&t->disc_b);
	log_debug("market discovery done", "markets=%zu", t->n_mk);
	feed_sync(t);
	if (t->cfg->key == NULL && !t->polling)
		poll_start(t);
	emit_state(t);
	uv_timer_start(&t->disc_timer, disc_timer_cb,
	    (uint64_t)t->cfg->discover_ms, 0);
}

static void
disc_done(void *arg, const struct fetch_result *res)
{
	struct tap *t = arg;
	struct kalshi_market *page;
	char detail[160];
	struct errbuf err;
	json_t *doc;
	int n, i, explicit = t->disc_stage >= t->cfg->n_series;

	if (t->stopping)
		return;
	if ((doc = rest_doc(res, detail, sizeof(detail))) == NULL) {
		disc_fail(t, detail);
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
		markets_take(t, &page[i], explicit);
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

void
discover_start(struct tap *t)
{
	uv_timer_start(&t->disc_timer, disc_timer_cb, 0, 0);
}
