/*
 * rooms: ws-fanout's held state, one room per game, built from the
 * aligner's frames (game, tick, source lines). It encodes each snapshot
 * and update once per game into a shared message; merging and history
 * live here too. Pure: json_t in, messages out through callbacks; the
 * caller supplies the clock. No sockets, no timers, no globals.
 */
#ifndef FANOUT_ROOMS_H
#define FANOUT_ROOMS_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "errbuf.h"
#include "msg.h"
#include "throttle.h"
#include "wspath.h"

#define ROOMS_MAX_SOURCES	8
#define ROOMS_SOURCE_NAME_MAX	15

struct room;
struct rooms;

/* Where the rooms' messages go; a NULL callback drops them. */
struct rooms_sink {
	/* A committed update, to every subscriber of r. m is borrowed. */
	void		(*on_update)(void *arg, struct room *r, struct msg *m);
	/* r started a new epoch: subscribers need a fresh snapshot. */
	void		(*on_reset)(void *arg, struct room *r);
	/* A source notice for r's subscribers, or for all when r is NULL. */
	void		(*on_notice)(void *arg, struct room *r, struct msg *m);
	void		*arg;
};

struct rooms_cfg {
	size_t		pre;		/* headroom in every message */
	unsigned	rate;		/* messages per client per second: 10 */
	unsigned	history;	/* updates held per game for resume */
	size_t		history_bytes;	/* and their byte ceiling per game */
	size_t		max_series;	/* bytes of points held per series */
	unsigned	max_rooms;	/* games held at once */
	struct rooms_sink sink;		/* or later, rooms_set_sink */
};

/* Why an input line was not used (counted by rooms_stats). */
enum rooms_skip {
	ROOMS_OK = 0,
	ROOMS_SKIP_TYPE,	/* unknown or missing type: ignored */
	ROOMS_SKIP_INVALID,	/* a required field missing or bad */
	ROOMS_SKIP_STALE,	/* older epoch, or a tick already held */
	ROOMS_SKIP_FULL,	/* max_rooms reached */
	ROOMS_SKIP_NOMEM,	/* a ceiling or ENOMEM */
};

struct rooms_stats {
	unsigned long long	lines;
	unsigned long long	ticks;
	unsigned long long	games;
	unsigned long long	sources;
	unsigned long long	skipped;
	unsigned long long	updates;	/* committed updates */
	unsigned long long	merged;		/* ticks merged into another */
	unsigned long long	resets;		/* epoch changes */
	unsigned long long	snapshots;	/* snapshot encodings */
	unsigned long long	dup_points;	/* points dropped as held */
};

/* Returns a new registry, or NULL on ENOMEM. cfg is copied. */
struct rooms *rooms_new(const struct rooms_cfg *cfg);
void	rooms_free(struct rooms *rs);
/* From now on the messages go to sink (copied; NULL: nowhere). */
void	rooms_set_sink(struct rooms *rs, const struct rooms_sink *sink);

/*
 * Takes one stream line (borrowed). now_us is a monotonic clock for the
 * throttle, ingest_us the wall-clock time the line was read (for age
 * metrics and notice timestamps).
 * A change is held as pending until rooms_flush lets it out. Returns
 * ROOMS_OK or why the line was skipped.
 */
enum rooms_skip rooms_ingest(struct rooms *rs, const json_t *line,
	    int64_t now_us, int64_t ingest_us);
/*
 * Commits every room whose throttle allows at now_us (monotonic): one
 * update each, pending ticks merged (points concatenated, latest game
 * and aligned). Returns the microseconds until the next room is due
 * (-1: none pending).
 */
int64_t	rooms_flush(struct rooms *rs, int64_t now_us);

struct room *rooms_find(struct rooms *rs, const char *game_id);
void	rooms_stats(const struct rooms *rs, struct rooms_stats *st);
/* Iteration over rooms, in creation order. */
struct room *rooms_first(struct rooms *rs);
struct room *room_next(struct room *r);

const char *room_id(const struct room *r);
int64_t	room_epoch(const struct room *r);
/* The held game line of r, encoded (borrowed), or NULL before any. */
const char *room_game_json(const struct room *r);
int64_t	room_seq(const struct room *r);
size_t	room_points(const struct room *r, size_t *espn, size_t *kalshi);
/* The caller's pointer per room (its subscriber list). */
void	*room_user(const struct room *r);
void	room_set_user(struct room *r, void *user);

/*
 * The snapshot of r's held (committed) state, with "resync":true when
 * resync is set. Borrowed: encoded once per committed state and cached;
 * take a reference to keep it. NULL on ENOMEM.
 */
struct msg *room_snapshot(struct room *r, int resync);
/*
 * The updates after (epoch, seq), for ?since resume. When they are still
 * held, fills out[] with borrowed messages (at most n) and returns the
 * count (0: nothing missed). Returns -1 when the client needs a
 * snapshot instead (other epoch, too old, ahead, or more than n).
 */
int	room_since(struct room *r, int64_t epoch, int64_t seq,
	    struct msg **out, size_t n);

/*
 * An error message for a client asking for an unknown game (code
 * unknown_game). Returns a new message or NULL.
 */
struct msg *rooms_unknown_game_msg(size_t pre, const char *game_id,
	    int64_t now_ms);

#endif
