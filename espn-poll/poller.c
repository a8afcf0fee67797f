/*
 * poller: schedules ESPN fetches and turns their results into lines. Each
 * URL is a stream with its own timer, validators and backoff; the source
 * health and the give-up count are shared. Parsing lives in common/espn.c;
 * this file must not block or touch sockets itself.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fnv.h"
#include "backoff.h"
#include "espn.h"
#include "lines.h"
#include "log.h"
#include "opts.h"
#include "poller.h"
#include "timeutil.h"

#define MAX_GAMES	64	/* games followed at once */
#define MAX_POINTS	8192	/* wp points per game (a game has ~500) */
#define MAX_DATES	8

enum src_state { SRC_UNKNOWN, SRC_OK, SRC_DEGRADED, SRC_DOWN };
static const char *src_names[] = { "unknown", "ok", "degraded", "down" };

enum stream_kind { ST_SCOREBOARD, ST_SUMMARY };

struct game;

struct stream {
	struct poller	*p;
	enum stream_kind kind;
	char		 date[9];	/* scoreboard: fixed date, or "" */
	int		 day_offset;	/* scoreboard: 0 today, -1 yesterday */
	struct game	*game;		/* summary */
	uv_timer_t	 timer;
	int		 timer_open;
	int		 in_flight;
	int		 busy;		/* --once: counted in p->busy */
	int		 ran;		/* --once: was scheduled */
	int		 failing;
	char		*url;
	char		*etag, *last_modified;
	uint64_t	 body_hash;
	int		 have_hash;
	struct backoff	 bo;
	char		 label[48];	/* "summary 401772994" */
};

struct game {
	struct espn_game info;
	int		 have_line;	/* a game line went out */
	int		 on_scoreboard;
	int		 explicit_;	/* named with --game */
	int		 following;	/* summary stream active */
	int		 sb_post;	/* scoreboard says post: 1 the next poll
					   is the last, 2 the one after */
	int		 done;		/* followed to the end */
	struct espn_wp	*pts;		/* written points, in write order */
	size_t		 npts, cap;
	uint32_t	*set;		/* open addressing: index + 1 */
	size_t		 set_cap;
	int		 full_warned;
	struct stream	 summary;
};

struct poller {
	uv_loop_t	*loop;
	struct poller_cfg cfg;
	char		*base;
	int		 file_base;
	struct stream	 boards[MAX_DATES];
	size_t		 nboards;
	struct game	*games[MAX_GAMES];
	size_t		 ngames;
	struct espn_wp	*scratch;	/* parse output, MAX_POINTS */
	struct espn_game *gscratch;	/* MAX_GAMES */
	char		*slim;		/* espn_summary_slim output */
	size_t		 slim_cap;
	enum src_state	 src;
	char		 src_detail[256];
	int64_t		 src_retry;
	unsigned	 fails_in_row;
	unsigned	 busy;		/* --once: streams not finished */
	int		 once_failed;
	int		 stopping;
	int		 exited;
	struct ratelimit rl;
	struct poller_stats st;
};

static void	stream_schedule(struct stream *, int64_t);

static double
cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void
emit(struct poller *p, json_t *obj)
{
	size_t len;
	char *line = lines_encode(obj, &len);

	if (line == NULL) {
		log_error("encode failed", NULL);
		return;
	}
	/*
	 * While a unix: consumer is away nothing is queued: it gets the
	 * whole state (every game, every point, the source) when it comes
	 * back, so a queue would only repeat it.
	 */
	if (output_connected(p->cfg.out))
		output_write(p->cfg.out, line, len);
	free(line);
}

static void
exit_with(struct poller *p, int code)
{
	if (p->exited)
		return;
	p->exited = 1;
	p->cfg.on_exit(p->cfg.arg, code);
}

static void
set_source(struct poller *p, enum src_state s, const char *detail,
    int64_t retry)
{
	if (s == p->src)
		return;
	p->src = s;
	snprintf(p->src_detail, sizeof(p->src_detail), "%s",
	    detail ? detail : "");
	p->src_retry = retry;
	p->st.source_lines++;
	emit(p, lines_source(src_names[s], p->src_detail, retry,
	    time_now_ms()));
	log_msg(s == SRC_OK ? LOG_LVL_INFO : LOG_LVL_WARN, "source state",
	    "state=%s detail=%s", src_names[s], log_str(p->src_detail));
}

/* --- written points: a set of play ids per game --- */

static int
seen(const struct game *g, const char *play_id)
{
	size_t i, mask;
	uint32_t v;

	if (g->set_cap == 0)
		return 0;
	mask = g->set_cap - 1;
	for (i = fnv1a64(play_id, strlen(play_id), FNV1A64_BASIS) & mask;
	    (v = g->set[i]) != 0; i = (i + 1) & mask)
		if (strcmp(g->pts[v - 1].play_id, play_id) == 0)
			return 1;
	return 0;
}

static void
set_insert(struct game *g, size_t idx)
{
	size_t mask = g->set_cap - 1, i;
	const char *id = g->pts[idx].play_id;

	for (i = fnv1a64(id, strlen(id), FNV1A64_BASIS) & mask; g->set[i] != 0;
	    i = (i + 1) & mask)
		;
	g->set[i] = (uint32_t)idx + 1;
}

/* Remembers a written point; 0, or -1 when full or out of memory. */
static int
remember(struct game *g, const struct espn_wp *pt)
{
	struct espn_wp *np;
	uint32_t *ns;
	size_t cap, i;

	if (g->npts >= MAX_POINTS)
		return -1;
	if (g->npts == g->cap) {
		cap = g->cap ? g->cap * 2 : 512;
		if ((np = realloc(g->pts, cap * sizeof(*np))) == NULL)
			return -1;
		g->pts = np;
		g->cap = cap;
	}
	if ((g->npts + 1) * 2 > g->set_cap) {
		cap = g->set_cap ? g->set_cap * 2 : 1024;
		if ((ns = calloc(cap, sizeof(*ns))) == NULL)
			return -1;
		free(g->set);
		g->set = ns;
		g->set_cap = cap;
		for (i = 0; i < g->npts; i++)
			set_insert(g, i);
	}
	g->pts[g->npts] = *pt;
	set_insert(g, g->npts);
	g->npts++;
	return 0;
}

/* --- games --- */

static struct game *
find_game(struct poller *p, const char *id)
{
	size_t i;

	for (i = 0; i < p->ngames; i++)
		if (strcmp(p->games[i]->info.game_id, id) == 0)
			return p->games[i];
	return NULL;
}

static void
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

static void	stream_fini(struct stream *);

static void
game_closed(uv_handle_t *h)
{
	struct stream *s = h->data;
	struct game *g = s->game;

	stream_fini(s);
	free(g->pts);
	free(g->set);
	free(g);
}

/*
 * Makes room by dropping the oldest game that is neither followed nor
 * named with --game, so a process that runs for weeks stays bounded.
 */
static void
evict_one(struct poller *p)
{
	struct game *g;
	size_t i;

	for (i = 0; i < p->ngames; i++) {
		g = p->games[i];
		if (g->following || g->explicit_ || g->summary.in_flight)
			continue;
		memmove(&p->games[i], &p->games[i + 1],
		    (p->ngames - i - 1) * sizeof(p->games[0]));
		p->ngames--;
		g->summary.timer_open = 0;
		uv_close((uv_handle_t *)&g->summary.timer, game_closed);
		return;
	}
}

static struct game *
add_game(struct poller *p, const char *id)
{
	struct game *g;

	if (p->ngames >= MAX_GAMES)
		evict_one(p);
	if (p->ngames >= MAX_GAMES) {
		log_rl(&p->rl, LOG_LVL_WARN, "too many games", "game=%s max=%d",
		    id, MAX_GAMES);
		return NULL;
	}
	if ((g = calloc(1, sizeof(*g))) == NULL)
		return NULL;
	snprintf(g->info.game_id, sizeof(g->info.game_id), "%s", id);
	stream_init(p, &g->summary, ST_SUMMARY);
	g->summary.game = g;
	snprintf(g->summary.label, sizeof(g->summary.label), "summary %s", id);
	p->games[p->ngames++] = g;
	return g;
}

static void
game_line(struct poller *p, struct game *g, const struct espn_game *info)
{
	if (g->have_line && !lines_game_changed(&g->info, info))
		return;
	g->info = *info;
	g->have_line = 1;
	p->st.game_lines++;
	emit(p, lines_game(&g->info, time_now_ms()));
}

static void
follow(struct poller *p, struct game *g)
{
	if (g->following || g->done)
		return;
	g->following = 1;
	log_info("following game", "game=%s state=%s", g->info.game_id,
	    g->info.state[0] ? g->info.state : "unknown");
	stream_schedule(&g->summary, 0);
}

static void
unfollow(struct poller *p, struct game *g)
{
	g->following = 0;
	g->done = 1;
	uv_timer_stop(&g->summary.timer);
	log_info("game finished", "game=%s points=%zu", g->info.game_id,
	    g->npts);
}

/* --- URLs --- */

static char *
join(const char *base, const char *a, const char *b, const char *c)
{
	size_t n = strlen(base) + strlen(a) + strlen(b) + strlen(c) + 1;
	char *s = malloc(n);

	if (s != NULL)
		snprintf(s, n, "%s%s%s%s", base, a, b, c);
	return s;
}

static char *
make_url(struct poller *p, struct stream *s)
{
	char date[9];

	if (s->kind == ST_SCOREBOARD) {
		if (s->date[0] != '\0')
			memcpy(date, s->date, sizeof(date));
		else
			time_eastern_yyyymmdd(time_now_ms() +
			    (int64_t)s->day_offset * 86400000, date);
		snprintf(s->label, sizeof(s->label), "scoreboard %s", date);
		return p->file_base ?
		    join(p->base, "/scoreboard-nba-", date, ".json") :
		    join(p->base, "/scoreboard?dates=", date, "");
	}
	return p->file_base ?
	    join(p->base, "/summary-nba-", s->game->info.game_id, ".json") :
	    join(p->base, "/summary?event=", s->game->info.game_id, "");
}

/* --- results --- */

/* Returns 0, or -1 with err set when the document is unusable. */
static int
on_scoreboard(struct poller *p, const json_t *doc, struct errbuf *err)
{
	struct game *g;
	size_t i, skipped = 0;
	int n;

	n = espn_scoreboard_parse(doc, p->gscratch, MAX_GAMES, &skipped, err);
	if (n < 0)
		return -1;
	if (skipped > 0)
		log_rl(&p->rl, LOG_LVL_WARN, "events skipped", "count=%zu",
		    skipped);
	for (i = 0; i < (size_t)n; i++) {
		const struct espn_game *info = &p->gscratch[i];

		if ((g = find_game(p, info->game_id)) == NULL &&
		    (g = add_game(p, info->game_id)) == NULL)
			continue;
		g->on_scoreboard = 1;
		game_line(p, g, info);
		if (strcmp(info->state, "in") == 0)
			follow(p, g);
		else if (strcmp(info->state, "post") == 0 && !g->following &&
		    !g->done && !p->cfg.once) {
			/*
			 * Final before this process followed it (started
			 * after the game, or the game went from pre to post
			 * between two scoreboard polls): one summary poll,
			 * retried as usual, writes its points, then done. A
			 * restarted consumer needs the whole game again.
			 */
			g->sb_post = 1;
			follow(p, g);
		} else if (strcmp(info->state, "post") == 0 && g->following &&
		    !g->sb_post) {
			/*
			 * One last summary poll for the final plays; one sent
			 * before the game ended does not count (2).
			 */
			if (g->summary.in_flight)
				g->sb_post = 2;
			else {
				g->sb_post = 1;
				uv_timer_stop(&g->summary.timer);
				stream_schedule(&g->summary, 0);
			}
		}
	}
	return 0;
}

static json_t	*load_summary(struct poller *, const char *, size_t);

/*
 * A summary body: new points, maybe a game line. Returns 0, or -1 with
 * err set to what a source line should say.
 */
static int
on_summary(struct poller *p, struct game *g, const char *body, size_t len,
    int64_t recv_ts, struct errbuf *err)
{
	struct espn_game info;
	struct errbuf perr = { "" };
	json_error_t jerr;
	json_t *doc;
	size_t i, skipped = 0;
	int n;

	/* Straight from the bytes; the document only when that declines. */
	n = espn_summary_parse_text(body, len, &info, p->scratch, MAX_POINTS,
	    &skipped, &perr);
	if (n == ESPN_TEXT_FALLBACK) {
		p->st.fallbacks++;
		if ((doc = load_summary(p, body, len)) == NULL &&
		    (doc = json_loadb(body, len, 0, &jerr)) == NULL)
			return errbuf_set(err, "malformed JSON: %s", jerr.text);
		n = espn_summary_parse(doc, &info, p->scratch, MAX_POINTS,
		    &skipped, &perr);
		json_decref(doc);
	}
	if (n < 0)
		return errbuf_set(err, "bad document: %s", perr.msg);
	if (strcmp(info.game_id, g->info.game_id) != 0)
		return errbuf_set(err, "bad document: header.id: %s, asked "
		    "for %s", info.game_id, g->info.game_id);
	/* The game line goes first so a consumer knows the game. */
	if (!g->on_scoreboard)
		game_line(p, g, &info);
	if (skipped > 0)
		log_debug("points skipped", "game=%s count=%zu",
		    g->info.game_id, skipped);
	for (i = 0; i < (size_t)n; i++) {
		const struct espn_wp *pt = &p->scratch[i];

		if (seen(g, pt->play_id))
			continue;
		if (remember(g, pt) == -1) {
			if (!g->full_warned)
				log_error("too many points", "game=%s max=%d",
				    g->info.game_id, MAX_POINTS);
			g->full_warned = 1;
			break;
		}
		p->st.wp_lines++;
		emit(p, lines_wp(g->info.game_id, pt, recv_ts));
	}
	if (strcmp(info.state, "post") == 0 || g->sb_post == 1)
		unfollow(p, g);
	else if (g->sb_post == 2)
		g->sb_post = 1;		/* the next poll is the last */
	return 0;
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
	set_source(p, SRC_OK, "", -1);
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
		set_source(p, blocked ? SRC_DOWN : SRC_DEGRADED, detail, -1);
		return -1;
	}
	if (p->cfg.give_up != 0 && p->fails_in_row >= p->cfg.give_up) {
		snprintf(detail, sizeof(detail),
		    "%s: %s%s; giving up after %u failures", s->label, why,
		    blocked ? " (blocked)" : "", p->fails_in_row);
		if (p->src == SRC_DOWN)	/* say why we leave all the same */
			p->src = SRC_DEGRADED;
		set_source(p, SRC_DOWN, detail, -1);
		exit_with(p, EXIT_UNAVAIL);
		return -1;
	}
	set_source(p, blocked ? SRC_DOWN : SRC_DEGRADED, detail, delay);
	return delay;
}

static void
once_done(struct poller *p, struct stream *s)
{
	if (!s->busy)
		return;
	s->busy = 0;
	if (--p->busy == 0)
		exit_with(p, p->once_failed ? EXIT_UNAVAIL : 0);
}

static void
replace(char **dst, const char *src)
{
	free(*dst);
	*dst = src ? strdup(src) : NULL;
}

/*
 * A summary is ~840 kB of which the parser reads a tenth: skim it down
 * first (4x less CPU). NULL when that fails; the caller then parses the
 * whole body, which also gives the precise error.
 */
static json_t *
load_summary(struct poller *p, const char *body, size_t len)
{
	char *nb;
	long n;

	if (p->slim_cap < len + 1) {
		if ((nb = realloc(p->slim, len + 1)) == NULL)
			return NULL;
		p->slim = nb;
		p->slim_cap = len + 1;
	}
	if ((n = espn_summary_slim(body, len, p->slim, p->slim_cap)) < 0)
		return NULL;
	return json_loadb(p->slim, (size_t)n, 0, NULL);
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
		rc = on_summary(p, s->game, r->body, r->len, now, &err);
	else if ((doc = json_loadb(r->body, r->len, 0, &jerr)) == NULL)
		rc = errbuf_set(&err, "malformed JSON: %s", jerr.text);
	else {
		if ((rc = on_scoreboard(p, doc, &perr)) == -1)
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
		log_error("out of memory", NULL);
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

static void
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

/* --- lifecycle --- */

struct poller *
poller_new(uv_loop_t *loop, const struct poller_cfg *cfg, struct errbuf *err)
{
	struct poller *p;
	size_t i, n;

	if (cfg->ndates > MAX_DATES) {
		errbuf_set(err, "at most %d dates", MAX_DATES);
		return NULL;
	}
	if (cfg->ngames > MAX_GAMES) {
		errbuf_set(err, "at most %d games", MAX_GAMES);
		return NULL;
	}
	if ((p = calloc(1, sizeof(*p))) == NULL ||
	    (p->base = strdup(cfg->base_url)) == NULL ||
	    (p->scratch = calloc(MAX_POINTS, sizeof(*p->scratch))) == NULL ||
	    (p->gscratch = calloc(MAX_GAMES, sizeof(*p->gscratch))) == NULL) {
		if (p) {
			free(p->base);
			free(p->scratch);
		}
		free(p);
		errbuf_set(err, "out of memory");
		return NULL;
	}
	p->loop = loop;
	p->cfg = *cfg;
	if (p->cfg.retry_base_ms <= 0)
		p->cfg.retry_base_ms = 1000;
	n = strlen(p->base);
	while (n > 0 && p->base[n - 1] == '/')
		p->base[--n] = '\0';
	p->file_base = strncmp(p->base, "file:", 5) == 0;
	p->rl = (struct ratelimit)RATELIMIT_INIT(10000, 5);
	if (cfg->scoreboard_interval_ms > 0) {
		if (cfg->ndates > 0) {
			for (i = 0; i < cfg->ndates; i++) {
				stream_init(p, &p->boards[i], ST_SCOREBOARD);
				snprintf(p->boards[i].date,
				    sizeof(p->boards[i].date), "%s",
				    cfg->dates[i]);
			}
			p->nboards = cfg->ndates;
		} else {
			/* Yesterday too: games that run past midnight. */
			stream_init(p, &p->boards[0], ST_SCOREBOARD);
			stream_init(p, &p->boards[1], ST_SCOREBOARD);
			p->boards[1].day_offset = -1;
			p->nboards = 2;
		}
	}
	for (i = 0; i < cfg->ngames; i++) {
		struct game *g = find_game(p, cfg->games[i]);

		if (g == NULL)
			g = add_game(p, cfg->games[i]);
		if (g != NULL)
			g->explicit_ = 1;
	}
	return p;
}

int
poller_start(struct poller *p, struct errbuf *err)
{
	size_t i;

	for (i = 0; i < p->nboards; i++)
		stream_schedule(&p->boards[i], 0);
	for (i = 0; i < p->ngames; i++)
		follow(p, p->games[i]);
	if (p->cfg.once && p->busy == 0)
		exit_with(p, 0);
	return 0;
}

void
poller_resend(struct poller *p, struct output *out)
{
	size_t i, j, len;
	struct game *g;
	char *line;

	for (i = 0; i < p->ngames; i++) {
		g = p->games[i];
		if (g->have_line &&
		    (line = lines_encode(lines_game(&g->info, time_now_ms()),
		    &len)) != NULL) {
			output_write(out, line, len);
			free(line);
		}
		for (j = 0; j < g->npts; j++) {
			/* recv_ts: when this process first saw the point is
			 * not kept; now is when it is sent again. */
			line = lines_encode(lines_wp(g->info.game_id,
			    &g->pts[j], time_now_ms()), &len);
			if (line != NULL) {
				output_write(out, line, len);
				free(line);
			}
		}
	}
	if (p->src != SRC_UNKNOWN &&
	    (line = lines_encode(lines_source(src_names[p->src],
	    p->src_detail, p->src_retry, time_now_ms()), &len)) != NULL) {
		output_write(out, line, len);
		free(line);
	}
}

static void
stream_close(struct stream *s)
{
	if (s->timer_open) {
		s->timer_open = 0;
		uv_close((uv_handle_t *)&s->timer, NULL);
	}
}

void
poller_stop(struct poller *p)
{
	size_t i;

	if (p->stopping)
		return;
	p->stopping = 1;
	for (i = 0; i < p->nboards; i++)
		stream_close(&p->boards[i]);
	for (i = 0; i < p->ngames; i++)
		stream_close(&p->games[i]->summary);
}

void
poller_stats(const struct poller *p, struct poller_stats *st)
{
	*st = p->st;
}

static void
stream_fini(struct stream *s)
{
	free(s->url);
	free(s->etag);
	free(s->last_modified);
}

void
poller_free(struct poller *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->nboards; i++)
		stream_fini(&p->boards[i]);
	for (i = 0; i < p->ngames; i++) {
		stream_fini(&p->games[i]->summary);
		free(p->games[i]->pts);
		free(p->games[i]->set);
		free(p->games[i]);
	}
	free(p->scratch);
	free(p->gscratch);
	free(p->slim);
	free(p->base);
	free(p);
}
