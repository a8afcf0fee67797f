/*
 * align: the aligner's engine. Stream lines (parsed objects) in, `game`,
 * `tick` and `source` lines out through an emit callback. Keeps per-game
 * state (the ESPN series, the Kalshi home-probability series, the latest
 * game line) within fixed bounds. Pure: no I/O, no clock, no globals.
 */
#ifndef COURTSIDE_ALIGN_H
#define COURTSIDE_ALIGN_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "errbuf.h"

#define ALIGN_DEFAULT_MAX_POINTS	100000
#define ALIGN_DEFAULT_MAX_GAMES		1024
#define ALIGN_DEFAULT_MAX_UNMAPPED	100000
#define ALIGN_DEFAULT_MAX_TICK		1000
/* "KXNBAGAME-25MAY31NYKIND" and a market suffix fit easily. */
#define ALIGN_TICKER_MAX		64

/* One output line: len bytes ending in '\n'. line is borrowed. */
typedef void (*align_emit_fn)(void *arg, const char *line, size_t len);

struct align_cfg {
	size_t		max_points;	/* per series per game; 0: default */
	size_t		max_games;	/* games held; 0: default */
	size_t		max_unmapped;	/* quotes held for unknown games */
	size_t		max_tick;	/* new points that force a tick */
	int64_t		epoch;		/* this run's id (ms at start) */
	align_emit_fn	emit;
	void		*arg;
};

struct align_stats {
	unsigned long long	lines;		/* objects fed */
	unsigned long long	bad;		/* lacked a required field */
	unsigned long long	not_json;	/* align_feed_line: not an object */
	unsigned long long	ignored;	/* types the aligner does not use */
	unsigned long long	wp, wp_dup;
	unsigned long long	quotes, quote_dup, quote_stale;
	unsigned long long	trades;
	unsigned long long	unmapped;	/* quotes held now for no game */
	unsigned long long	unmapped_shed;	/* ... and dropped when full */
	unsigned long long	unknown_team;	/* ticker of a known event, no side */
	unsigned long long	markets_full;	/* quotes for a market over the limit */
	unsigned long long	espn_points, kalshi_points;
	unsigned long long	espn_shed, kalshi_shed;
	unsigned long long	games, games_evicted;
	unsigned long long	ticks;
	unsigned long long	passed;		/* game and source lines out */
};

enum align_result {
	ALIGN_OK = 0,		/* used (perhaps producing nothing new) */
	ALIGN_DUP,		/* seen before */
	ALIGN_IGNORED,		/* a type the aligner does not use */
	ALIGN_BAD,		/* a required field missing or malformed */
	ALIGN_NOT_JSON,		/* align_feed_line: not a JSON object */
};

struct align;

/* Returns a new engine, or NULL on out of memory. cfg is copied. */
struct align *align_new(const struct align_cfg *cfg);
void	align_free(struct align *a);

/*
 * Loads a market map: text lines "GAME_ID TICKER TEAM" (TEAM a Kalshi or
 * ESPN code, or "home" / "away"), '#' comments and blank lines allowed.
 * A mapped ticker never goes through the event-ticker rule, and a game
 * named here gets no automatic mapping. Borrows text. Returns the number
 * of entries, or -1 with err naming the line.
 */
int	align_map_load(struct align *a, const char *text, size_t len,
	    struct errbuf *err);

/*
 * Feeds one stream line: obj is the parsed object (borrowed, not
 * changed), line/len
 * its raw bytes without '\n' (passed through for game and source lines).
 * May call emit (pass-through, or a tick when max_tick new points are
 * waiting). Returns an align_result; ALIGN_BAD with err set.
 */
int	align_feed(struct align *a, json_t *obj, const char *line,
	    size_t len, struct errbuf *err);

/*
 * The same from raw bytes (no '\n'; a trailing '\r' is the caller's):
 * flat wp/quote/trade lines are scanned without building a json_t, the
 * rest are parsed with jansson. Returns an align_result, ALIGN_NOT_JSON
 * (counted in not_json, not in lines) with err set when the line is not
 * a JSON object.
 */
int	align_feed_line(struct align *a, const char *line, size_t len,
	    struct errbuf *err);

/* Emits one tick per game that has new points. Returns ticks written. */
size_t	align_flush(struct align *a);
/* Number of games with points not yet in a tick. */
size_t	align_dirty(const struct align *a);

/*
 * Writes the current state through fn: the latest source line of each
 * source, then per game its game line and one tick ("snapshot":true) with
 * the whole series as of its last tick (same seq). Points not yet in a
 * tick are left out: they come in the next tick.
 */
void	align_snapshot(const struct align *a, align_emit_fn fn, void *arg);

void	align_get_stats(const struct align *a, struct align_stats *st);

/*
 * The Kalshi event ticker of a game: KXNBAGAME-{YY}{MON}{DD}{AWAY}{HOME}
 * with the US Eastern date of start_ms and Kalshi team codes (ESPN codes
 * are translated). Returns 0, or -1 when a team is unknown.
 */
int	align_event_ticker(const char *home, const char *away, int64_t start_ms,
	    char buf[ALIGN_TICKER_MAX]);

#endif
