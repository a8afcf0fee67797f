/*
 * body: the JSON bodies live-games serves, built from ESPN games and
 * Postgres rows. Pure: structs in, bytes out; no I/O, no clock, no
 * globals. Built once per cache refresh, never once per request.
 */
#ifndef LIVE_BODY_H
#define LIVE_BODY_H

#include <stddef.h>
#include <stdint.h>
#include "espn.h"

/* One row of espn.scoreboard_games, as the refresh query returns it. */
struct live_dbrow {
	char	game_id[24];
	char	home_team[64];
	char	away_team[64];
	char	home_abbr[8];
	char	away_abbr[8];
	int64_t	start_time;	/* ms since epoch; 0 when NULL in the table */
};

struct body_games_in {
	const struct espn_game	*games;		/* live games (body_select_live) */
	size_t			 ngames;
	const struct live_dbrow	*rows;		/* metadata; may be NULL */
	size_t			 nrows;
	int64_t			 timestamp;	/* when ESPN gave this list, ms */
	int			 stale;		/* ESPN failed since */
	const char		*espn;		/* "ok", "degraded", "down" */
	const char		*db;
};

/*
 * Keeps the games whose state is "in", each game_id once (the first
 * seen wins), in place; returns how many are left in games[0..].
 */
size_t	body_select_live(struct espn_game *games, size_t n);

/*
 * The /api/live/games document. A game's names, abbreviations and start
 * time come from its row when there is one, else from ESPN. Returns a
 * new NUL-terminated buffer (free()) and its length in *len, or NULL when
 * out of memory.
 */
char	*body_games(const struct body_games_in *in, size_t *len);

/*
 * An error document {"error":code,"message":message,"status":status}
 * with "timestamp" when ts is not 0. Returns a new buffer as above.
 */
char	*body_error(int status, const char *code, const char *message,
	    int64_t ts, size_t *len);

#endif
