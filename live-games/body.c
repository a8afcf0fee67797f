/*
 * body: builds the JSON documents live-games serves. Pure: no I/O, no
 * clock; the caller passes the time. Never trusts ESPN strings to be
 * safe JSON: jansson escapes them.
 */
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "body.h"
#include "timeutil.h"

size_t
body_select_live(struct espn_game *games, size_t n)
{
	size_t i, j, k = 0;
	int dup;

	for (i = 0; i < n; i++) {
		if (strcmp(games[i].state, "in") != 0 ||
		    games[i].game_id[0] == '\0')
			continue;
		dup = 0;
		for (j = 0; j < k && !dup; j++)
			dup = strcmp(games[j].game_id, games[i].game_id) == 0;
		if (dup)
			continue;
		if (k != i)
			games[k] = games[i];
		k++;
	}
	return k;
}

static const struct live_dbrow *
find_row(const struct body_games_in *in, const char *game_id)
{
	size_t i;

	for (i = 0; i < in->nrows; i++)
		if (strcmp(in->rows[i].game_id, game_id) == 0)
			return &in->rows[i];
	return NULL;
}

/*
 * A JSON string of s. Fixed-size fields may have been cut inside a UTF-8
 * sequence: then up to 3 trailing bytes are dropped; anything still not
 * UTF-8 becomes null rather than failing the whole document.
 */
static json_t *
utf8_string(const char *s)
{
	size_t n = strlen(s), cut;
	json_t *v;

	for (cut = 0; cut <= 3 && cut <= n; cut++)
		if ((v = json_stringn(s, n - cut)) != NULL)
			return v;
	return json_null();
}

/* Sets key to a string, or to null when s is empty. */
static int
set_str(json_t *o, const char *key, const char *s)
{
	return json_object_set_new(o, key, s[0] != '\0' ? utf8_string(s) :
	    json_null());
}

static int
set_time(json_t *o, const char *key, int64_t ms)
{
	char buf[TIME_ISO_LEN];

	if (ms == 0)
		return json_object_set_new(o, key, json_null());
	time_format_iso8601(ms, 0, buf);
	return json_object_set_new(o, key, json_string(buf));
}

static json_t *
game_json(const struct espn_game *g, const struct live_dbrow *row)
{
	json_t *o = json_object();
	int rc = 0;

	if (o == NULL)
		return NULL;
	rc |= json_object_set_new(o, "game_id", utf8_string(g->game_id));
	rc |= set_str(o, "home_team", row && row->home_team[0] ?
	    row->home_team : g->home.name);
	rc |= set_str(o, "away_team", row && row->away_team[0] ?
	    row->away_team : g->away.name);
	rc |= set_str(o, "home_abbr", row && row->home_abbr[0] ?
	    row->home_abbr : g->home.abbr);
	rc |= set_str(o, "away_abbr", row && row->away_abbr[0] ?
	    row->away_abbr : g->away.abbr);
	rc |= json_object_set_new(o, "home_score",
	    json_integer(g->home.score));
	rc |= json_object_set_new(o, "away_score",
	    json_integer(g->away.score));
	rc |= set_str(o, "status", g->status);
	rc |= json_object_set_new(o, "period", json_integer(g->period));
	rc |= set_str(o, "clock", g->clock);
	rc |= set_time(o, "start_time", row && row->start_time != 0 ?
	    row->start_time : g->start_time);
	if (rc != 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* Encodes doc compactly and takes ownership of it. */
static char *
encode(json_t *doc, size_t *len)
{
	char *s;

	if (doc == NULL)
		return NULL;
	s = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(doc);
	if (s != NULL && len != NULL)
		*len = strlen(s);
	return s;
}

char *
body_games(const struct body_games_in *in, size_t *len)
{
	json_t *doc, *arr, *src, *g;
	size_t i;
	int rc = 0;

	if ((doc = json_object()) == NULL)
		return NULL;
	if ((arr = json_array()) == NULL || json_object_set_new(doc, "games",
	    arr) != 0)
		goto fail;
	for (i = 0; i < in->ngames; i++) {
		g = game_json(&in->games[i], find_row(in, in->games[i].game_id));
		if (g == NULL || json_array_append_new(arr, g) != 0)
			goto fail;
	}
	rc |= set_time(doc, "timestamp", in->timestamp);
	rc |= json_object_set_new(doc, "stale", json_boolean(in->stale));
	if ((src = json_object()) == NULL ||
	    json_object_set_new(doc, "sources", src) != 0)
		goto fail;
	rc |= json_object_set_new(src, "espn", json_string(in->espn ?
	    in->espn : "ok"));
	rc |= json_object_set_new(src, "db", json_string(in->db ?
	    in->db : "ok"));
	if (rc != 0)
		goto fail;
	return encode(doc, len);
fail:
	json_decref(doc);
	return NULL;
}

char *
body_error(int status, const char *code, const char *message, int64_t ts,
    size_t *len)
{
	json_t *doc;

	doc = json_pack("{s:s, s:s, s:i}", "error", code, "message", message,
	    "status", status);
	if (doc != NULL && ts != 0 && set_time(doc, "timestamp", ts) != 0) {
		json_decref(doc);
		return NULL;
	}
	return encode(doc, len);
}
