/*
 * fuzz_live_body: bytes as an ESPN scoreboard body through what a
 * live-games refresh does with it: parse, keep the live games, build the
 * response. The response must always be valid JSON with a games array.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "espn.h"
#include "live-games/body.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct espn_game games[64];
	struct live_dbrow rows[2];
	struct body_games_in in;
	struct errbuf err;
	json_t *doc, *out;
	size_t len = 0, n;
	char *s;
	int got;

	if ((doc = json_loadb((const char *)data, size, 0, NULL)) == NULL)
		return 0;
	got = espn_scoreboard_parse(doc, games, 64, NULL, &err);
	json_decref(doc);
	if (got <= 0)
		return 0;
	n = body_select_live(games, (size_t)got);
	memset(rows, 0, sizeof(rows));
	if (n > 0) {
		/* A row for the first live game, with names cut short. */
		memcpy(rows[0].game_id, games[0].game_id,
		    sizeof(rows[0].game_id));
		memcpy(rows[0].home_team, games[0].away.name,
		    sizeof(rows[0].home_team) - 1);
		rows[0].start_time = games[0].start_time;
	}
	memset(&in, 0, sizeof(in));
	in.games = games;
	in.ngames = n;
	in.rows = rows;
	in.nrows = n > 0;
	in.timestamp = games[0].start_time;
	if ((s = body_games(&in, &len)) == NULL)
		return 0;
	if ((out = json_loadb(s, len, 0, NULL)) == NULL ||
	    json_array_size(json_object_get(out, "games")) != n)
		abort();
	json_decref(out);
	free(s);
	return 0;
}
