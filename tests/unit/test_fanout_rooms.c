/*
 * test_fanout_rooms: ws-fanout's held state. Ticks built from the real
 * recorded ESPN game (tests/data/espn/summary-nba-401772994.json, its
 * winprobability[] joined to plays[] by playId) go in; the snapshot must
 * equal the held state, merged updates must keep every point, resume
 * must return exactly the missed updates, and a new epoch resets.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "t.h"
#include "ws-fanout/rooms.h"

#define GAME	"401772994"

static json_t *empty;	/* [] for ticks without points */
#define SEC	1000000LL

struct rec {
	int		updates, resets, notices;
	json_t		*last_update;
	json_t		*last_notice;
	struct msg	*msgs[4096];
	int		nmsgs;
};

static json_t *
parse_msg(const struct msg *m)
{
	return json_loadb((const char *)m->data + m->pre, m->len, 0, NULL);
}

static void
on_update(void *arg, struct room *r, struct msg *m)
{
	struct rec *rc = arg;

	(void)r;
	rc->updates++;
	json_decref(rc->last_update);
	rc->last_update = parse_msg(m);
	if (rc->nmsgs < 4096)
		rc->msgs[rc->nmsgs++] = msg_ref(m);
}

static void
on_reset(void *arg, struct room *r)
{
	struct rec *rc = arg;

	(void)r;
	rc->resets++;
}

static void
on_notice(void *arg, struct room *r, struct msg *m)
{
	struct rec *rc = arg;

	(void)r;
	rc->notices++;
	json_decref(rc->last_notice);
	rc->last_notice = parse_msg(m);
}

static void
rec_fini(struct rec *rc)
{
	int i;

	for (i = 0; i < rc->nmsgs; i++)
		msg_unref(rc->msgs[i]);
	json_decref(rc->last_update);
	json_decref(rc->last_notice);
	memset(rc, 0, sizeof(*rc));
}

static struct rooms *
mk(struct rec *rc, unsigned history)
{
	struct rooms_cfg cfg;

	memset(&cfg, 0, sizeof(cfg));
	cfg.pre = 16;
	cfg.rate = 10;
	cfg.history = history;
	cfg.history_bytes = 0;
	cfg.max_series = 64 << 20;
	cfg.max_rooms = 8;
	cfg.sink.on_update = on_update;
	cfg.sink.on_reset = on_reset;
	cfg.sink.on_notice = on_notice;
	cfg.sink.arg = rc;
	return rooms_new(&cfg);
}

static enum rooms_skip
feed(struct rooms *rs, const char *line, int64_t now)
{
	json_t *j = json_loads(line, 0, NULL);
	enum rooms_skip why;

	if (j == NULL) {
		fprintf(stderr, "bad test line: %s\n", line);
		return ROOMS_SKIP_INVALID;
	}
	why = rooms_ingest(rs, j, now, 1);
	json_decref(j);
	return why;
}

/* The real game's win-probability points, as the aligner would send. */
static json_t *
espn_points(void)
{
	json_t *doc, *wp, *plays, *out, *w, *p, *pt;
	const char *pid;
	size_t i, k;

	doc = json_load_file("tests/data/espn/summary-nba-401772994.json", 0,
	    NULL);
	if (doc == NULL)
		return NULL;
	wp = json_object_get(doc, "winprobability");
	plays = json_object_get(doc, "plays");
	out = json_array();
	json_array_foreach(wp, i, w) {
		pid = json_string_value(json_object_get(w, "playId"));
		pt = NULL;
		json_array_foreach(plays, k, p) {
			const char *id = json_string_value(json_object_get(p,
			    "id"));

			if (id != NULL && pid != NULL && strcmp(id, pid) == 0) {
				pt = json_pack("{s:I,s:O,s:s,s:O,s:O}", "ts",
				    (json_int_t)(1748736000000LL + (long long)i *
				    5000), "home", json_object_get(w,
				    "homeWinPercentage"), "play_id", pid,
				    "period", json_object_get(json_object_get(p,
				    "period"), "number"), "clock",
				    json_object_get(json_object_get(p, "clock"),
				    "displayValue"));
				break;
			}
		}
		if (pt != NULL)
			json_array_append_new(out, pt);
	}
	json_decref(doc);
	return out;
}

static char *
tick(int64_t epoch, int64_t seq, json_t *espn, json_t *kalshi)
{
	json_t *t;
	char *s;

	t = json_pack("{s:s,s:s,s:s,s:I,s:I,s:I,s:O,s:O,s:{s:I,s:f}}",
	    "type", "tick", "src", "aligner", "game_id", GAME,
	    "epoch", (json_int_t)epoch, "seq", (json_int_t)seq,
	    "ts", (json_int_t)seq, "espn", espn, "kalshi", kalshi,
	    "aligned", "ts", (json_int_t)seq, "espn", 0.5);
	s = json_dumps(t, JSON_COMPACT);
	json_decref(t);
	return s;
}

static json_t *
kalshi_point(int64_t ts, double home)
{
	return json_pack("{s:I,s:f,s:f,s:f}", "ts", (json_int_t)ts, "home",
	    home, "bid", home - 0.01, "ask", home + 0.01);
}

/*
 * Equal up to the last bits of a double: ws-fanout writes numbers with
 * 15 significant digits, which is exact for prices and probabilities
 * written as decimals but not for every computed double.
 */
static int
near_equal(json_t *a, json_t *b)
{
	const char *key;
	json_t *v;
	size_t i;

	if (json_is_number(a) && json_is_number(b))
		return fabs(json_number_value(a) - json_number_value(b)) <=
		    1e-12;
	if (json_is_array(a) && json_is_array(b)) {
		if (json_array_size(a) != json_array_size(b))
			return 0;
		json_array_foreach(a, i, v)
			if (!near_equal(v, json_array_get(b, i)))
				return 0;
		return 1;
	}
	if (json_is_object(a) && json_is_object(b)) {
		if (json_object_size(a) != json_object_size(b))
			return 0;
		json_object_foreach(a, key, v)
			if (!near_equal(v, json_object_get(b, key)))
				return 0;
		return 1;
	}
	return json_equal(a, b);
}

static int
same_points(json_t *a, json_t *b)
{
	return json_is_array(a) && json_is_array(b) && near_equal(a, b);
}

static void
test_snapshot_is_held_state(void)
{
	struct rec rc = { 0 };
	struct rooms *rs = mk(&rc, 600);
	json_t *pts = espn_points(), *all_k = json_array(), *one, *snap, *e;
	json_t *kal, *game_line;
	struct room *r;
	struct msg *m;
	int64_t now = 10 * SEC;
	size_t i;
	char *line;

	T_CHECK(pts != NULL && json_array_size(pts) > 400);
	game_line = json_pack("{s:s,s:s,s:s,s:s,s:{s:s,s:i},s:{s:s,s:i}}",
	    "type", "game", "src", "espn", "game_id", GAME, "state", "in",
	    "home", "abbr", "IND", "score", 88, "away", "abbr", "NY", "score",
	    80);
	line = json_dumps(game_line, JSON_COMPACT);
	T_EQ_INT(feed(rs, line, now), ROOMS_OK);
	free(line);
	/* One tick per point, every 50 ms: twice the rate, so merges. */
	json_array_foreach(pts, i, e) {
		one = json_array();
		json_array_append(one, e);
		kal = json_array();
		json_array_append_new(kal, kalshi_point(1748736000000LL +
		    (int64_t)i * 5000 + 1, 0.5 + (double)(i % 40) / 100));
		json_array_extend(all_k, kal);
		line = tick(1000, (int64_t)i + 1, one, kal);
		T_EQ_INT(feed(rs, line, now), ROOMS_OK);
		free(line);
		json_decref(one);
		json_decref(kal);
		rooms_flush(rs, now);
		now += SEC / 20;
	}
	rooms_flush(rs, now + SEC);
	r = rooms_find(rs, GAME);
	T_CHECK(r != NULL);
	if (r == NULL)
		goto out;
	T_EQ_INT(room_seq(r), json_array_size(pts));
	/* Half the ticks came within the interval of the previous one. */
	T_CHECK(rc.updates < (int)json_array_size(pts));
	T_CHECK(rc.updates >= (int)json_array_size(pts) / 2 - 1);
	m = room_snapshot(r, 0);
	T_CHECK(m != NULL);
	snap = m ? parse_msg(m) : NULL;
	T_CHECK(snap != NULL);
	if (snap != NULL) {
		T_EQ_STR(json_string_value(json_object_get(snap, "type")),
		    "snapshot");
		T_EQ_INT(json_integer_value(json_object_get(snap, "seq")),
		    json_array_size(pts));
		T_EQ_INT(json_integer_value(json_object_get(snap, "epoch")), 1000);
		T_CHECK(same_points(json_object_get(snap, "espn"), pts));
		T_CHECK(same_points(json_object_get(snap, "kalshi"), all_k));
		T_CHECK(json_equal(json_object_get(snap, "game"), game_line));
		T_CHECK(json_object_get(snap, "resync") == NULL);
		json_decref(snap);
	}
	/* The snapshot is encoded once per state. */
	T_CHECK(room_snapshot(r, 0) == m);
	m = room_snapshot(r, 1);
	snap = m ? parse_msg(m) : NULL;
	T_CHECK(snap != NULL && json_is_true(json_object_get(snap, "resync")));
	json_decref(snap);

	/* Every point is in exactly one update, in order. */
	{
		json_t *got_e = json_array(), *got_k = json_array(), *u;
		int k;

		for (k = 0; k < rc.nmsgs; k++) {
			u = parse_msg(rc.msgs[k]);
			json_array_extend(got_e, json_object_get(u, "espn"));
			json_array_extend(got_k, json_object_get(u, "kalshi"));
			T_EQ_INT(json_integer_value(json_object_get(u, "seq")),
			    rc.msgs[k]->seq_to);
			json_decref(u);
		}
		T_CHECK(same_points(got_e, pts));
		T_CHECK(same_points(got_k, all_k));
		json_decref(got_e);
		json_decref(got_k);
	}
out:
	json_decref(pts);
	json_decref(all_k);
	json_decref(game_line);
	rooms_free(rs);
	rec_fini(&rc);
}

static void
test_merge_and_leading_edge(void)
{
	struct rec rc = { 0 };
	struct rooms *rs = mk(&rc, 16);
	json_t *k, *u;
	int64_t now = 5 * SEC, due;
	char *line;
	int i;

	/* The first after a quiet spell goes at once. */
	k = json_array();
	json_array_append_new(k, kalshi_point(1, 0.5));
	line = tick(7, 1, empty, k);
	feed(rs, line, now);
	free(line);
	json_decref(k);
	T_EQ_INT(rooms_flush(rs, now), -1);
	T_EQ_INT(rc.updates, 1);
	/*
	 * Four more within 100 ms: the first goes at once too (a burst of
	 * two), the other three are held, then one merged update.
	 */
	for (i = 2; i <= 5; i++) {
		k = json_array();
		json_array_append_new(k, kalshi_point(i, 0.5 + i / 100.0));
		line = tick(7, i, empty, k);
		feed(rs, line, now + i * 1000);
		free(line);
		json_decref(k);
		due = rooms_flush(rs, now + i * 1000);
		if (i == 2)
			T_EQ_INT(due, -1);
		else
			T_CHECK(due > 0);
	}
	T_EQ_INT(rc.updates, 2);
	T_CHECK(rooms_flush(rs, now + 50000) > 0);
	T_EQ_INT(rooms_flush(rs, now + 100000), -1);
	T_EQ_INT(rc.updates, 3);
	u = rc.last_update;
	T_EQ_INT(json_integer_value(json_object_get(u, "seq")), 5);
	T_EQ_INT(json_array_size(json_object_get(u, "kalshi")), 3);
	T_EQ_INT(json_integer_value(json_object_get(json_array_get(
	    json_object_get(u, "kalshi"), 0), "ts")), 3);
	T_CHECK(json_object_get(u, "game") == NULL);
	/* A tick a full interval later goes at once again. */
	k = json_array();
	json_array_append_new(k, kalshi_point(6, 0.6));
	line = tick(7, 6, empty, k);
	feed(rs, line, now + 300000);
	free(line);
	json_decref(k);
	T_EQ_INT(rooms_flush(rs, now + 300000), -1);
	T_EQ_INT(rc.updates, 4);
	rooms_free(rs);
	rec_fini(&rc);
}

static void
test_since(void)
{
	struct rec rc = { 0 };
	struct rooms *rs = mk(&rc, 4);
	struct msg *out[8];
	struct room *r;
	json_t *k;
	int64_t now = SEC;
	char *line;
	int i, n;

	for (i = 1; i <= 6; i++) {
		k = json_array();
		json_array_append_new(k, kalshi_point(i, 0.5));
		line = tick(9, i, empty, k);
		feed(rs, line, now);
		free(line);
		json_decref(k);
		rooms_flush(rs, now);
		now += SEC;
	}
	r = rooms_find(rs, GAME);
	T_EQ_INT(rc.updates, 6);
	/* History holds updates 3..6: since 4 returns 5 and 6. */
	n = room_since(r, 9, 4, out, 8);
	T_EQ_INT(n, 2);
	if (n == 2) {
		T_EQ_INT(out[0]->seq_to, 5);
		T_EQ_INT(out[1]->seq_to, 6);
		T_CHECK(out[0] == rc.msgs[4]);	/* the same bytes */
	}
	T_EQ_INT(room_since(r, 9, 2, out, 8), 4);
	T_EQ_INT(room_since(r, 9, 6, out, 8), 0);
	T_EQ_INT(room_since(r, 9, 1, out, 8), -1);	/* too old */
	T_EQ_INT(room_since(r, 8, 4, out, 8), -1);	/* other epoch */
	T_EQ_INT(room_since(r, 9, 7, out, 8), -1);	/* ahead */
	T_EQ_INT(room_since(r, 9, 3, out, 2), -1);	/* more than n */
	rooms_free(rs);
	rec_fini(&rc);
}

static void
test_epochs_and_dupes(void)
{
	struct rec rc = { 0 };
	struct rooms *rs = mk(&rc, 16);
	struct room *r;
	json_t *e, *k, *snap;
	size_t ne, nk;
	char *line;

	e = json_pack("[{s:I,s:s},{s:I,s:s}]", "ts", (json_int_t)1, "play_id",
	    "a", "ts", (json_int_t)2, "play_id", "b");
	k = json_pack("[{s:I},{s:I}]", "ts", (json_int_t)1, "ts",
	    (json_int_t)2);
	line = tick(100, 1, e, k);
	T_EQ_INT(feed(rs, line, SEC), ROOMS_OK);
	rooms_flush(rs, SEC);
	/* The same tick again: already held. */
	T_EQ_INT(feed(rs, line, 2 * SEC), ROOMS_SKIP_STALE);
	free(line);
	json_decref(e);
	json_decref(k);
	/* A gap (reconnect): the whole series again plus one new point. */
	e = json_pack("[{s:I,s:s},{s:I,s:s},{s:I,s:s}]", "ts", (json_int_t)1,
	    "play_id", "a", "ts", (json_int_t)2, "play_id", "b", "ts",
	    (json_int_t)3, "play_id", "c");
	k = json_pack("[{s:I},{s:I},{s:I}]", "ts", (json_int_t)1, "ts",
	    (json_int_t)2, "ts", (json_int_t)3);
	line = tick(100, 5, e, k);
	T_EQ_INT(feed(rs, line, 3 * SEC), ROOMS_OK);
	free(line);
	rooms_flush(rs, 3 * SEC);
	r = rooms_find(rs, GAME);
	room_points(r, &ne, &nk);
	T_EQ_INT(ne, 3);
	T_EQ_INT(nk, 3);
	T_EQ_INT(room_seq(r), 5);
	/*
	 * A snapshot tick that follows on (one tick lost, then the whole
	 * series again, as after Redis restarted empty): still deduped.
	 */
	{
		json_t *t = json_loads(line = tick(100, 6, e, k), 0, NULL);

		free(line);
		json_object_set_new(t, "snapshot", json_true());
		line = json_dumps(t, JSON_COMPACT);
		json_decref(t);
		T_EQ_INT(feed(rs, line, 4 * SEC), ROOMS_OK);
		free(line);
		rooms_flush(rs, 4 * SEC);
		room_points(r, &ne, &nk);
		T_EQ_INT(ne, 3);
		T_EQ_INT(nk, 3);
		T_EQ_INT(room_seq(r), 6);
	}
	/* An older epoch is stale; a newer one resets. */
	line = tick(99, 7, e, k);
	T_EQ_INT(feed(rs, line, 4 * SEC), ROOMS_SKIP_STALE);
	free(line);
	T_EQ_INT(rc.resets, 1);	/* the first epoch counts as one */
	line = tick(200, 1, empty, k);
	T_EQ_INT(feed(rs, line, 5 * SEC), ROOMS_OK);
	free(line);
	T_EQ_INT(rc.resets, 2);
	rooms_flush(rs, 5 * SEC);
	snap = parse_msg(room_snapshot(r, 0));
	T_EQ_INT(json_integer_value(json_object_get(snap, "epoch")), 200);
	T_EQ_INT(json_integer_value(json_object_get(snap, "seq")), 1);
	T_EQ_INT(json_array_size(json_object_get(snap, "espn")), 0);
	T_EQ_INT(json_array_size(json_object_get(snap, "kalshi")), 3);
	json_decref(snap);
	json_decref(e);
	json_decref(k);
	rooms_free(rs);
	rec_fini(&rc);
}

static void
test_sources_and_bad_lines(void)
{
	struct rec rc = { 0 };
	struct rooms *rs = mk(&rc, 16);
	struct rooms_stats st;
	json_t *snap;
	char *line;

	line = tick(1, 1, empty, empty);
	feed(rs, line, SEC);
	free(line);
	rooms_flush(rs, SEC);
	T_EQ_INT(feed(rs, "{\"type\":\"source\",\"src\":\"kalshi\","
	    "\"state\":\"ok\"}", SEC), ROOMS_OK);
	T_EQ_INT(rc.notices, 0);	/* healthy from the start: no news */
	T_EQ_INT(feed(rs, "{\"type\":\"source\",\"src\":\"kalshi\","
	    "\"state\":\"down\",\"ts\":1748736371880,\"detail\":"
	    "\"reconnecting in 8 s\"}", SEC), ROOMS_OK);
	T_EQ_INT(rc.notices, 1);
	T_EQ_STR(json_string_value(json_object_get(rc.last_notice, "type")),
	    "error");
	T_EQ_STR(json_string_value(json_object_get(rc.last_notice, "code")),
	    "source_down");
	T_EQ_STR(json_string_value(json_object_get(rc.last_notice, "source")),
	    "kalshi");
	T_EQ_STR(json_string_value(json_object_get(rc.last_notice,
	    "message")), "kalshi: reconnecting in 8 s");
	T_EQ_INT(json_integer_value(json_object_get(rc.last_notice,
	    "timestamp")), 1748736371880LL);
	snap = parse_msg(room_snapshot(rooms_find(rs, GAME), 0));
	T_EQ_STR(json_string_value(json_object_get(json_object_get(snap,
	    "sources"), "kalshi")), "down");
	json_decref(snap);
	/* The same state again is no news; recovery is. */
	feed(rs, "{\"type\":\"source\",\"src\":\"kalshi\",\"state\":\"down\"}",
	    SEC);
	T_EQ_INT(rc.notices, 1);
	feed(rs, "{\"type\":\"source\",\"src\":\"kalshi\",\"state\":\"ok\"}",
	    SEC);
	T_EQ_INT(rc.notices, 2);
	T_EQ_STR(json_string_value(json_object_get(rc.last_notice, "code")),
	    "source_ok");
	T_EQ_INT(feed(rs, "{\"type\":\"tick\",\"game_id\":\"12a\",\"epoch\":1,"
	    "\"seq\":1}", SEC), ROOMS_SKIP_INVALID);
	T_EQ_INT(feed(rs, "{\"type\":\"tick\",\"game_id\":\"12\",\"seq\":1}",
	    SEC), ROOMS_SKIP_INVALID);
	T_EQ_INT(feed(rs, "{\"type\":\"tick\",\"game_id\":\"12\",\"epoch\":1,"
	    "\"seq\":1,\"espn\":{}}", SEC), ROOMS_SKIP_INVALID);
	T_EQ_INT(feed(rs, "{\"type\":\"wp\",\"game_id\":\"12\"}", SEC),
	    ROOMS_SKIP_TYPE);
	T_EQ_INT(feed(rs, "{\"type\":\"source\",\"src\":\"kalshi\","
	    "\"state\":\"sideways\"}", SEC), ROOMS_SKIP_INVALID);
	T_CHECK(rooms_find(rs, "12") == NULL);
	rooms_stats(rs, &st);
	T_EQ_INT(st.skipped, 5);
	rooms_free(rs);
	rec_fini(&rc);
}

static void
test_unknown_game_msg(void)
{
	struct msg *m = rooms_unknown_game_msg(16, "4\"01", 1748736371880LL);
	json_t *j;

	T_CHECK(m != NULL);
	if (m == NULL)
		return;
	j = parse_msg(m);
	T_EQ_STR(json_string_value(json_object_get(j, "type")), "error");
	T_EQ_STR(json_string_value(json_object_get(j, "code")), "unknown_game");
	T_EQ_STR(json_string_value(json_object_get(j, "message")),
	    "unknown game 4\"01");
	json_decref(j);
	msg_unref(m);
}

int
main(void)
{
	empty = json_array();
	test_snapshot_is_held_state();
	test_merge_and_leading_edge();
	test_since();
	test_epochs_and_dupes();
	test_sources_and_bad_lines();
	test_unknown_game_msg();
	json_decref(empty);
	return t_done("test_fanout_rooms");
}
