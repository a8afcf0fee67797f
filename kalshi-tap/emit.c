/*
 * emit: the lines kalshi-tap writes (market, quote, trade, source), the
 * source state as the worst of discovery and the live feed, and the
 * state resent to a new consumer. Decides nothing about the feeds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "output.h"
#include "source.h"
#include "ndjson.h"
#include "timeutil.h"

#include "tap.h"

void
emit_line(struct tap *t, json_t *line)
{
	size_t len;
	char *s;

	if (line == NULL || t->out == NULL) {
		json_decref(line);
		return;
	}
	if ((s = ndjson_encode(line, &len)) != NULL) {
		output_write(t->out, s, len);
		free(s);
	}
	json_decref(line);
}

void
emit_source(struct tap *t, enum source_state state, const char *detail,
    int64_t retry_ms)
{
	/* Here a retry of 0 is none. */
	if (!source_set(&t->src, state, detail, retry_ms > 0 ? retry_ms : -1))
		return;
	log_info("source", "state=%s error=%s retry_in_ms=%lld",
	    source_state_name(state), log_str(detail), (long long)retry_ms);
	emit_line(t, source_line(&t->src, time_now_ms()));
}

/* The source state is the worst of discovery and the live feed. */
void
emit_state(struct tap *t)
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
		emit_source(t, SOURCE_DEGRADED, d, t->ws_retry_ms);
		return;
	}
	if (t->disc_failing)
		emit_source(t, SOURCE_DEGRADED, t->disc_detail, t->disc_retry_ms);
	else if (feed == FEED_FAILING)
		emit_source(t, SOURCE_DEGRADED, detail, retry);
	else if (t->bf_failing)
		emit_source(t, SOURCE_DEGRADED, t->bf_detail, t->bf_retry_ms);
	else if (feed == FEED_OK && t->disc_done_once)
		emit_source(t, SOURCE_OK, ws_primary ? "websocket" : "rest polling",
		    0);
}

void
emit_text(struct tap *t, struct mkt *m, const char *s, size_t len)
{
	if (m == NULL) {
		if (t->out != NULL)
			output_write(t->out, s, len);
		return;
	}
	markets_hold(t, m, s, len, 0);
	state_append(t, s, len);
	/*
	 * A unix: consumer that is away gets the history when it comes
	 * back; queueing too would send these twice.
	 */
	if (t->out != NULL && output_connected(t->out))
		output_write(t->out, s, len);
}

/*
 * Writes a live line of m (NULL for a trade), unless a backfill on its
 * way holds it. Takes line (NULL: nothing to write).
 */
static void
emit_live(struct tap *t, struct mkt *m, json_t *line)
{
	size_t len;
	char *s;

	if (line == NULL)
		return;
	if ((s = ndjson_encode(line, &len)) != NULL &&
	    !backfill_hold_live(t, m, s, len)) {
		emit_text(t, m, s, len);
		free(s);
	}
	json_decref(line);
}

void
emit_quote(struct tap *t, struct mkt *m, const struct kalshi_quote *q,
    int64_t recv)
{
	m->q = *q;
	m->has_q = 1;
	emit_live(t, m, kalshi_quote_line(q, recv));
}

void
emit_trade(struct tap *t, json_t *line)
{
	emit_live(t, NULL, line);
}

/*
 * Resends our state to a new consumer: market lines, every quote line
 * held (as written, in write order), the source state.
 */
void
emit_resend(void *arg, struct output *out)
{
	struct tap *t = arg;
	struct source now;
	const struct hline *e;
	unsigned long long n = 0;
	size_t i;

	for (i = 0; i < t->n_mk; i++) {
		if (!t->mk[i].following)
			continue;
		emit_line(t, kalshi_market_line(&t->mk[i].m));
	}
	for (e = t->hist.first; e != NULL; e = e->next) {
		output_write(out, e->line, e->len);
		n++;
	}
	log_info("output connected, state resent", "quotes=%llu", n);
	/* The state, without the retry delay of when it was said. */
	now = t->src;
	now.retry_ms = -1;
	emit_line(t, source_line(&now, time_now_ms()));
}
