/*
 * poller: what to fetch from ESPN and when. Scoreboards on one cadence,
 * summaries of live (and --game) games on another, one summary poll
 * of a game first seen final, retries with backoff, and the game / wp /
 * source lines that result. Holds the state that a reconnecting
 * consumer is sent again.
 */
#ifndef ESPN_POLL_POLLER_H
#define ESPN_POLL_POLLER_H

#include <stddef.h>
#include <stdint.h>
#include <uv.h>
#include "errbuf.h"
#include "fetch.h"
#include "output.h"

struct poller;

struct poller_cfg {
	const char	*base_url;	/* site API root, or a file:// folder */
	int64_t		 interval_ms;	/* summary cadence */
	int64_t		 scoreboard_interval_ms; /* 0: no scoreboard */
	const char	**games;	/* --game ids (borrowed) */
	size_t		 ngames;
	const char	**dates;	/* --date YYYYMMDD; none: Eastern today
					   and yesterday */
	size_t		 ndates;
	int		 once;		/* one cycle, then on_exit */
	unsigned	 give_up;	/* failures in a row before exit 69 */
	int64_t		 retry_base_ms;	/* first retry delay (1 s) */
	struct fetch	*fetch;		/* borrowed */
	struct output	*out;		/* borrowed */
	/* The poller is finished: code 0 (--once done), 69 (gave up or a
	 * --once fetch failed). */
	void		(*on_exit)(void *arg, int code);
	void		*arg;
};

struct poller_stats {
	unsigned long long	fetches, failures, not_modified, unchanged,
				parsed, wp_lines, game_lines, source_lines;
	double			parse_cpu_ms;	/* total, parse + diff */
	double			summary_cpu_ms;	/* the same, summaries */
	unsigned long long	summaries;	/* summaries parsed */
	unsigned long long	fallbacks;	/* parsed as a document */
	long long		wire_bytes;
};

/* Returns a new poller (not started), or NULL with err set. */
struct poller *poller_new(uv_loop_t *loop, const struct poller_cfg *cfg,
	    struct errbuf *err);
/* Starts the timers. Returns 0 or -1 with err set. */
int	poller_start(struct poller *p, struct errbuf *err);
/* Writes the current state (games, all points, source) to out. */
void	poller_resend(struct poller *p, struct output *out);
/* Stops and closes every timer; in-flight results are ignored after. */
void	poller_stop(struct poller *p);
void	poller_stats(const struct poller *p, struct poller_stats *st);
/* Frees p once its handles are closed (after the loop ran). NULL ok. */
void	poller_free(struct poller *p);

#endif
