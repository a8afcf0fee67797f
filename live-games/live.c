/*
 * live: refreshes the list of live games at most once per TTL (both
 * ESPN scoreboard days, then one Postgres query), encodes the response
 * once, and serves that same body to every request until the next
 * refresh. Degrades as DESIGN.md says: stale, 503, ESPN names.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "backoff.h"
#include "buf.h"
#include "body.h"
#include "cache.h"
#include "db.h"
#include "espn.h"
#include "espn_url.h"
#include "fetch.h"
#include "live.h"
#include "log.h"
#include "source.h"
#include "timeutil.h"

#define NDAYS		2	/* today and yesterday, US Eastern */
#define MAX_WAIT_MS	30000	/* a parked request never waits longer */
#define MAX_BODY	(8 * 1024 * 1024)

#define METRICS_MAX	(256 * 1024)	/* bytes of /metrics at most */

struct counter {
	enum route	route;
	int		status;
	unsigned long long n;
};

struct live {
	uv_loop_t		*loop;
	struct live_cfg		 cfg;
	char			*espn_base, *user_agent, *conninfo;
	struct server		*server;
	struct fetch		*fetch;
	struct db		*db;
	struct cache		 cache;
	struct backoff		 espn_backoff;
	uv_timer_t		*timer;		/* next proactive refresh */
	unsigned long long	 demand;	/* requests since last refresh */

	/* The refresh in flight. */
	int			 pending;	/* fetches not yet back */
	int			 awaiting_db;	/* ESPN done, db connecting */
	int			 fetch_failed;
	char			 fetch_error[160];
	long			 fetch_status;
	struct espn_game	 games[NDAYS * LIVE_MAX_GAMES];
	size_t			 ngames;

	/* What the current body was built from. */
	struct espn_game	 good[NDAYS * LIVE_MAX_GAMES];
	size_t			 ngood;
	struct live_dbrow	*rows;
	size_t			 nrows;
	int64_t			 good_wall;	/* wall time of good[] */
	struct source		 espn_src;	/* ok, degraded, down */
	struct source		 db_src;	/* ok, down */
	struct blob		*body;		/* /api/live/games answer */
	int			 body_status;

	unsigned long long	 refreshes, espn_failures, parse_skipped;
	unsigned long long	 waited;	/* requests parked for a refresh */
	struct ratelimit	 db_rl;
	struct counter		 counters[32];
	size_t			 ncounters;
	int			 fatal;
};

static void	refresh_start(struct live *);

static void
free_handle(uv_handle_t *h)
{
	free(h);
}

static void
count(struct live *l, enum route route, int status)
{
	size_t i;

	for (i = 0; i < l->ncounters; i++)
		if (l->counters[i].route == route &&
		    l->counters[i].status == status) {
			l->counters[i].n++;
			return;
		}
	if (l->ncounters < sizeof(l->counters) / sizeof(l->counters[0])) {
		l->counters[l->ncounters].route = route;
		l->counters[l->ncounters].status = status;
		l->counters[l->ncounters].n = 1;
		l->ncounters++;
	}
}

/* Encodes the games answer from good[], rows[] and the source states. */
static void
build_body(struct live *l, int stale)
{
	struct body_games_in in;
	char *s = NULL;
	size_t len = 0;
	int status = 200;

	if (!l->cache.have_good || (stale && cache_gone(&l->cache,
	    time_mono_ms()))) {
		status = 503;
		s = body_error(503, "espn_unavailable",
		    "ESPN scoreboard unavailable and no recent list to serve",
		    l->cache.have_good ? l->good_wall : 0, &len);
	} else {
		memset(&in, 0, sizeof(in));
		in.games = l->good;
		in.ngames = l->ngood;
		in.rows = l->rows;
		in.nrows = l->nrows;
		in.timestamp = l->good_wall;
		in.stale = stale;
		in.espn = source_state_name(l->espn_src.state);
		in.db = source_state_name(l->db_src.state);
		s = body_games(&in, &len);
	}
	if (s == NULL) {
		log_error("cannot encode response", "status=%d", status);
		return;		/* keep serving the previous body */
	}
	blob_unref(l->body);
	l->body = blob_take(s, len);
	l->body_status = status;
}

static void
on_timer(uv_timer_t *t)
{
	struct live *l = t->data;

	/* Nobody asked since the last refresh: go idle until someone does. */
	if (l->demand == 0)
		return;
	if (cache_due(&l->cache, time_mono_ms()))
		refresh_start(l);
}

/* The refresh is over: record it, schedule the next, wake the waiters. */
static void
refresh_end(struct live *l, int ok)
{
	int64_t now = time_mono_ms(), retry = 0, wait;

	if (ok) {
		backoff_reset(&l->espn_backoff);
		(void)source_set(&l->espn_src, SOURCE_OK, NULL, -1);
	} else {
		retry = backoff_next(&l->espn_backoff);
		l->espn_failures++;
		/* 403 is ESPN refusing us (User-Agent, blocked), not a blip. */
		(void)source_set(&l->espn_src,
		    backoff_exhausted(&l->espn_backoff) ||
		    l->fetch_status == 403 ? SOURCE_DOWN : SOURCE_DEGRADED,
		    NULL, retry);
		log_warn("espn fetch failed", "status=%ld error=%s "
		    "failures=%u retry_in_ms=%lld", l->fetch_status,
		    log_str(l->fetch_error), l->espn_backoff.failures,
		    (long long)(retry > l->cache.ttl_ms ? retry :
		    l->cache.ttl_ms));
	}
	cache_finished(&l->cache, now, ok, retry);
	l->refreshes++;
	build_body(l, !ok);
	l->demand = 0;
	wait = cache_until_due(&l->cache, now);
	uv_timer_start(l->timer, on_timer, (uint64_t)(wait > 0 ? wait : 1), 0);
	if (l->server != NULL)
		server_wake(l->server);
	if (!ok && backoff_exhausted(&l->espn_backoff) && !l->fatal) {
		l->fatal = 1;
		log_error("espn down", "failures=%u", l->espn_backoff.failures);
		if (l->cfg.on_fatal != NULL)
			l->cfg.on_fatal(l->cfg.arg);
	}
}

/* Ends the refresh without names from Postgres; the db source is st. */
static void
no_rows(struct live *l, enum source_state st)
{
	free(l->rows);
	l->rows = NULL;
	l->nrows = 0;
	(void)source_set(&l->db_src, st, NULL, -1);
	refresh_end(l, 1);
}

static void
on_rows(void *arg, int ok, const struct live_dbrow *rows, size_t n,
    const char *error)
{
	struct live *l = arg;

	free(l->rows);
	l->rows = NULL;
	l->nrows = 0;
	if (ok) {
		if (n > 0 && (l->rows = calloc(n, sizeof(*rows))) != NULL) {
			memcpy(l->rows, rows, n * sizeof(*rows));
			l->nrows = n;
		}
		(void)source_set(&l->db_src, SOURCE_OK, NULL, -1);
	} else {
		log_warn("db query failed", "error=%s", log_str(error));
		(void)source_set(&l->db_src, SOURCE_DOWN, NULL, -1);
	}
	refresh_end(l, 1);
}

/* The live games are known: look their names up, then end the refresh. */
static void
ask_db(struct live *l)
{
	const char *ids[NDAYS * LIVE_MAX_GAMES];
	struct errbuf err;
	size_t i;

	if (l->db == NULL || !db_ready(l->db)) {
		/* ESPN's own names; rows of an earlier refresh may be wrong. */
		no_rows(l, SOURCE_DOWN);
		return;
	}
	if (l->ngood == 0) {
		/* Nothing to look up: no query this time. */
		no_rows(l, SOURCE_OK);
		return;
	}
	for (i = 0; i < l->ngood; i++)
		ids[i] = l->good[i].game_id;
	if (db_query_games(l->db, ids, l->ngood, on_rows, l, &err) == -1) {
		log_warn("db query failed", "error=%s", log_str(err.msg));
		no_rows(l, SOURCE_DOWN);
	}
}

/* ESPN answered for every day: keep the live games, ask Postgres. */
static void
espn_done(struct live *l)
{
	if (l->fetch_failed) {
		refresh_end(l, 0);
		return;
	}
	l->ngood = body_select_live(l->games, l->ngames);
	memcpy(l->good, l->games, l->ngood * sizeof(l->good[0]));
	l->good_wall = time_now_ms();
	if (l->ngood > 0 && l->db != NULL && db_connecting(l->db)) {
		/* Just started or reconnecting: the attempt is bounded. */
		l->awaiting_db = 1;
		return;
	}
	ask_db(l);
}

/* Records why this refresh failed (the first reason wins). */
static void
fail_fetch(struct live *l, long status, const char *what, const char *detail)
{
	size_t n, k;

	if (l->fetch_failed)
		return;
	l->fetch_failed = 1;
	l->fetch_status = status;
	n = strlen(what);
	if (n >= sizeof(l->fetch_error))
		n = sizeof(l->fetch_error) - 1;
	memcpy(l->fetch_error, what, n);
	if (detail != NULL && n + 2 < sizeof(l->fetch_error)) {
		l->fetch_error[n++] = ':';
		l->fetch_error[n++] = ' ';
		k = strlen(detail);
		if (k >= sizeof(l->fetch_error) - n)
			k = sizeof(l->fetch_error) - n - 1;
		memcpy(l->fetch_error + n, detail, k);
		n += k;
	}
	l->fetch_error[n] = '\0';
}

static void
on_scoreboard(void *arg, const struct fetch_result *res)
{
	struct live *l = arg;
	json_error_t jerr;
	struct errbuf err;
	json_t *doc;
	size_t skipped = 0, room;
	int n;

	if (!res->ok) {
		fail_fetch(l, 0, res->error ? res->error : "failed", NULL);
	} else if (res->status != 0 && (res->status < 200 ||
	    res->status > 299)) {
		fail_fetch(l, res->status, "HTTP status", NULL);
	} else if ((doc = json_loadb(res->body, res->len, 0, &jerr)) == NULL) {
		fail_fetch(l, res->status, "not JSON", jerr.text);
	} else {
		room = sizeof(l->games) / sizeof(l->games[0]) - l->ngames;
		if (room > LIVE_MAX_GAMES)
			room = LIVE_MAX_GAMES;
		n = espn_scoreboard_parse(doc, l->games + l->ngames, room,
		    &skipped, &err);
		json_decref(doc);
		if (n < 0) {
			fail_fetch(l, res->status, "not a scoreboard", err.msg);
		} else {
			l->ngames += (size_t)n;
			l->parse_skipped += skipped;
		}
	}
	if (--l->pending == 0)
		espn_done(l);
}

static void
refresh_start(struct live *l)
{
	struct errbuf err;
	char url[1024], day[9];
	int i, started = 0;
	int64_t now = time_now_ms();

	cache_started(&l->cache, time_mono_ms());
	l->pending = 1;		/* held until every fetch is started */
	l->fetch_failed = 0;
	l->fetch_error[0] = '\0';
	l->fetch_status = 0;
	l->ngames = 0;
	for (i = 0; i < NDAYS; i++) {
		time_eastern_day(now, i, day);
		if (espn_url(url, sizeof(url), l->espn_base,
		    ESPN_DOC_SCOREBOARD, day) == -1) {
			fail_fetch(l, 0, "URL too long", NULL);
			break;
		}
		l->pending++;
		if (fetch_get(l->fetch, url, NULL, NULL, on_scoreboard, l, &err) == -1) {
			l->pending--;
			fail_fetch(l, 0, err.msg, NULL);
			break;
		}
		started++;
	}
	log_debug("refresh", "fetches=%d", started);
	if (--l->pending == 0)
		espn_done(l);
}

static void
on_db_change(void *arg, int up, const char *why)
{
	struct live *l = arg;

	if (l->awaiting_db) {
		l->awaiting_db = 0;
		ask_db(l);
	}
	if (up) {
		log_info("db connected", NULL);
		return;
	}
	/* Every failed reconnect lands here: rate-limited. */
	log_rl(&l->db_rl, LOG_LVL_WARN, "db unavailable", "error=%s",
	    log_str(why));
}

/* Frees the strings copied from the configuration, then l itself. */
static void
free_copies(struct live *l)
{
	free(l->espn_base);
	free(l->user_agent);
	free(l->conninfo);
	free(l);
}

struct live *
live_new(uv_loop_t *loop, const struct live_cfg *cfg, struct errbuf *err)
{
	struct db_cfg dcfg;
	struct fetch_cfg fcfg;
	struct live *l;

	if ((l = calloc(1, sizeof(*l))) == NULL ||
	    (l->timer = calloc(1, sizeof(*l->timer))) == NULL ||
	    (l->espn_base = strdup(cfg->espn_base)) == NULL ||
	    (l->user_agent = strdup(cfg->user_agent)) == NULL ||
	    (l->conninfo = strdup(cfg->conninfo)) == NULL) {
		errbuf_set(err, "out of memory");
		goto fail;
	}
	l->loop = loop;
	l->cfg = *cfg;
	/* A trailing '/' in the base would give "//scoreboard". */
	while (strlen(l->espn_base) > 0 &&
	    l->espn_base[strlen(l->espn_base) - 1] == '/')
		l->espn_base[strlen(l->espn_base) - 1] = '\0';
	cache_init(&l->cache, cfg->ttl_ms, cfg->max_stale_ms);
	backoff_init(&l->espn_backoff, (uint64_t)time_now_ms());
	l->espn_backoff.give_up = cfg->give_up;
	source_init(&l->espn_src, "espn");
	source_init(&l->db_src, "db");
	(void)source_set(&l->espn_src, SOURCE_OK, NULL, -1);
	(void)source_set(&l->db_src, SOURCE_DOWN, NULL, -1);
	l->db_rl.interval_ms = 60000;
	l->db_rl.burst = 3;
	memset(&fcfg, 0, sizeof(fcfg));
	fcfg.user_agent = l->user_agent;
	fcfg.timeout_ms = cfg->fetch_timeout_ms;
	fcfg.max_body = MAX_BODY;
	if ((l->fetch = fetch_new(loop, &fcfg, err)) == NULL)
		goto fail;
	memset(&dcfg, 0, sizeof(dcfg));
	dcfg.conninfo = l->conninfo;
	dcfg.max_backoff_ms = cfg->ttl_ms;
	dcfg.query_timeout_ms = cfg->db_timeout_ms;
	dcfg.on_change = on_db_change;
	dcfg.arg = l;
	if ((l->db = db_new(loop, &dcfg, err)) == NULL)
		goto fail;
	uv_timer_init(loop, l->timer);
	l->timer->data = l;
	return l;
fail:
	if (l != NULL) {
		fetch_free(l->fetch);
		free(l->timer);
		free_copies(l);
	}
	return NULL;
}

void
live_set_server(struct live *l, struct server *s)
{
	l->server = s;
}

void
live_start(struct live *l)
{
	if (cache_due(&l->cache, time_mono_ms()))
		refresh_start(l);
}

static struct blob *
text_blob(const char *s)
{
	return blob_new(s, strlen(s));
}

static struct blob *
healthz(struct live *l)
{
	int64_t now = time_mono_ms();
	json_t *doc;
	char *s;

	doc = json_pack("{s:s, s:{s:s, s:s}, s:b, s:I, s:I}",
	    "status", l->body_status == 200 ? "ok" : "degraded",
	    "sources", "espn", source_state_name(l->espn_src.state), "db",
	    l->db != NULL && db_up(l->db) ? "ok" : "down",
	    "stale", l->espn_src.state != SOURCE_OK,
	    "live_games", (json_int_t)l->ngood,
	    "cache_age_ms", (json_int_t)(l->cache.have_any ?
	    now - l->cache.done_ms : -1));
	if (doc == NULL)
		return NULL;
	s = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(doc);
	return s ? blob_take(s, strlen(s)) : NULL;
}

static struct blob *
metrics(struct live *l)
{
	struct buf b;
	size_t i;
	struct db_stats ds;
	int64_t now = time_mono_ms();

	memset(&ds, 0, sizeof(ds));
	if (l->db != NULL)
		db_stats(l->db, &ds);
	/* Grows as the counters do; past the ceiling a 500, never a cut. */
	buf_init(&b, METRICS_MAX);
	buf_adds(&b,
	    "# HELP live_games_http_requests_total Requests answered.\n"
	    "# TYPE live_games_http_requests_total counter\n");
	for (i = 0; i < l->ncounters; i++)
		buf_addf(&b,
		    "live_games_http_requests_total{route=\"%s\",code=\"%d\"} "
		    "%llu\n", route_name(l->counters[i].route),
		    l->counters[i].status, l->counters[i].n);
	buf_addf(&b,
	    "# HELP live_games_espn_requests_total Scoreboard fetches started.\n"
	    "# TYPE live_games_espn_requests_total counter\n"
	    "live_games_espn_requests_total %llu\n"
	    "# HELP live_games_espn_failures_total Refreshes that failed on ESPN.\n"
	    "# TYPE live_games_espn_failures_total counter\n"
	    "live_games_espn_failures_total %llu\n"
	    "# HELP live_games_refreshes_total Cache refreshes completed.\n"
	    "# TYPE live_games_refreshes_total counter\n"
	    "live_games_refreshes_total %llu\n"
	    "# HELP live_games_db_queries_total Postgres queries sent.\n"
	    "# TYPE live_games_db_queries_total counter\n"
	    "live_games_db_queries_total %llu\n"
	    "# HELP live_games_db_failures_total Postgres queries that failed.\n"
	    "# TYPE live_games_db_failures_total counter\n"
	    "live_games_db_failures_total %llu\n"
	    "# HELP live_games_db_connects_total Postgres connections made.\n"
	    "# TYPE live_games_db_connects_total counter\n"
	    "live_games_db_connects_total %llu\n"
	    "# HELP live_games_source_up 1 when the source is ok.\n"
	    "# TYPE live_games_source_up gauge\n"
	    "live_games_source_up{source=\"espn\"} %d\n"
	    "live_games_source_up{source=\"db\"} %d\n"
	    "# HELP live_games_live Games live in the current list.\n"
	    "# TYPE live_games_live gauge\n"
	    "live_games_live %zu\n"
	    "# HELP live_games_cache_age_seconds Age of the current list.\n"
	    "# TYPE live_games_cache_age_seconds gauge\n"
	    "live_games_cache_age_seconds %.3f\n"
	    "# HELP live_games_waiting_requests Requests waiting for a refresh.\n"
	    "# TYPE live_games_waiting_requests gauge\n"
	    "live_games_waiting_requests %zu\n"
	    "# HELP live_games_waited_requests_total Requests that waited for a refresh.\n"
	    "# TYPE live_games_waited_requests_total counter\n"
	    "live_games_waited_requests_total %llu\n",
	    fetch_count(l->fetch), l->espn_failures, l->refreshes,
	    ds.queries, ds.failures, ds.connects,
	    l->espn_src.state == SOURCE_OK,
	    l->db != NULL && db_up(l->db), l->ngood,
	    l->cache.have_any ? (double)(now - l->cache.done_ms) / 1000.0 : 0.0,
	    l->server ? server_parked(l->server) : 0, l->waited);
	if (!b.failed)
		return blob_take(b.p, b.len);	/* takes b.p, even failing */
	log_warn("metrics not built", "error=%s max_bytes=%d",
	    log_str("over the ceiling or out of memory"), METRICS_MAX);
	buf_fini(&b);
	return NULL;
}

int
live_on_request(void *arg, enum route route, long long waited_ms,
    struct resp *r)
{
	struct live *l = arg;
	int64_t now = time_mono_ms();
	char *s;
	size_t len;

	switch (route) {
	case ROUTE_GAMES:
		l->demand++;
		if (cache_due(&l->cache, now))
			refresh_start(l);
		if (cache_on_request(&l->cache, now) == CACHE_WAIT &&
		    waited_ms < MAX_WAIT_MS && !l->fatal) {
			if (waited_ms == 0)
				l->waited++;
			return 1;
		}
		if (l->body != NULL) {
			r->status = l->body_status;
			r->body = blob_ref(l->body);
		} else {
			r->status = 503;
			s = body_error(503, "starting",
			    "no scoreboard fetched yet", 0, &len);
			r->body = blob_take(s, len);
		}
		break;
	case ROUTE_HEALTHZ:
		r->status = 200;
		r->body = healthz(l);
		break;
	case ROUTE_METRICS:
		r->status = 200;
		r->ctype = "text/plain; version=0.0.4";
		r->body = metrics(l);
		break;
	default:
		r->status = route_status(route);
		s = body_error(r->status, route_name(route),
		    r->status == 405 ? "method not allowed: use GET" :
		    r->status == 404 ? "no such path" :
		    r->status == 414 ? "path too long" : "bad request", 0, &len);
		r->body = blob_take(s, len);
		break;
	}
	if (r->body == NULL && route != ROUTE_PREFLIGHT) {
		r->status = 500;
		r->body = text_blob("{\"error\":\"internal\",\"status\":500}");
	}
	count(l, route, r->status);
	return 0;
}

void
live_free(struct live *l)
{
	if (l == NULL)
		return;
	fetch_free(l->fetch);
	db_free(l->db);
	uv_timer_stop(l->timer);
	uv_close((uv_handle_t *)l->timer, free_handle);
	blob_unref(l->body);
	free(l->rows);
	free_copies(l);
}
