/*
 * espn: pure parsers for ESPN's NBA scoreboard and game summary bodies
 * (site.api.espn.com). json_t in, structs out; no I/O, no globals, no
 * allocation. Used by espn-poll and live-games.
 */
#ifndef COURTSIDE_ESPN_H
#define COURTSIDE_ESPN_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "errbuf.h"

struct espn_side {
	char	id[16];		/* ESPN team id, "11" */
	char	abbr[8];	/* ESPN abbreviation, "IND" */
	char	name[64];	/* displayName, "Indiana Pacers" */
	int	score;		/* 0 when ESPN gives none */
};

struct espn_game {
	char		game_id[24];	/* event id, digits only */
	char		state[8];	/* "pre", "in", "post" */
	char		status[40];	/* status.type.name, "STATUS_IN_PROGRESS" */
	int		period;
	char		clock[16];	/* status.displayClock, "7:12" */
	int64_t		start_time;	/* ms since epoch, from event date */
	struct espn_side home, away;
};

struct espn_wp {
	char		play_id[32];
	long long	seq;		/* play sequenceNumber as a number */
	int64_t		ts;		/* play wallclock, ms */
	double		home, away, tie;
	int		period;
	char		clock[16];	/* play clock.displayValue */
	int		home_score, away_score;
};

/*
 * Parses a scoreboard document into games[] (at most n). Events that
 * lack an id, both competitors or a state are skipped and counted in
 * *skipped (may be NULL). Borrows doc. Returns the count, or -1 with err
 * set when doc is not a scoreboard at all (no "events" array).
 */
int	espn_scoreboard_parse(const json_t *doc, struct espn_game *games,
	    size_t n, size_t *skipped, struct errbuf *err);

/*
 * Parses a summary document: the game header (header.competitions[0])
 * into *game (game_id and state at least; may be NULL), and the
 * win-probability points joined to plays by playId into pts[] (at most
 * n), sorted by seq. Points whose play is missing or lacks a wallclock
 * or sequenceNumber are skipped and counted in *skipped. away = 1 - home
 * - tie when ESPN omits it. Borrows doc. Returns the number of points, or
 * -1 with err set to the JSON path that failed.
 */
int	espn_summary_parse(const json_t *doc, struct espn_game *game,
	    struct espn_wp *pts, size_t n, size_t *skipped,
	    struct errbuf *err);

/*
 * Copies into out (cap bytes, at least len + 1) a smaller summary that
 * espn_summary_parse reads exactly as it would the whole one: the
 * members it needs (header, winprobability, plays with only the play
 * fields it reads), everything else dropped unparsed. A member whose key
 * has escapes is kept whole, so the result never loses a field. The
 * dropped parts are only skimmed: bytes that are not valid JSON there go
 * unnoticed. Pure, no allocation. Returns the length written (out is
 * NUL-terminated), or -1 when in is not a JSON object (then parse the
 * original, which yields the precise error).
 */
long	espn_summary_slim(const char *in, size_t len, char *out, size_t cap);

/*
 * espn_summary_parse straight from the body's bytes, several times
 * faster: the points and plays are read in place, not built as a
 * document. Returns what espn_summary_parse would on the parsed body,
 * or ESPN_TEXT_FALLBACK when the body holds anything out of the ordinary
 * (escapes, duplicate keys, numbers as strings, invalid JSON in the parts
 * read, ...): then parse it and call espn_summary_parse. Parts not read
 * are only skimmed. Pure, no allocation.
 */
#define ESPN_TEXT_FALLBACK	(-2)
int	espn_summary_parse_text(const char *body, size_t len,
	    struct espn_game *game, struct espn_wp *pts, size_t n,
	    size_t *skipped, struct errbuf *err);

#endif
