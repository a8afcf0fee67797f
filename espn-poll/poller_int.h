/*
 * poller_int: espn-poll's engine state, shared by poller.c, games.c and
 * stream.c only (the public face is poller.h). The poller owns its games
 * and streams; a game owns its summary stream, its points and play-id
 * set, and is freed in its timer's close callback once evicted.
 */
#ifndef ESPN_POLL_POLLER_INT_H
#define ESPN_POLL_POLLER_INT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <uv.h>

#include "backoff.h"
#include "errbuf.h"
#include "espn.h"
#include "log.h"
#include "poller.h"
#include "source.h"

#define MAX_GAMES	64	/* games followed at once */
#define MAX_POINTS	8192	/* wp points per game (a game has ~500) */
#define MAX_DATES	8


enum stream_kind { ST_SCOREBOARD, ST_SUMMARY };

struct game;

struct stream {
	struct poller	*p;
	enum stream_kind kind;
	char		 date[9];	/* scoreboard: fixed date, or "" */
	int		 days_back;	/* scoreboard: 0 today, 1 yesterday */
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
	struct source	 src;		/* ESPN's health, as last written */
	unsigned	 fails_in_row;
	unsigned	 busy;		/* --once: streams not finished */
	int		 once_failed;
	int		 stopping;
	int		 exited;
	struct ratelimit rl;
	struct poller_stats st;
};

/* poller.c. poller_emit takes ownership of obj. */
void	poller_emit(struct poller *p, json_t *obj);
/* Tells main the poller is finished (once). */
void	poller_exit(struct poller *p, int code);
void	poller_set_source(struct poller *p, enum source_state s,
	    const char *detail, int64_t retry);

/* games.c */
struct game *games_find(struct poller *p, const char *id);
/* A new game (evicting an idle one when full), or NULL. */
struct game *games_add(struct poller *p, const char *id);
/* Writes a game line when info changed what the consumer knows. */
void	games_line(struct poller *p, struct game *g,
	    const struct espn_game *info);
void	games_follow(struct poller *p, struct game *g);
void	games_unfollow(struct poller *p, struct game *g);
/* Returns 0, or -1 with err set when the document is unusable. */
int	games_on_scoreboard(struct poller *p, const json_t *doc,
	    struct errbuf *err);
/* A summary body: new points, maybe a game line. 0, or -1 with err. */
int	games_on_summary(struct poller *p, struct game *g, const char *body,
	    size_t len, int64_t recv_ts, struct errbuf *err);

/* stream.c */
void	stream_init(struct poller *p, struct stream *s, enum stream_kind kind);
/* Fetches in delay_ms (a --once run: each stream once). */
void	stream_schedule(struct stream *s, int64_t delay_ms);
void	stream_close(struct stream *s);
/* Frees what s holds (not s). */
void	stream_fini(struct stream *s);

#endif
