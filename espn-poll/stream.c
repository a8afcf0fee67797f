/*
 * stream: one URL polled on its own timer (a scoreboard date, or a
 * game's summary), with its HTTP validators, body hash and backoff; a
 * result goes to games.c, a failure to the shared source state.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "backoff.h"
#include "espn_url.h"
#include "fnv.h"
#include "log.h"
#include "opts.h"
#include "timeutil.h"

#include "poller_int.h"

static double
cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

void
stream_init(struct poller *p, struct stream *s, enum stream_kind kind)
{
	s->p = p;
	s->kind = kind;
	backoff_init(&s->bo, (uint64_t)time_now_ms() ^ (uintptr_t)s);
	s->bo.base_ms = p->cfg.retry_base_ms;
	s->bo.max_ms = p->cfg.retry_base_ms * 30;
	s->bo.give_up = 0;
	uv_timer_init(p->loop, &s->timer);
	s->timer.data = s;
	s->timer_open = 1;
}

/* Returns a new URL for s's next fetch, or NULL (out of memory). */
static char *
make_url(struct poller *p, struct stream *s)
{
	char date[9], url[4096];

	if (s->kind == ST_SCOREBOARD) {
		if (s->date[0] != '\0')
			memcpy(date, s->date, sizeof(date));
		else
			time_eastern_day(time_now_ms(), s->days_back, date);
		snprintf(s->label, sizeof(s->label), "scoreboard %s", date);
		if (espn_url(url, sizeof(url), p->base, ESPN_DOC_SCOREBOARD,
		    date) == -1)
			return NULL;
	} else if (espn_url(url, sizeof(url), p->base, ESPN_DOC_SUMMARY,
	    s->game->info.game_id) == -1)
		return NULL;
	return strdup(url);
}

static void
stream_ok(struct poller *p, struct stream *s)
{
	size_t i;

	s->failing = 0;
	backoff_reset(&s->bo);
	p->fails_in_row = 0;
	for (i = 0; i < p->nboards; i++)
		if (p->boards[i].failing)
			return;
	for (i = 0; i < p->ngames; i++)
		if (p->games[i]->summary.failing &&
		    p->games[i]->following)
			return;
	poller_set_source(p, SOURCE_OK, "", -1);
}

/* Records a failure; returns the delay before the retry. */
static int64_t
stream_fail(struct poller *p, struct stream *s, long status,
    const char *why)
{
	char detail[256];
	int64_t delay;
	int blocked = status == 403;

	p->st.failures++;
	s->failing = 1;
	delay = backoff_next(&s->bo);
	p->fails_in_row++;
	snprintf(detail, sizeof(detail), "%s: %s%s", s->label, why,
	    blocked ? " (blocked)" : "");
	log_rl(&p->rl, LOG_LVL_WARN, "fetch failed",
	    "what=%s status=%ld error=%s retry_in_ms=%lld failures=%u",
	    log_str(s->label), status, log_str(why), (long long)delay,
	    p->fails_in_row);
	if (p->cfg.once) {
		p->once_failed = 1;
		poller_set_source(p, blocked ? SOURCE_DOWN : SOURCE_DEGRADED, detail, -1);
		return -1;
	}
	if (p->cfg.give_up != 0 && p->fails_in_row >= p->cfg.give_up) {
		snprintf(detail, sizeof(detail),
		    "%s: %s%s; giving up after %u failures", s->label, why,
		    blocked ? " (blocked)" : "", p->fails_in_row);
		if (p->src.state == SOURCE_DOWN)	/* say why we leave anyway */
			p->src.state = SOURCE_DEGRADED;
		poller_set_source(p, SOURCE_DOWN, detail, -1);
		poller_exit(p, EXIT_UNAVAIL);
		return -1;
	}
	poller_set_source(p, blocked ? SOURCE_DOWN : SOURCE_DEGRADED, detail, delay);
	return delay;
}

static void
once_done(struct poller *p, struct stream *s)
{
	if (!s->busy)
		return;
	s->busy = 0;
	if (--p->busy == 0)
		poller_exit(p, p->once_failed ? EXIT_UNAVAIL : 0);
}

static void
replace(char **dst, const char *src)
{
	free(*dst);
	*dst = src ? strdup(src) : NULL;
}

static void
on_fetched(void *arg, const struct fetch_result *r)
{
	struct stream *s = arg;
	struct poller *p = s->p;
	struct errbuf err = { "" }, perr = { "" };
	json_error_t jerr;
	json_t *doc;
	uint64_t h;
	int64_t next, now = time_now_ms();
	double t0;
	char why[300];
	int rc;

	s->in_flight = 0;
	if (p->stopping)
		return;
	p->st.wire_bytes += r->wire_bytes;
	if (!r->ok) {
		next = stream_fail(p, s, 0, r->error);
		goto out;
	}
	if (r->status >= 400 || (r->status != 0 && r->status < 200)) {
		snprintf(why, sizeof(why), "HTTP %ld", r->status);
		next = stream_fail(p, s, r->status, why);
		goto out;
	}
	if (r->not_modified) {
		p->st.not_modified++;
		stream_ok(p, s);
		next = 0;
		goto out;
	}
	if (r->etag || r->last_modified) {
		replace(&s->etag, r->etag);
		replace(&s->last_modified, r->last_modified);
	}
	h = fnv1a64(r->body, r->len, FNV1A64_BASIS);
	if (s->have_hash && h == s->body_hash) {
		/* Same bytes as last time: nothing new, no parse. */
		p->st.unchanged++;
		stream_ok(p, s);
		next = 0;
		goto out;
	}
	t0 = cpu_ms();
	if (s->kind == ST_SUMMARY)
		rc = games_on_summary(p, s->game, r->body, r->len, now, &err);
	else if ((doc = json_loadb(r->body, r->len, 0, &jerr)) == NULL)
		rc = errbuf_set(&err, "malformed JSON: %s", jerr.text);
	else {
		if ((rc = games_on_scoreboard(p, doc, &perr)) == -1)
			errbuf_set(&err, "bad document: %s", perr.msg);
		json_decref(doc);
	}
	p->st.parse_cpu_ms += cpu_ms() - t0;
	if (s->kind == ST_SUMMARY)
		p->st.summary_cpu_ms += cpu_ms() - t0;
	if (rc == -1) {
		next = stream_fail(p, s, r->status, err.msg);
		goto out;
	}
	if (s->kind == ST_SUMMARY)
		p->st.summaries++;
	p->st.parsed++;
	s->body_hash = h;
	s->have_hash = 1;
	stream_ok(p, s);
	next = 0;
out:
	if (p->stopping || p->exited)
		return;
	if (p->cfg.once) {
		once_done(p, s);
		return;
	}
	if (next < 0)
		return;
	if (s->kind == ST_SUMMARY && !s->game->following)
		return;
	if (next == 0 && s->kind == ST_SUMMARY && s->game->sb_post == 1)
		next = 1;		/* the last poll, now */
	else if (next == 0)
		next = s->kind == ST_SCOREBOARD ?
		    p->cfg.scoreboard_interval_ms : p->cfg.interval_ms;
	stream_schedule(s, next);
}

static void
stream_fire(uv_timer_t *t)
{
	struct stream *s = t->data;
	struct poller *p = s->p;
	struct errbuf err = { "" };
	char *url;

	if (s->in_flight || p->stopping)
		return;
	if ((url = make_url(p, s)) == NULL) {
		log_error("cannot build the URL", "what=%s",
		    log_str(s->label));
		return;
	}
	if (s->url == NULL || strcmp(url, s->url) != 0) {
		/* A new date: the old validators do not apply. */
		replace(&s->etag, NULL);
		replace(&s->last_modified, NULL);
		s->have_hash = 0;
	}
	free(s->url);
	s->url = url;
	p->st.fetches++;
	log_debug("fetch", "url=%s", log_str(url));
	if (fetch_get(p->cfg.fetch, url, s->etag, s->last_modified,
	    on_fetched, s, &err) == -1) {
		struct fetch_result r = { 0 };

		r.error = err.msg;
		on_fetched(s, &r);
		return;
	}
	s->in_flight = 1;
}

void
stream_schedule(struct stream *s, int64_t delay_ms)
{
	struct poller *p = s->p;

	if (p->stopping || p->exited)
		return;
	if (p->cfg.once) {
		/* One fetch per stream in a --once run. */
		if (s->ran)
			return;
		s->ran = 1;
		s->busy = 1;
		p->busy++;
	}
	uv_timer_start(&s->timer, stream_fire,
	    (uint64_t)(delay_ms > 0 ? delay_ms : 0), 0);
}

void
stream_close(struct stream *s)
{
	if (s->timer_open) {
		s->timer_open = 0;
		uv_close((uv_handle_t *)&s->timer, NULL);
	}
}

void
stream_fini(struct stream *s)
{
	free(s->url);
	free(s->etag);
	free(s->last_modified);
}
