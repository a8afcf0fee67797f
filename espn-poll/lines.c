/* lines: game, wp and source lines as DESIGN.md spells them. Pure. */
#include <stdlib.h>
#include <string.h>

#include "lines.h"
#include "ndjson.h"

static json_t *
side(const struct espn_side *s)
{
	return json_pack("{s:s, s:s, s:i}", "abbr", s->abbr, "name", s->name,
	    "score", s->score);
}

json_t *
lines_game(const struct espn_game *g, int64_t ts)
{
	return json_pack("{s:s, s:s, s:s, s:I, s:s, s:s, s:i, s:s, s:I, "
	    "s:o, s:o}", "type", "game", "src", "espn", "game_id", g->game_id,
	    "ts", (json_int_t)ts, "state", g->state, "status", g->status,
	    "period", g->period, "clock", g->clock,
	    "start_time", (json_int_t)g->start_time,
	    "home", side(&g->home), "away", side(&g->away));
}

json_t *
lines_wp(const char *game_id, const struct espn_wp *p, int64_t recv_ts)
{
	return json_pack("{s:s, s:s, s:s, s:I, s:I, s:s, s:I, s:f, s:f, s:f, "
	    "s:i, s:s, s:i, s:i}", "type", "wp", "src", "espn",
	    "game_id", game_id, "ts", (json_int_t)p->ts,
	    "recv_ts", (json_int_t)recv_ts, "play_id", p->play_id,
	    "seq", (json_int_t)p->seq, "home", p->home, "away", p->away,
	    "tie", p->tie, "period", p->period, "clock", p->clock,
	    "home_score", p->home_score, "away_score", p->away_score);
}

char *
lines_encode(json_t *obj, size_t *len)
{
	char *line;

	if (obj == NULL)
		return NULL;
	line = ndjson_encode(obj, len);
	json_decref(obj);
	return line;
}

int
lines_game_changed(const struct espn_game *a, const struct espn_game *b)
{
	return strcmp(a->state, b->state) != 0 ||
	    strcmp(a->status, b->status) != 0 || a->period != b->period ||
	    strcmp(a->clock, b->clock) != 0 ||
	    a->home.score != b->home.score || a->away.score != b->away.score;
}
