/*
 * test_live_body: the /api/live/games document built from the real
 * recorded scoreboards (tests/data/espn) and Postgres rows.
 */
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "t.h"
#include "espn.h"
#include "live-games/body.h"

static size_t
load(const char *path, struct espn_game *games, size_t n)
{
	struct errbuf err;
	json_error_t jerr;
	json_t *doc;
	int got;

	doc = json_load_file(path, 0, &jerr);
	T_CHECK(doc != NULL);
	if (doc == NULL)
		return 0;
	got = espn_scoreboard_parse(doc, games, n, NULL, &err);
	json_decref(doc);
	T_CHECK(got > 0);
	return got > 0 ? (size_t)got : 0;
}

static json_t *
build(const struct body_games_in *in)
{
	json_error_t jerr;
	json_t *doc;
	size_t len = 0;
	char *s;

	s = body_games(in, &len);
	T_CHECK(s != NULL);
	if (s == NULL)
		return NULL;
	T_EQ_INT(strlen(s), len);
	doc = json_loads(s, 0, &jerr);
	T_CHECK(doc != NULL);
	free(s);
	return doc;
}

static const char *
str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* The December 2024 slate is all final: no game is live. */
static void
test_no_live_games(void)
{
	struct espn_game games[16];
	struct body_games_in in;
	json_t *doc, *arr;
	size_t n;

	n = load("tests/data/espn/scoreboard-nba-20241215.json", games, 16);
	T_EQ_INT(n, 7);
	T_EQ_INT(body_select_live(games, n), 0);
	memset(&in, 0, sizeof(in));
	in.timestamp = 1748736123000LL;
	in.espn = "ok";
	in.db = "ok";
	doc = build(&in);
	if (doc == NULL)
		return;
	arr = json_object_get(doc, "games");
	T_CHECK(json_is_array(arr));
	T_EQ_INT(json_array_size(arr), 0);
	T_EQ_STR(str(doc, "timestamp"), "2025-06-01T00:02:03Z");
	T_CHECK(json_is_false(json_object_get(doc, "stale")));
	T_EQ_STR(str(json_object_get(doc, "sources"), "espn"), "ok");
	json_decref(doc);
}

/* A live game takes names from its row, scores and clock from ESPN. */
static void
test_live_game_with_row(void)
{
	struct espn_game games[4];
	struct live_dbrow row;
	struct body_games_in in;
	json_t *doc, *g;
	size_t n;

	n = load("tests/data/espn/scoreboard-nba-20250529.json", games, 4);
	T_EQ_INT(n, 1);
	T_EQ_STR(games[0].game_id, "401772993");
	/* As it was during the game: */
	strcpy(games[0].state, "in");
	strcpy(games[0].status, "STATUS_IN_PROGRESS");
	strcpy(games[0].clock, "7:12");
	games[0].period = 3;
	T_EQ_INT(body_select_live(games, n), 1);

	memset(&row, 0, sizeof(row));
	strcpy(row.game_id, "401772993");
	strcpy(row.home_team, "New York Knicks (db)");
	strcpy(row.away_team, "Indiana Pacers (db)");
	strcpy(row.home_abbr, "NYK");
	strcpy(row.away_abbr, "IND");
	row.start_time = 1748563200000LL;	/* 2025-05-30T00:00:00Z */

	memset(&in, 0, sizeof(in));
	in.games = games;
	in.ngames = 1;
	in.rows = &row;
	in.nrows = 1;
	in.timestamp = 1748565000000LL;
	in.espn = "ok";
	in.db = "ok";
	doc = build(&in);
	if (doc == NULL)
		return;
	T_EQ_INT(json_array_size(json_object_get(doc, "games")), 1);
	g = json_array_get(json_object_get(doc, "games"), 0);
	T_EQ_STR(str(g, "game_id"), "401772993");
	T_EQ_STR(str(g, "home_team"), "New York Knicks (db)");
	T_EQ_STR(str(g, "away_team"), "Indiana Pacers (db)");
	T_EQ_STR(str(g, "home_abbr"), "NYK");
	T_EQ_INT(json_integer_value(json_object_get(g, "home_score")), 111);
	T_EQ_INT(json_integer_value(json_object_get(g, "away_score")), 94);
	T_EQ_STR(str(g, "status"), "STATUS_IN_PROGRESS");
	T_EQ_INT(json_integer_value(json_object_get(g, "period")), 3);
	T_EQ_STR(str(g, "clock"), "7:12");
	T_EQ_STR(str(g, "start_time"), "2025-05-30T00:00:00Z");
	json_decref(doc);

	/* Postgres down: ESPN's own names, and the document says so. */
	in.rows = NULL;
	in.nrows = 0;
	in.db = "down";
	in.stale = 1;
	doc = build(&in);
	if (doc == NULL)
		return;
	g = json_array_get(json_object_get(doc, "games"), 0);
	T_EQ_STR(str(g, "home_team"), "New York Knicks");
	T_EQ_STR(str(g, "away_team"), "Indiana Pacers");
	T_EQ_STR(str(g, "home_abbr"), "NY");
	T_EQ_STR(str(g, "start_time"), "2025-05-30T00:00:00Z");
	T_EQ_STR(str(json_object_get(doc, "sources"), "db"), "down");
	T_CHECK(json_is_true(json_object_get(doc, "stale")));
	json_decref(doc);
}

/* Same game on both scoreboard days, pre/post games: listed once, live only. */
static void
test_select_dedupes(void)
{
	struct espn_game g[5];

	memset(g, 0, sizeof(g));
	strcpy(g[0].game_id, "1"); strcpy(g[0].state, "post");
	strcpy(g[1].game_id, "2"); strcpy(g[1].state, "in");
	strcpy(g[2].game_id, "3"); strcpy(g[2].state, "pre");
	strcpy(g[3].game_id, "2"); strcpy(g[3].state, "in");
	strcpy(g[4].game_id, "4"); strcpy(g[4].state, "in");
	T_EQ_INT(body_select_live(g, 5), 2);
	T_EQ_STR(g[0].game_id, "2");
	T_EQ_STR(g[1].game_id, "4");
}

/* Hostile or cut strings never break the document. */
static void
test_strings_are_escaped(void)
{
	struct espn_game g;
	struct live_dbrow row;
	struct body_games_in in;
	json_t *doc, *o;

	memset(&g, 0, sizeof(g));
	strcpy(g.game_id, "42");
	strcpy(g.state, "in");
	strcpy(g.home.name, "\"},{\"game_id\":\"x");
	strcpy(g.away.name, "Bob'); DROP TABLE espn.scoreboard_games;--");
	memset(&row, 0, sizeof(row));
	strcpy(row.game_id, "42");
	/* "Montréal" cut inside the two-byte é. */
	strcpy(row.home_team, "Montr\xc3");
	memset(&in, 0, sizeof(in));
	in.games = &g;
	in.ngames = 1;
	in.rows = &row;
	in.nrows = 1;
	doc = build(&in);
	if (doc == NULL)
		return;
	T_EQ_INT(json_array_size(json_object_get(doc, "games")), 1);
	o = json_array_get(json_object_get(doc, "games"), 0);
	T_EQ_STR(str(o, "home_team"), "Montr");
	T_EQ_STR(str(o, "away_team"),
	    "Bob'); DROP TABLE espn.scoreboard_games;--");
	/* No timestamp known: null, not a made-up time. */
	T_CHECK(json_is_null(json_object_get(doc, "timestamp")));
	T_CHECK(json_is_null(json_object_get(o, "start_time")));
	json_decref(doc);
}

static void
test_error_body(void)
{
	json_error_t jerr;
	json_t *doc;
	size_t len;
	char *s;

	s = body_error(503, "espn_unavailable", "no list", 1748736123000LL,
	    &len);
	T_CHECK(s != NULL);
	doc = s ? json_loads(s, 0, &jerr) : NULL;
	T_CHECK(doc != NULL);
	if (doc != NULL) {
		T_EQ_STR(str(doc, "error"), "espn_unavailable");
		T_EQ_INT(json_integer_value(json_object_get(doc, "status")), 503);
		T_EQ_STR(str(doc, "timestamp"), "2025-06-01T00:02:03Z");
		json_decref(doc);
	}
	free(s);
}

int
main(void)
{
	test_no_live_games();
	test_live_game_with_row();
	test_select_dedupes();
	test_strings_are_escaped();
	test_error_body();
	return t_done("test_live_body");
}
