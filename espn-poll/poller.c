/*
 * poller: espn-poll's engine: the scoreboard streams and the games, the
 * lines out and the source state they share, the give-up count; resends
 * the state to a reconnecting consumer. The parts are games.c and
 * stream.c; this file must not block or touch sockets itself.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lines.h"
#include "log.h"
#include "opts.h"
#include "poller.h"
#include "timeutil.h"

#include "poller_int.h"

void
poller_emit(struct poller *p, json_t *obj)
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

void
poller_exit(struct poller *p, int code)
{
	if (p->exited)
		return;
	p->exited = 1;
	p->cfg.on_exit(p->cfg.arg, code);
}

void
poller_set_source(struct poller *p, enum source_state s, const char *detail,
    int64_t retry)
{
	/* A new state only: the detail of the same state is not news. */
	if (s == p->src.state)
		return;
	source_set(&p->src, s, detail, retry);
	p->st.source_lines++;
	poller_emit(p, source_line(&p->src, time_now_ms()));
	log_msg(s == SOURCE_OK ? LOG_LVL_INFO : LOG_LVL_WARN, "source state",
	    "state=%s error=%s", source_state_name(s),
	    log_str(p->src.detail));
}

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
	if ((p = errbuf_calloc(sizeof(*p), err)) == NULL)
		return NULL;
	/* poller_free takes a poller at any step of this. */
	if ((p->base = strdup(cfg->base_url)) == NULL ||
	    (p->scratch = calloc(MAX_POINTS, sizeof(*p->scratch))) == NULL ||
	    (p->gscratch = calloc(MAX_GAMES, sizeof(*p->gscratch))) == NULL) {
		poller_free(p);
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
	source_init(&p->src, "espn");
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
			p->boards[1].days_back = 1;
			p->nboards = 2;
		}
	}
	for (i = 0; i < cfg->ngames; i++) {
		struct game *g = games_find(p, cfg->games[i]);

		if (g == NULL)
			g = games_add(p, cfg->games[i]);
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
		games_follow(p, p->games[i]);
	if (p->cfg.once && p->busy == 0)
		poller_exit(p, 0);
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
	if ((line = lines_encode(source_line(&p->src, time_now_ms()),
	    &len)) != NULL) {
		output_write(out, line, len);
		free(line);
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
