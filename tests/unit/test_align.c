/*
 * test_align: the aligner engine on hand-made lines and on the recorded
 * game (tests/data/espn/summary-nba-401772994.json through espn.c).
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "aligner/align.h"
#include "aligner/fields.h"
#include "espn.h"
#include "t.h"

#define GAME_LINE "{\"type\":\"game\",\"src\":\"espn\",\"game_id\":\"401772994\"," \
	"\"ts\":1748736355000,\"state\":\"in\",\"start_time\":1748736000000," \
	"\"home\":{\"abbr\":\"IND\",\"score\":0},\"away\":{\"abbr\":\"NY\"," \
	"\"score\":0}}"
#define IND "KXNBAGAME-25MAY31NYKIND-IND"
#define NYK "KXNBAGAME-25MAY31NYKIND-NYK"

/* 1: lines go in as bytes (align_feed_line), 0: as json_t. */
static int use_raw;

/* Every emitted line, parsed. */
struct sink {
	json_t	*lines;
};

static void
collect(void *arg, const char *line, size_t len)
{
	struct sink *s = arg;
	json_error_t jerr;
	json_t *o;

	T_CHECK(len > 0 && line[len - 1] == '\n');
	o = json_loadb(line, len, 0, &jerr);
	T_CHECK(o != NULL);
	if (o == NULL)
		fprintf(stderr, "bad output: %.*s (%s)\n", (int)len, line,
		    jerr.text);
	else
		json_array_append_new(s->lines, o);
}

static struct align *
mk(struct sink *s, size_t max_points)
{
	struct align_cfg cfg;

	memset(&cfg, 0, sizeof(cfg));
	cfg.max_points = max_points;
	cfg.epoch = 1000;
	cfg.emit = collect;
	cfg.arg = s;
	s->lines = json_array();
	return align_new(&cfg);
}

static int
feed(struct align *a, const char *line)
{
	struct errbuf err;
	json_t *o;
	int r;

	if (use_raw)
		return align_feed_line(a, line, strlen(line), &err);
	o = json_loads(line, 0, NULL);
	T_CHECK(o != NULL);
	if (o == NULL)
		return -1;
	err.msg[0] = '\0';
	r = align_feed(a, o, line, strlen(line), &err);
	json_decref(o);
	return r;
}

static int
feedf(struct align *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int
feedf(struct align *a, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return feed(a, buf);
}

static int
wp(struct align *a, const char *play, long long ts, int seq, double home)
{
	return feedf(a, "{\"type\":\"wp\",\"src\":\"espn\",\"game_id\":\"401772994\","
	    "\"ts\":%lld,\"play_id\":\"%s\",\"seq\":%d,\"home\":%g,"
	    "\"period\":1,\"clock\":\"11:43\",\"home_score\":0,"
	    "\"away_score\":2}", ts, play, seq, home);
}

static int
quote(struct align *a, const char *ticker, long long ts, double bid,
    double ask, double last)
{
	char b[64] = "", k[64] = "", l[64] = "";

	if (bid >= 0)
		snprintf(b, sizeof(b), ",\"bid\":%g", bid);
	if (ask >= 0)
		snprintf(k, sizeof(k), ",\"ask\":%g", ask);
	if (last >= 0)
		snprintf(l, sizeof(l), ",\"last\":%g", last);
	return feedf(a, "{\"type\":\"quote\",\"src\":\"kalshi\",\"ticker\":\"%s\","
	    "\"ts\":%lld%s%s%s}", ticker, ts, b, k, l);
}

/* The n-th line from the end (0: last). */
static json_t *
last_line(struct sink *s, size_t back)
{
	size_t n = json_array_size(s->lines);

	return n > back ? json_array_get(s->lines, n - 1 - back) : NULL;
}

static const char *
type_of(json_t *o)
{
	return json_string_value(json_object_get(o, "type"));
}

static double
num(json_t *o, const char *path)
{
	char buf[128], *save = NULL, *k;

	snprintf(buf, sizeof(buf), "%s", path);
	for (k = strtok_r(buf, ".", &save); k && o; k = strtok_r(NULL, ".",
	    &save))
		o = isdigit((unsigned char)k[0]) ? json_array_get(o,
		    (size_t)atoi(k)) : json_object_get(o, k);
	return o && json_is_number(o) ? json_number_value(o) : -999;
}

static size_t
arr(json_t *o, const char *key)
{
	return json_array_size(json_object_get(o, key));
}

static void
test_event_ticker(void)
{
	char buf[ALIGN_TICKER_MAX];

	T_EQ_INT(align_event_ticker("IND", "NY", 1748736000000LL, buf), 0);
	T_EQ_STR(buf, "KXNBAGAME-25MAY31NYKIND");
	/* 2024-12-16T03:30Z is still Dec 15 in New York (EST). */
	T_EQ_INT(align_event_ticker("GS", "DAL", 1734319800000LL, buf), 0);
	T_EQ_STR(buf, "KXNBAGAME-24DEC15DALGSW");
	T_EQ_INT(align_event_ticker("UTAH", "WSH", 1734319800000LL, buf), 0);
	T_EQ_STR(buf, "KXNBAGAME-24DEC15WASUTA");
	T_EQ_INT(align_event_ticker("XXX", "NY", 0, buf), -1);
}

static void
test_wp_ticks(void)
{
	struct sink s;
	struct align *a = mk(&s, 0);
	struct align_stats st;
	json_t *t;

	T_EQ_INT(feed(a, GAME_LINE), ALIGN_OK);
	T_EQ_STR(type_of(last_line(&s, 0)), "game");
	T_EQ_INT(wp(a, "p1", 1000, 1, 0.57), ALIGN_OK);
	T_EQ_INT(wp(a, "p2", 2000, 2, 0.54), ALIGN_OK);
	T_EQ_INT(wp(a, "p1", 1000, 1, 0.57), ALIGN_DUP);
	T_EQ_INT(align_dirty(a), 1);
	T_EQ_INT(align_flush(a), 1);
	t = last_line(&s, 0);
	T_EQ_STR(type_of(t), "tick");
	T_EQ_INT(num(t, "seq"), 1);
	T_EQ_INT(num(t, "epoch"), 1000);
	T_EQ_INT(num(t, "ts"), 2000);
	T_EQ_INT(arr(t, "espn"), 2);
	T_EQ_INT(arr(t, "kalshi"), 0);
	T_NEAR(num(t, "espn.1.home"), 0.54, 1e-9);
	T_NEAR(num(t, "aligned.espn"), 0.54, 1e-9);
	T_CHECK(json_is_null(json_object_get(json_object_get(t, "aligned"),
	    "kalshi")));
	T_CHECK(json_is_null(json_object_get(json_object_get(t, "aligned"),
	    "diff")));
	/* Nothing new: no tick. A restart resending everything: none either. */
	T_EQ_INT(align_flush(a), 0);
	T_EQ_INT(wp(a, "p1", 1000, 1, 0.57), ALIGN_DUP);
	T_EQ_INT(wp(a, "p2", 2000, 2, 0.54), ALIGN_DUP);
	T_EQ_INT(align_flush(a), 0);
	/* A late point lands in order; the tick time stays the latest. */
	T_EQ_INT(wp(a, "p0", 500, 0, 0.5), ALIGN_OK);
	T_EQ_INT(align_flush(a), 1);
	t = last_line(&s, 0);
	T_EQ_INT(num(t, "seq"), 2);
	T_EQ_INT(arr(t, "espn"), 1);
	T_EQ_INT(num(t, "espn.0.ts"), 500);
	T_EQ_INT(num(t, "ts"), 2000);
	T_NEAR(num(t, "aligned.espn"), 0.54, 1e-9);
	align_get_stats(a, &st);
	T_EQ_INT(st.wp_dup, 3);
	T_EQ_INT(st.espn_points, 3);
	T_EQ_INT(st.ticks, 2);
	align_free(a);
	json_decref(s.lines);
}

static void
test_kalshi_rule(void)
{
	struct sink s;
	struct align *a = mk(&s, 0);
	struct align_stats st;
	json_t *t;

	feed(a, GAME_LINE);
	/* Away market only: 1 - mid. */
	T_EQ_INT(quote(a, NYK, 100, 0.40, 0.42, -1), ALIGN_OK);
	T_EQ_INT(align_flush(a), 1);
	t = last_line(&s, 0);
	T_EQ_INT(arr(t, "kalshi"), 1);
	T_NEAR(num(t, "kalshi.0.home"), 0.59, 1e-9);
	T_EQ_STR(json_string_value(json_object_get(json_array_get(
	    json_object_get(t, "kalshi"), 0), "rule")), "away_mid");
	/* Home market bid and ask win over the away market. */
	T_EQ_INT(quote(a, IND, 200, 0.54, 0.55, 0.55), ALIGN_OK);
	/* Same values again: a duplicate; a change elsewhere: no point. */
	T_EQ_INT(quote(a, IND, 200, 0.54, 0.55, 0.55), ALIGN_DUP);
	T_EQ_INT(quote(a, NYK, 250, 0.30, 0.32, -1), ALIGN_OK);
	T_EQ_INT(align_flush(a), 1);
	t = last_line(&s, 0);
	T_EQ_INT(arr(t, "kalshi"), 1);
	T_NEAR(num(t, "kalshi.0.home"), 0.545, 1e-9);
	T_NEAR(num(t, "kalshi.0.bid"), 0.54, 1e-9);
	T_NEAR(num(t, "aligned.kalshi"), 0.545, 1e-9);
	T_EQ_INT(num(t, "ts"), 200);
	/* An older quote for the market is stale. */
	T_EQ_INT(quote(a, IND, 150, 0.10, 0.12, -1), ALIGN_DUP);
	/* A bid of 0 means no bid: the away mid then holds. */
	T_EQ_INT(quote(a, IND, 300, 0, -1, -1), ALIGN_OK);
	T_EQ_INT(align_flush(a), 1);
	T_NEAR(num(last_line(&s, 0), "kalshi.0.home"), 0.69, 1e-9);
	/* Only a last trade price left. */
	T_EQ_INT(quote(a, NYK, 400, 0, 1, -1), ALIGN_OK);
	T_EQ_INT(align_flush(a), 1);
	t = last_line(&s, 0);
	T_NEAR(num(t, "kalshi.0.home"), 0.55, 1e-9);
	T_EQ_STR(json_string_value(json_object_get(json_array_get(
	    json_object_get(t, "kalshi"), 0), "rule")), "last");
	T_EQ_INT(feed(a, "{\"type\":\"trade\",\"ticker\":\"" IND "\",\"ts\":500,"
	    "\"price\":0.6,\"count\":3}"), ALIGN_OK);
	T_EQ_INT(align_flush(a), 1);
	T_NEAR(num(last_line(&s, 0), "kalshi.0.home"), 0.6, 1e-9);
	/* Now ESPN: the as-of join and the difference. */
	T_EQ_INT(wp(a, "p1", 450, 1, 0.7), ALIGN_OK);
	T_EQ_INT(align_flush(a), 1);
	t = last_line(&s, 0);
	T_EQ_INT(num(t, "aligned.ts"), 500);
	T_NEAR(num(t, "aligned.espn"), 0.7, 1e-9);
	T_NEAR(num(t, "aligned.kalshi"), 0.6, 1e-9);
	T_NEAR(num(t, "aligned.diff"), 0.1, 1e-9);
	align_get_stats(a, &st);
	T_EQ_INT(st.quote_dup, 1);
	T_EQ_INT(st.quote_stale, 1);
	T_EQ_INT(st.kalshi_points, 5);
	align_free(a);
	json_decref(s.lines);
}

/* Backfilled quotes: points of their own, in time order, flagged; one a
 * minute (live, the other market, the same line again: dropped); the
 * market's live state untouched. */
static int
bquote(struct align *a, const char *ticker, long long ts, double bid,
    double ask)
{
	return feedf(a, "{\"type\":\"quote\",\"src\":\"kalshi\",\"ticker\":"
	    "\"%s\",\"ts\":%lld,\"recv_ts\":9,\"bid\":%g,\"ask\":%g,"
	    "\"backfill\":true}", ticker, ts, bid, ask);
}

static void
test_backfill(void)
{
	struct sink s;
	struct align *a = mk(&s, 0);
	struct align_stats st;
	json_t *t, *k;

	feed(a, GAME_LINE);
	T_EQ_INT(quote(a, IND, 605000, 0.60, 0.62, -1), ALIGN_OK);
	T_EQ_INT(bquote(a, IND, 120000, 0.50, 0.52), ALIGN_OK);
	T_EQ_INT(bquote(a, IND, 60000, 0.40, 0.42), ALIGN_OK);
	T_EQ_INT(bquote(a, NYK, 120000, 0.47, 0.49), ALIGN_DUP);
	T_EQ_INT(bquote(a, IND, 120000, 0.50, 0.52), ALIGN_DUP);
	T_EQ_INT(bquote(a, IND, 660000, 0.70, 0.72), ALIGN_DUP);
	T_EQ_INT(bquote(a, NYK, 180000, 0.45, 0.47), ALIGN_OK);
	/* false is no backfill: a live quote, stale against 605000. */
	T_EQ_INT(feedf(a, "{\"type\":\"quote\",\"ticker\":\"%s\","
	    "\"ts\":1000,\"bid\":0.1,\"ask\":0.2,\"backfill\":false}", IND),
	    ALIGN_DUP);
	T_EQ_INT(align_flush(a), 1);
	t = last_line(&s, 0);
	k = json_object_get(t, "kalshi");
	T_EQ_INT(json_array_size(k), 4);
	T_CHECK(json_object_get(json_array_get(k, 3), "backfill") == NULL);
	T_EQ_INT(num(t, "kalshi.3.ts"), 605000);
	T_EQ_INT(num(t, "kalshi.0.ts"), 60000);
	T_NEAR(num(t, "kalshi.0.home"), 0.41, 1e-9);
	T_EQ_INT(num(t, "kalshi.1.ts"), 120000);
	T_EQ_INT(num(t, "kalshi.2.ts"), 180000);
	T_NEAR(num(t, "kalshi.2.home"), 0.54, 1e-9);
	T_EQ_STR(json_string_value(json_object_get(json_array_get(k, 2),
	    "rule")), "away_mid");
	T_CHECK(json_is_true(json_object_get(json_array_get(k, 0),
	    "backfill")));
	T_CHECK(json_is_true(json_object_get(json_array_get(k, 2),
	    "backfill")));
	/* Older than a point sent: stale (the clients' order holds). */
	T_EQ_INT(bquote(a, IND, 240000, 0.30, 0.32), ALIGN_DUP);
	/* The live state is the live quote's: the next one goes on. */
	T_EQ_INT(quote(a, IND, 610000, 0.61, 0.63, -1), ALIGN_OK);
	T_EQ_INT(align_flush(a), 1);
	T_NEAR(num(last_line(&s, 0), "kalshi.0.home"), 0.62, 1e-9);
	align_get_stats(a, &st);
	T_EQ_INT(st.quote_dup, 3);
	T_EQ_INT(st.quote_stale, 2);	/* with the backfill:false one */
	align_free(a);
	json_decref(s.lines);
}

static void
test_unmapped_then_game(void)
{
	struct sink s;
	struct align *a = mk(&s, 0);
	struct align_stats st;
	json_t *t;

	/* Quotes before the game line wait, then count in arrival order. */
	T_EQ_INT(quote(a, IND, 100, 0.50, 0.52, -1), ALIGN_OK);
	T_EQ_INT(quote(a, IND, 200, 0.60, 0.62, -1), ALIGN_OK);
	T_EQ_INT(quote(a, "KXNBAGAME-25MAY31BOSLAL-LAL", 200, 0.1, 0.2, -1),
	    ALIGN_OK);
	T_EQ_INT(align_flush(a), 0);
	align_get_stats(a, &st);
	T_EQ_INT(st.unmapped, 3);
	feed(a, GAME_LINE);
	T_EQ_INT(align_flush(a), 1);
	t = last_line(&s, 0);
	T_EQ_INT(arr(t, "kalshi"), 2);
	T_NEAR(num(t, "kalshi.0.home"), 0.51, 1e-9);
	T_NEAR(num(t, "kalshi.1.home"), 0.61, 1e-9);
	align_get_stats(a, &st);
	T_EQ_INT(st.unmapped, 1);
	/* A market of a known event but neither team. */
	T_EQ_INT(quote(a, "KXNBAGAME-25MAY31NYKIND-BOS", 300, 0.1, 0.2, -1),
	    ALIGN_IGNORED);
	align_free(a);
	json_decref(s.lines);
}

static void
test_map_file(void)
{
	struct sink s;
	struct align *a = mk(&s, 0);
	struct errbuf err;
	const char *map = "# game ticker team\n"
	    "401772994 ODD-TICKER-A IND\n\n401772994 ODD-TICKER-B away\n";

	T_EQ_INT(align_map_load(a, map, strlen(map), &err), 2);
	T_EQ_INT(align_map_load(a, "1 X\n", 4, &err), -1);
	T_EQ_INT(align_map_load(a, "1 X ZZZ\n", 8, &err), -1);
	feed(a, GAME_LINE);
	T_EQ_INT(quote(a, "ODD-TICKER-B", 100, 0.30, 0.40, -1), ALIGN_OK);
	T_EQ_INT(align_flush(a), 1);
	T_NEAR(num(last_line(&s, 0), "kalshi.0.home"), 0.65, 1e-9);
	T_EQ_INT(quote(a, "ODD-TICKER-A", 200, 0.50, 0.60, -1), ALIGN_OK);
	T_EQ_INT(align_flush(a), 1);
	T_NEAR(num(last_line(&s, 0), "kalshi.0.home"), 0.55, 1e-9);
	/* The mapped game gets no automatic mapping. */
	T_EQ_INT(quote(a, IND, 300, 0.1, 0.2, -1), ALIGN_OK);
	T_EQ_INT(align_flush(a), 0);
	align_free(a);
	json_decref(s.lines);
}

static void
test_bounds_and_bad(void)
{
	struct sink s;
	struct align *a = mk(&s, 16);
	struct align_stats st;
	char id[16];
	int i;

	for (i = 0; i < 40; i++) {
		snprintf(id, sizeof(id), "p%d", i);
		T_EQ_INT(wp(a, id, 1000 + i, i, 0.5), ALIGN_OK);
	}
	align_flush(a);
	align_get_stats(a, &st);
	T_CHECK(st.espn_shed >= 24);
	T_EQ_INT(st.espn_points - st.espn_shed, 40 - st.espn_shed);
	/* A shed point sent again stays out. */
	T_EQ_INT(wp(a, "p0", 1000, 0, 0.5), ALIGN_OK);
	T_EQ_INT(align_flush(a), 0);
	T_EQ_INT(feed(a, "{\"type\":\"wp\",\"game_id\":\"4017\"}"), ALIGN_BAD);
	T_EQ_INT(feed(a, "{\"type\":\"wp\",\"game_id\":\"x1\",\"play_id\":\"1\","
	    "\"ts\":1,\"home\":0.5}"), ALIGN_BAD);
	T_EQ_INT(feed(a, "{\"type\":\"wp\",\"game_id\":\"1\",\"play_id\":\"1\","
	    "\"ts\":1,\"home\":1.5}"), ALIGN_BAD);
	T_EQ_INT(feed(a, "{\"type\":\"quote\",\"ticker\":\"A-B\",\"ts\":1,"
	    "\"bid\":\"x\"}"), ALIGN_BAD);
	T_EQ_INT(feed(a, "{\"type\":\"quote\",\"ts\":1}"), ALIGN_BAD);
	T_EQ_INT(feed(a, "{\"no\":\"type\"}"), ALIGN_BAD);
	T_EQ_INT(feed(a, "{\"type\":\"market\",\"ticker\":\"x\"}"),
	    ALIGN_IGNORED);
	align_get_stats(a, &st);
	T_EQ_INT(st.bad, 6);
	align_free(a);
	json_decref(s.lines);
}

static void
test_games_bounded(void)
{
	struct sink s;
	struct align_cfg cfg;
	struct align *a;
	struct align_stats st;
	int i;

	memset(&cfg, 0, sizeof(cfg));
	cfg.max_games = 3;
	cfg.emit = collect;
	cfg.arg = &s;
	s.lines = json_array();
	a = align_new(&cfg);
	for (i = 0; i < 5; i++)
		feedf(a, "{\"type\":\"wp\",\"game_id\":\"%d\",\"play_id\":\"1\","
		    "\"ts\":1,\"home\":0.5}", i + 1);
	align_get_stats(a, &st);
	T_EQ_INT(st.games, 3);
	T_EQ_INT(st.games_evicted, 2);
	/* Evicted games had their points written first. */
	align_flush(a);
	T_EQ_INT(json_array_size(s.lines), 5);
	align_free(a);
	json_decref(s.lines);
}

static void
snap_collect(void *arg, const char *line, size_t len)
{
	collect(arg, line, len);
}

static void
test_snapshot_and_passthrough(void)
{
	struct sink s, snap;
	struct align *a = mk(&s, 0);
	json_t *t;

	T_EQ_INT(feed(a, "{\"type\":\"source\",\"src\":\"kalshi\",\"ts\":5,"
	    "\"state\":\"degraded\"}"), ALIGN_OK);
	T_EQ_INT(feed(a, "{\"type\":\"source\",\"src\":\"kalshi\",\"ts\":6,"
	    "\"state\":\"ok\"}"), ALIGN_OK);
	T_EQ_INT(feed(a, "{\"type\":\"source\",\"ts\":6}"), ALIGN_BAD);
	feed(a, GAME_LINE);
	T_EQ_INT(json_array_size(s.lines), 3);
	/* The same game line with a new ts is not passed again. */
	T_EQ_INT(feed(a, "{\"type\":\"game\",\"src\":\"espn\",\"game_id\":"
	    "\"401772994\",\"ts\":1748736399999,\"state\":\"in\",\"start_time\":"
	    "1748736000000,\"home\":{\"abbr\":\"IND\",\"score\":0},\"away\":"
	    "{\"abbr\":\"NY\",\"score\":0}}"), ALIGN_DUP);
	T_EQ_INT(json_array_size(s.lines), 3);
	wp(a, "p1", 1000, 1, 0.57);
	quote(a, IND, 1500, 0.5, 0.6, -1);
	align_flush(a);
	wp(a, "p2", 2000, 2, 0.6);	/* pending: not in the snapshot */
	snap.lines = json_array();
	align_snapshot(a, snap_collect, &snap);
	T_EQ_INT(json_array_size(snap.lines), 3);
	T_EQ_STR(type_of(json_array_get(snap.lines, 0)), "source");
	T_EQ_STR(json_string_value(json_object_get(json_array_get(snap.lines,
	    0), "state")), "ok");
	T_EQ_STR(type_of(json_array_get(snap.lines, 1)), "game");
	t = json_array_get(snap.lines, 2);
	T_EQ_STR(type_of(t), "tick");
	T_CHECK(json_is_true(json_object_get(t, "snapshot")));
	T_EQ_INT(num(t, "seq"), 1);
	T_EQ_INT(arr(t, "espn"), 1);
	T_EQ_INT(arr(t, "kalshi"), 1);
	T_NEAR(num(t, "aligned.diff"), 0.02, 1e-9);
	align_flush(a);
	t = last_line(&s, 0);
	T_EQ_INT(num(t, "seq"), 2);
	T_EQ_STR(json_string_value(json_object_get(json_array_get(
	    json_object_get(t, "espn"), 0), "play_id")), "p2");
	json_decref(snap.lines);
	align_free(a);
	json_decref(s.lines);
}

/* The recorded game: every point of espn.c's parse, once, in order. */
static void
test_recorded_game(void)
{
	static struct espn_wp pts[1000];
	struct espn_game g;
	struct sink s;
	struct align *a;
	struct errbuf err;
	json_t *doc, *t, *o;
	size_t skipped = 0, i, total = 0;
	char *line;
	int n;

	doc = json_load_file("tests/data/espn/summary-nba-401772994.json", 0,
	    NULL);
	T_CHECK(doc != NULL);
	if (doc == NULL)
		return;
	n = espn_summary_parse(doc, &g, pts, 1000, &skipped, &err);
	json_decref(doc);
	T_EQ_INT(n, 472);
	if (n <= 0)
		return;
	a = mk(&s, 0);
	for (i = 0; i < (size_t)n; i++) {
		o = json_pack("{s:s,s:s,s:I,s:s,s:I,s:f,s:i,s:s}", "type", "wp",
		    "game_id", "401772994", "ts", (json_int_t)pts[i].ts,
		    "play_id", pts[i].play_id, "seq", (json_int_t)pts[i].seq,
		    "home", pts[i].home, "period", pts[i].period, "clock",
		    pts[i].clock);
		line = json_dumps(o, JSON_COMPACT);
		T_EQ_INT(align_feed(a, o, line, strlen(line), &err), ALIGN_OK);
		/* And once more, as a restarted espn-poll would. */
		T_EQ_INT(align_feed(a, o, line, strlen(line), &err), ALIGN_DUP);
		free(line);
		json_decref(o);
		if (i % 100 == 99)
			align_flush(a);
	}
	align_flush(a);
	for (i = 0; i < json_array_size(s.lines); i++) {
		t = json_array_get(s.lines, i);
		T_EQ_INT(num(t, "seq"), i + 1);
		total += arr(t, "espn");
	}
	T_EQ_INT(total, 472);
	t = last_line(&s, 0);
	T_EQ_INT(num(t, "ts"), pts[n - 1].ts);
	T_NEAR(num(t, "aligned.espn"), pts[n - 1].home, 1e-9);
	align_free(a);
	json_decref(s.lines);
}

/* The scanner takes only what it can read exactly like jansson. */
static void
test_fields_scan(void)
{
	static const char *const refuse[] = {
		"", "{", "[1]", "{\"a\":1,}", "{\"a\":01}", "{\"a\":1} x",
		"{\"a\":\"\\n\"}", "{\"a\":{}}", "{\"a\":[1]}",
		"{\"a\":\"\xc3\xa9\"}", "{\"a\":1.}", "{\"a\":-}",
		"{\"a\":12345678901234567890}", "{\"a\":tru}", "{a:1}",
		"{\"a\":1e999}", "{\"a\" 1}",
	};
	static const char *const same[] = {
		"{\"type\":\"wp\",\"ts\":1748736371000,\"home\":0.54}",
		"{ \"home\" : 0.1 , \"bid\":1e-1,\"ask\":-0.0,\"last\":null}",
		"{\"home\":0.30000000000000004,\"bid\":123456.7890123456789}",
		"{\"ts\":-12,\"seq\":true,\"clock\":\"11:43\",\"ts\":5}",
		"{}", "  {\"price\":0.545}\t",
	};
	struct fields a, b;
	json_t *o;
	size_t i;
	int k;

	for (i = 0; i < sizeof(refuse) / sizeof(refuse[0]); i++) {
		T_EQ_INT(fields_scan(refuse[i], strlen(refuse[i]), &a), 0);
	}
	for (i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		T_EQ_INT(fields_scan(same[i], strlen(same[i]), &a), 1);
		o = json_loads(same[i], 0, NULL);
		T_CHECK(o != NULL);
		fields_from_json(o, &b);
		for (k = 0; k < K_N; k++) {
			T_EQ_INT(a.f[k].kind, b.f[k].kind);
			T_CHECK(a.f[k].kind != F_INT || a.f[k].i == b.f[k].i);
			T_CHECK(a.f[k].kind != F_REAL ||
			    (a.f[k].d == b.f[k].d &&
			    !signbit(a.f[k].d) == !signbit(b.f[k].d)));
			T_CHECK(a.f[k].kind != F_STR || (a.f[k].n ==
			    b.f[k].n && memcmp(a.f[k].s, b.f[k].s,
			    a.f[k].n) == 0));
		}
		json_decref(o);
	}
	T_EQ_INT(fields_scan("{\"ts\":1,\"ts\":5}",
	    strlen("{\"ts\":1,\"ts\":5}"), &a), 1);
	T_EQ_INT(a.f[K_TS].i, 5);
}

int
main(void)
{
	test_fields_scan();
	for (use_raw = 0; use_raw < 2; use_raw++) {
	test_event_ticker();
	test_wp_ticks();
	test_kalshi_rule();
	test_backfill();
	test_unmapped_then_game();
	test_map_file();
	test_bounds_and_bad();
	test_games_bounded();
	test_snapshot_and_passthrough();
	test_recorded_game();
	}
	return t_done("test_align");
}
