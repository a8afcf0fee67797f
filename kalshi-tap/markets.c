/*
 * markets: the markets kalshi-tap knows, in one fixed array: find and
 * add, what a discovery round or a replayed frame says about them, and
 * their quote history (logging what the bound drops). No I/O but lines.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "timeutil.h"

#include "tap.h"

/* A closed market's quotes are still resent this long (a restarted
 * aligner keeps the finished game's Kalshi series). */
#define CLOSED_KEEP_MS	(12 * 3600 * 1000LL)

struct mkt *
markets_find(struct tap *t, const char *ticker)
{
	size_t i;

	for (i = 0; i < t->n_mk; i++)
		if (strcmp(t->mk[i].m.ticker, ticker) == 0)
			return &t->mk[i];
	return NULL;
}

struct mkt *
markets_add(struct tap *t, const char *ticker)
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

void
markets_hold(struct tap *t, struct mkt *m, const char *s, size_t len,
    int quiet)
{
	int dropped = history_add(&t->hist, &m->h, s, len);

	if (dropped < 0) {
		log_rl(&t->bad_rl, LOG_LVL_WARN, "out of memory, quote not "
		    "held for resync", "ticker=%s", m->m.ticker);
		return;
	}
	/* Log the first drop, then every max_history drops. */
	while (dropped-- > 0 && !quiet)
		if (m->h_dropped++ % t->hist.max == 0)
			log_info("quote history full, oldest dropped",
			    "ticker=%s max_history=%zu dropped=%llu",
			    m->m.ticker, t->hist.max, m->h_dropped);
}

void
markets_follow(struct tap *t, const char *ticker)
{
	struct mkt *m;
	const char *dash;

	/* A market known only from the state file is followed now. */
	if (!kalshi_ticker_ok(ticker) ||
	    ((m = markets_find(t, ticker)) != NULL && m->following))
		return;
	if (m == NULL && (m = markets_add(t, ticker)) == NULL)
		return;
	dash = strrchr(ticker, '-');
	if (dash != NULL && (size_t)(dash - ticker) < sizeof(m->m.event_ticker))
		snprintf(m->m.event_ticker, sizeof(m->m.event_ticker), "%.*s",
		    (int)(dash - ticker), ticker);
	m->following = 1;
	emit_line(t, kalshi_market_line(&m->m));
}

/* Forgets the quotes of markets closed for longer than CLOSED_KEEP_MS. */
static void
forget_closed(struct tap *t)
{
	int64_t now = time_now_ms();
	size_t i;

	for (i = 0; i < t->n_mk; i++) {
		struct mkt *m = &t->mk[i];

		if (m->following || m->h.n == 0 || m->closed_ms == 0 ||
		    now - m->closed_ms < CLOSED_KEEP_MS)
			continue;
		log_info("closed market's quotes forgotten", "ticker=%s "
		    "quotes=%zu", m->m.ticker, m->h.n);
		history_clear(&t->hist, &m->h);
	}
}

/* A round finished: close what it no longer lists. */
void
markets_round_done(struct tap *t)
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
			emit_line(t, kalshi_market_line(&m->m));
		}
	}
	for (i = 0; i < t->cfg->n_markets; i++) {
		const struct mkt *m = markets_find(t, t->cfg->markets[i]);

		if (m == NULL || !m->seen)
			log_warn("market not listed", "ticker=%s",
			    log_str(t->cfg->markets[i]));
	}
	forget_closed(t);
}

void
markets_take(struct tap *t, const struct kalshi_market *km, int explicit)
{
	struct mkt *m = markets_find(t, km->ticker);
	int changed = 0, open = status_open(km->status);

	if (m == NULL) {
		if (!open)
			return;
		if (!kalshi_ticker_ok(km->ticker)) {
			log_rl(&t->bad_rl, LOG_LVL_WARN, "odd ticker skipped",
			    "ticker=%s", log_str(km->ticker));
			return;
		}
		if ((m = markets_add(t, km->ticker)) == NULL) {
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
	if (open)
		backfill_want(t, m);
	if (changed) {
		log_info("market", "ticker=%s status=%s", m->m.ticker,
		    log_str(m->m.status));
		emit_line(t, kalshi_market_line(&m->m));
	}
}

