/* test_espn: the ESPN scoreboard and summary parsers on the real fixtures. */
#include <stdlib.h>
#include <string.h>

#include "t.h"
#include "espn.h"
#include "espn_url.h"
#include "timeutil.h"

#define DIR "tests/data/espn/"

static json_t *
load(const char *path)
{
	json_error_t jerr;
	json_t *doc = json_load_file(path, 0, &jerr);

	if (doc == NULL)
		fprintf(stderr, "%s: %s\n", path, jerr.text);
	return doc;
}

static json_t *
parse(const char *text)
{
	return json_loads(text, 0, NULL);
}

static int64_t
iso(const char *s)
{
	int64_t ms = 0;

	T_EQ_INT(time_parse_iso8601(s, &ms), 0);
	return ms;
}

static void
test_summary_full(void)
{
	static struct espn_wp pts[1000];
	struct espn_game g;
	struct errbuf err = { "" };
	size_t skipped = 99, i;
	json_t *doc = load(DIR "summary-nba-401772994.json");
	int n, sorted = 1;

	T_CHECK(doc != NULL);
	n = espn_summary_parse(doc, &g, pts, 1000, &skipped, &err);
	T_EQ_INT(n, 472);
	T_EQ_INT(skipped, 0);
	T_EQ_STR(g.game_id, "401772994");
	T_EQ_STR(g.state, "post");
	T_EQ_STR(g.status, "STATUS_FINAL");
	T_EQ_STR(g.home.abbr, "IND");
	T_EQ_STR(g.home.name, "Indiana Pacers");
	T_EQ_STR(g.home.id, "11");
	T_EQ_INT(g.home.score, 125);
	T_EQ_STR(g.away.abbr, "NY");
	T_EQ_INT(g.away.score, 108);
	T_EQ_INT(g.start_time, iso("2025-06-01T00:00Z"));
	/* The header has no clock: it comes from the last play. */
	T_EQ_INT(g.period, 4);
	T_EQ_STR(g.clock, "0.0");

	T_EQ_STR(pts[0].play_id, "4017729944");
	T_EQ_INT(pts[0].seq, 4);
	T_NEAR(pts[0].home, 0.57, 1e-12);
	T_NEAR(pts[0].away, 0.43, 1e-12);
	T_NEAR(pts[0].tie, 0.0, 1e-12);
	T_EQ_INT(pts[0].ts, iso("2025-06-01T00:05:55Z"));
	T_EQ_INT(pts[0].period, 1);
	T_EQ_STR(pts[0].clock, "12:00");

	T_EQ_STR(pts[1].play_id, "4017729947");
	T_EQ_INT(pts[1].seq, 7);
	T_NEAR(pts[1].home, 0.54, 1e-12);
	T_EQ_INT(pts[1].ts, iso("2025-06-01T00:06:11Z"));
	T_EQ_STR(pts[1].clock, "11:43");
	T_EQ_INT(pts[1].home_score, 0);
	T_EQ_INT(pts[1].away_score, 2);

	T_EQ_STR(pts[100].play_id, "401772994155");
	T_EQ_INT(pts[100].seq, 155);
	T_NEAR(pts[100].home, 0.583, 1e-12);
	T_EQ_INT(pts[100].home_score, 25);
	T_EQ_INT(pts[100].away_score, 23);

	/* The fixture's plays list 696 before 695; seq order puts 695 first. */
	T_EQ_STR(pts[466].play_id, "401772994695");
	T_EQ_INT(pts[466].seq, 695);
	T_EQ_STR(pts[466].clock, "45.1");
	T_EQ_STR(pts[467].play_id, "401772994696");
	T_EQ_INT(pts[467].seq, 696);

	T_EQ_STR(pts[471].play_id, "401772994702");
	T_EQ_INT(pts[471].seq, 702);
	T_NEAR(pts[471].home, 1.0, 1e-12);
	T_NEAR(pts[471].away, 0.0, 1e-12);
	T_EQ_INT(pts[471].home_score, 125);
	T_EQ_INT(pts[471].away_score, 108);
	T_EQ_INT(pts[471].ts, iso("2025-06-01T02:35:22Z"));

	for (i = 1; i < 472; i++)
		if (pts[i].seq <= pts[i - 1].seq)
			sorted = 0;
	T_CHECK(sorted);
	for (i = 0; i < 472; i++)
		if (!(pts[i].away >= 0 && pts[i].away <= 1 &&
		    pts[i].home + pts[i].away + pts[i].tie < 1.0 + 1e-9))
			sorted = 0;
	T_CHECK(sorted);

	/* A short array keeps the lowest sequence numbers. */
	n = espn_summary_parse(doc, NULL, pts, 10, &skipped, &err);
	T_EQ_INT(n, 10);
	T_EQ_INT(pts[0].seq, 4);
	T_EQ_INT(pts[9].seq, 17);
	n = espn_summary_parse(doc, NULL, pts, 0, NULL, &err);
	T_EQ_INT(n, 0);
	json_decref(doc);
}

static void
test_summary_pregame(void)
{
	struct espn_wp pts[16];
	struct espn_game g;
	struct errbuf err = { "" };
	size_t skipped = 99;
	json_t *doc = load(DIR "summary-nba-401772994-pregame.json");

	T_CHECK(doc != NULL);
	T_EQ_INT(espn_summary_parse(doc, &g, pts, 16, &skipped, &err), 0);
	T_EQ_INT(skipped, 0);
	T_EQ_STR(g.game_id, "401772994");
	T_EQ_STR(g.state, "pre");
	T_EQ_STR(g.status, "STATUS_SCHEDULED");
	T_EQ_INT(g.period, 0);
	T_EQ_INT(g.home.score, 0);
	T_EQ_STR(g.home.abbr, "IND");
	T_EQ_STR(g.away.abbr, "NY");
	json_decref(doc);
}

static void
test_summary_edges(void)
{
	struct espn_wp pts[8];
	struct espn_game g;
	struct errbuf err = { "" };
	size_t skipped;
	json_t *doc;
	int n;
	const char *hdr = "\"header\":{\"id\":\"42\",\"competitions\":[{"
	    "\"status\":{\"period\":2,\"displayClock\":\"3:04\",\"type\":"
	    "{\"state\":\"in\",\"name\":\"STATUS_IN_PROGRESS\"}}}]}";
	char buf[2048];

	doc = parse("[]");
	T_EQ_INT(espn_summary_parse(doc, &g, pts, 8, NULL, &err), -1);
	json_decref(doc);
	doc = parse("{\"plays\":[]}");
	T_EQ_INT(espn_summary_parse(doc, &g, pts, 8, NULL, &err), -1);
	T_CHECK(strstr(err.msg, "header") != NULL);
	json_decref(doc);

	/* Joined by playId, not position; numeric seq; away from ESPN when
	 * present; missing wallclock, unknown play, duplicates skipped. */
	snprintf(buf, sizeof(buf), "{%s,"
	    "\"winprobability\":["
	    "{\"playId\":\"b\",\"homeWinPercentage\":0.25,"
	    "\"awayWinPercentage\":0.7,\"tiePercentage\":0.05},"
	    "{\"playId\":\"a\",\"homeWinPercentage\":0.6},"
	    "{\"playId\":\"a\",\"homeWinPercentage\":0.6},"
	    "{\"playId\":\"c\",\"homeWinPercentage\":0.5},"
	    "{\"playId\":\"zz\",\"homeWinPercentage\":0.5},"
	    "{\"playId\":\"d\",\"homeWinPercentage\":1.5},"
	    "{\"playId\":7,\"homeWinPercentage\":\"0.125\"}],"
	    "\"plays\":["
	    "{\"id\":\"a\",\"sequenceNumber\":\"10\",\"wallclock\":"
	    "\"2025-06-01T00:00:10Z\",\"homeScore\":3,\"awayScore\":1},"
	    "{\"id\":\"b\",\"sequenceNumber\":\"9\",\"wallclock\":"
	    "\"2025-06-01T00:00:09Z\"},"
	    "{\"id\":\"c\",\"sequenceNumber\":\"11\"},"
	    "{\"id\":\"d\",\"sequenceNumber\":\"12\",\"wallclock\":"
	    "\"2025-06-01T00:00:12Z\"},"
	    "{\"id\":7,\"sequenceNumber\":100,\"wallclock\":"
	    "\"2025-06-01T00:01:40Z\"}]}", hdr);
	doc = parse(buf);
	T_CHECK(doc != NULL);
	n = espn_summary_parse(doc, &g, pts, 8, &skipped, &err);
	T_EQ_INT(n, 3);
	T_EQ_INT(skipped, 4);
	T_EQ_STR(g.game_id, "42");
	T_EQ_STR(g.state, "in");
	T_EQ_INT(g.period, 2);
	T_EQ_STR(g.clock, "3:04");
	T_EQ_STR(pts[0].play_id, "b");
	T_NEAR(pts[0].away, 0.7, 1e-12);
	T_NEAR(pts[0].tie, 0.05, 1e-12);
	T_EQ_STR(pts[1].play_id, "a");
	T_NEAR(pts[1].away, 0.4, 1e-12);
	T_EQ_INT(pts[1].home_score, 3);
	T_EQ_STR(pts[2].play_id, "7");
	T_EQ_INT(pts[2].seq, 100);
	T_NEAR(pts[2].home, 0.125, 1e-12);
	json_decref(doc);

	snprintf(buf, sizeof(buf), "{%s,\"winprobability\":{}}", hdr);
	doc = parse(buf);
	T_EQ_INT(espn_summary_parse(doc, &g, pts, 8, NULL, &err), -1);
	T_CHECK(strstr(err.msg, "winprobability") != NULL);
	json_decref(doc);
	doc = parse("{\"header\":{\"id\":\"4x\",\"competitions\":[{}]}}");
	T_EQ_INT(espn_summary_parse(doc, &g, pts, 8, NULL, &err), -1);
	json_decref(doc);
}

static void
test_scoreboard_20241215(void)
{
	struct espn_game g[16];
	struct errbuf err = { "" };
	size_t skipped = 99;
	json_t *doc = load(DIR "scoreboard-nba-20241215.json");
	int n;

	T_CHECK(doc != NULL);
	n = espn_scoreboard_parse(doc, g, 16, &skipped, &err);
	T_EQ_INT(n, 7);
	T_EQ_INT(skipped, 0);
	T_EQ_STR(g[0].game_id, "401736810");
	T_EQ_STR(g[0].state, "post");
	T_EQ_STR(g[0].status, "STATUS_FINAL");
	T_EQ_INT(g[0].period, 4);
	T_EQ_STR(g[0].clock, "0.0");
	T_EQ_INT(g[0].start_time, iso("2024-12-15T22:00Z"));
	T_EQ_STR(g[0].home.abbr, "IND");
	T_EQ_STR(g[0].home.name, "Indiana Pacers");
	T_EQ_STR(g[0].home.id, "11");
	T_EQ_INT(g[0].home.score, 119);
	T_EQ_STR(g[0].away.abbr, "NO");
	T_EQ_INT(g[0].away.score, 104);
	T_EQ_STR(g[5].game_id, "401737912");
	T_EQ_STR(g[5].home.abbr, "GS");
	T_EQ_STR(g[5].home.name, "Golden State Warriors");
	T_EQ_INT(g[5].home.score, 133);
	T_EQ_STR(g[5].away.abbr, "DAL");
	T_EQ_INT(g[5].away.score, 143);
	T_EQ_STR(g[6].game_id, "401736814");
	T_EQ_STR(g[6].away.abbr, "MEM");

	/* Capacity bounds the output. */
	T_EQ_INT(espn_scoreboard_parse(doc, g, 3, NULL, &err), 3);
	json_decref(doc);
}

static void
test_scoreboard_20250529(void)
{
	struct espn_game g[4];
	struct errbuf err = { "" };
	size_t skipped = 99;
	json_t *doc = load(DIR "scoreboard-nba-20250529.json");

	T_CHECK(doc != NULL);
	T_EQ_INT(espn_scoreboard_parse(doc, g, 4, &skipped, &err), 1);
	T_EQ_INT(skipped, 0);
	T_EQ_STR(g[0].game_id, "401772993");
	T_EQ_STR(g[0].state, "post");
	T_EQ_STR(g[0].home.abbr, "NY");
	T_EQ_INT(g[0].home.score, 111);
	T_EQ_STR(g[0].away.abbr, "IND");
	T_EQ_INT(g[0].away.score, 94);
	json_decref(doc);
}

static void
test_scoreboard_edges(void)
{
	struct espn_game g[4];
	struct errbuf err = { "" };
	size_t skipped = 99;
	json_t *doc;

	doc = parse("{\"leagues\":[]}");
	T_EQ_INT(espn_scoreboard_parse(doc, g, 4, &skipped, &err), -1);
	T_CHECK(strstr(err.msg, "events") != NULL);
	json_decref(doc);
	doc = parse("{\"events\":[]}");
	T_EQ_INT(espn_scoreboard_parse(doc, g, 4, &skipped, &err), 0);
	T_EQ_INT(skipped, 0);
	json_decref(doc);
	/* No id, one side only, bad state, non-object: all skipped. */
	doc = parse("{\"events\":[1,"
	    "{\"status\":{\"type\":{\"state\":\"in\"}},\"competitions\":[{"
	    "\"competitors\":[{\"homeAway\":\"home\"},{\"homeAway\":\"away\"}]}]},"
	    "{\"id\":\"5\",\"status\":{\"type\":{\"state\":\"in\"}},"
	    "\"competitions\":[{\"competitors\":[{\"homeAway\":\"home\"}]}]},"
	    "{\"id\":\"6\",\"status\":{\"type\":{\"state\":\"odd\"}},"
	    "\"competitions\":[{\"competitors\":[{\"homeAway\":\"home\"},"
	    "{\"homeAway\":\"away\"}]}]},"
	    "{\"id\":\"7\",\"competitions\":[{\"status\":{\"period\":3,"
	    "\"displayClock\":\"1:02\",\"type\":{\"state\":\"in\"}},"
	    "\"competitors\":[{\"homeAway\":\"home\",\"score\":\"12\"},"
	    "{\"homeAway\":\"away\",\"score\":9}]}]}]}");
	T_EQ_INT(espn_scoreboard_parse(doc, g, 4, &skipped, &err), 1);
	T_EQ_INT(skipped, 4);
	T_EQ_STR(g[0].game_id, "7");
	T_EQ_STR(g[0].state, "in");
	T_EQ_INT(g[0].period, 3);
	T_EQ_STR(g[0].clock, "1:02");
	T_EQ_INT(g[0].home.score, 12);
	T_EQ_INT(g[0].away.score, 9);
	json_decref(doc);
}

static int
same_wp(const struct espn_wp *a, const struct espn_wp *b)
{
	return strcmp(a->play_id, b->play_id) == 0 && a->seq == b->seq &&
	    a->ts == b->ts && a->home == b->home && a->away == b->away &&
	    a->tie == b->tie && a->period == b->period &&
	    strcmp(a->clock, b->clock) == 0 &&
	    a->home_score == b->home_score && a->away_score == b->away_score;
}

/* The slimmed summary parses exactly like the whole one, and is smaller. */
static void
test_summary_slim(const char *path, int want_points)
{
	static struct espn_wp a[1000], b[1000];
	struct espn_game ga, gb;
	struct errbuf err;
	size_t len, i;
	char *text = t_slurp(path, &len), *out;
	json_t *full, *slim;
	long n;
	int na, nb, same = 1;

	T_CHECK(text != NULL);
	if (text == NULL)
		return;
	out = malloc(len + 1);
	n = espn_summary_slim(text, len, out, len + 1);
	T_CHECK(n > 0 && (size_t)n < len / 2);
	full = json_loadb(text, len, 0, NULL);
	slim = json_loadb(out, (size_t)(n > 0 ? n : 0), 0, NULL);
	T_CHECK(full != NULL && slim != NULL);
	na = espn_summary_parse(full, &ga, a, 1000, NULL, &err);
	nb = espn_summary_parse(slim, &gb, b, 1000, NULL, &err);
	T_EQ_INT(na, want_points);
	T_EQ_INT(nb, na);
	for (i = 0; i < (size_t)na && i < (size_t)nb; i++)
		if (!same_wp(&a[i], &b[i]))
			same = 0;
	T_CHECK(same);
	T_EQ_STR(gb.game_id, ga.game_id);
	T_EQ_STR(gb.state, ga.state);
	T_EQ_STR(gb.clock, ga.clock);
	T_EQ_INT(gb.period, ga.period);
	T_EQ_INT(gb.home.score, ga.home.score);
	T_EQ_STR(gb.away.name, ga.away.name);
	T_EQ_INT(gb.start_time, ga.start_time);
	/* Straight from the bytes: the same again. */
	nb = espn_summary_parse_text(text, len, &gb, b, 1000, NULL, &err);
	T_EQ_INT(nb, na);
	same = 1;
	for (i = 0; i < (size_t)na && i < (size_t)nb; i++)
		if (!same_wp(&a[i], &b[i]))
			same = 0;
	T_CHECK(same);
	T_EQ_STR(gb.game_id, ga.game_id);
	T_EQ_STR(gb.state, ga.state);
	T_EQ_STR(gb.clock, ga.clock);
	T_EQ_INT(gb.period, ga.period);
	T_EQ_INT(gb.home.score, ga.home.score);
	T_EQ_INT(gb.start_time, ga.start_time);
	/* Escapes and numbers as strings fall back to the json_t path. */
	{
		const char *esc = "{\"header\":{},\"pl\\u0061ys\":[]}";

		T_EQ_INT(espn_summary_parse_text(esc, strlen(esc), &gb, b, 10,
		    NULL, &err), ESPN_TEXT_FALLBACK);
	}
	/* Too small an output, and what is not an object, fail cleanly. */
	T_EQ_INT(espn_summary_slim(text, len, out, 100), -1);
	T_EQ_INT(espn_summary_slim("[1]", 3, out, 4), -1);
	T_EQ_INT(espn_summary_slim("{\"a\":1", 7, out, 8), -1);
	T_EQ_INT(espn_summary_slim("{\"a\":1} x", 10, out, 11), -1);
	{
		const char *in = " {\"x\":[1,{\"y\":\"}\\\"\"}],"
		    "\"plays\":[{\"id\":\"1\",\"text\":\"a]\"},2],"
		    "\"h\\u0065ader\":3} ";

		n = espn_summary_slim(in, strlen(in), out, strlen(in) + 1);
		T_EQ_INT(n, 40);
		if (n > 0)
			T_EQ_STR(out, "{\"plays\":[{\"id\":\"1\"},2],"
			    "\"h\\u0065ader\":3}");
	}
	json_decref(full);
	json_decref(slim);
	free(out);
	free(text);
}

/* The one URL builder: the API and a folder of recorded bodies. */
static void
test_url(void)
{
	char u[64];

	T_EQ_INT(espn_url(u, sizeof(u), "http://h/nba", ESPN_DOC_SCOREBOARD,
	    "20250531"), 38);
	T_EQ_STR(u, "http://h/nba/scoreboard?dates=20250531");
	espn_url(u, sizeof(u), "http://h/nba", ESPN_DOC_SUMMARY, "401772994");
	T_EQ_STR(u, "http://h/nba/summary?event=401772994");
	espn_url(u, sizeof(u), "file:///d", ESPN_DOC_SCOREBOARD, "20250531");
	T_EQ_STR(u, "file:///d/scoreboard-nba-20250531.json");
	espn_url(u, sizeof(u), "file:///d", ESPN_DOC_SUMMARY, "401772994");
	T_EQ_STR(u, "file:///d/summary-nba-401772994.json");
	T_EQ_INT(espn_url(u, 20, "http://h/nba", ESPN_DOC_SUMMARY, "4017"), -1);
}

int
main(void)
{
	test_summary_full();
	test_summary_pregame();
	test_summary_edges();
	test_scoreboard_20241215();
	test_scoreboard_20250529();
	test_scoreboard_edges();
	test_summary_slim(DIR "summary-nba-401772994.json", 472);
	test_summary_slim(DIR "summary-nba-401772994-pregame.json", 0);
	test_url();
	return t_done("test_espn");
}
