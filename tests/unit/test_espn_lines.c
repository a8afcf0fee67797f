/* test_espn_lines: espn-poll's game, wp and source lines, byte for byte. */
#include <stdlib.h>
#include <string.h>

#include "t.h"
#include "espn-poll/lines.h"
#include "source.h"

static void
check_line(json_t *obj, const char *want)
{
	size_t len = 0;
	char *got = lines_encode(obj, &len);

	T_CHECK(got != NULL);
	if (got == NULL)
		return;
	T_EQ_STR(got, want);
	T_EQ_INT(len, strlen(want));
	free(got);
}

int
main(void)
{
	struct espn_game g, h;
	struct espn_wp p;
	struct source src;

	memset(&g, 0, sizeof(g));
	strcpy(g.game_id, "401772994");
	strcpy(g.state, "in");
	strcpy(g.status, "STATUS_IN_PROGRESS");
	g.period = 3;
	strcpy(g.clock, "7:12");
	g.start_time = 1748736000000LL;
	strcpy(g.home.abbr, "IND");
	strcpy(g.home.name, "Indiana Pacers");
	g.home.score = 88;
	strcpy(g.away.abbr, "NY");
	strcpy(g.away.name, "New York Knicks");
	g.away.score = 80;
	check_line(lines_game(&g, 1748736355000LL),
	    "{\"type\":\"game\",\"src\":\"espn\",\"game_id\":\"401772994\","
	    "\"ts\":1748736355000,\"state\":\"in\","
	    "\"status\":\"STATUS_IN_PROGRESS\",\"period\":3,\"clock\":\"7:12\","
	    "\"start_time\":1748736000000,"
	    "\"home\":{\"abbr\":\"IND\",\"name\":\"Indiana Pacers\",\"score\":88},"
	    "\"away\":{\"abbr\":\"NY\",\"name\":\"New York Knicks\",\"score\":80}}\n");

	memset(&p, 0, sizeof(p));
	strcpy(p.play_id, "4017729947");
	p.seq = 7;
	p.ts = 1748736371000LL;
	p.home = 0.54;
	p.away = 0.46;
	p.tie = 0.0;
	p.period = 1;
	strcpy(p.clock, "11:43");
	p.away_score = 2;
	check_line(lines_wp("401772994", &p, 1748736373120LL),
	    "{\"type\":\"wp\",\"src\":\"espn\",\"game_id\":\"401772994\","
	    "\"ts\":1748736371000,\"recv_ts\":1748736373120,"
	    "\"play_id\":\"4017729947\",\"seq\":7,\"home\":0.54,\"away\":0.46,"
	    "\"tie\":0.0,\"period\":1,\"clock\":\"11:43\",\"home_score\":0,"
	    "\"away_score\":2}\n");

	source_init(&src, "espn");
	T_CHECK(source_line(&src, 1) == NULL);	/* nothing said yet */
	T_EQ_INT(source_set(&src, SOURCE_DEGRADED,
	    "summary 401772994: HTTP 503", 4000), 1);
	T_EQ_INT(source_set(&src, SOURCE_DEGRADED,
	    "summary 401772994: HTTP 503", 4000), 0);
	check_line(source_line(&src, 1748736371880LL),
	    "{\"type\":\"source\",\"src\":\"espn\",\"ts\":1748736371880,"
	    "\"state\":\"degraded\",\"detail\":\"summary 401772994: HTTP 503\","
	    "\"retry_in_ms\":4000}\n");
	T_EQ_INT(source_set(&src, SOURCE_OK, NULL, -1), 1);
	check_line(source_line(&src, 5),
	    "{\"type\":\"source\",\"src\":\"espn\",\"ts\":5,\"state\":\"ok\","
	    "\"detail\":\"\"}\n");

	h = g;
	T_EQ_INT(lines_game_changed(&g, &h), 0);
	h.home.score = 90;
	T_EQ_INT(lines_game_changed(&g, &h), 1);
	h = g;
	strcpy(h.clock, "7:11");
	T_EQ_INT(lines_game_changed(&g, &h), 1);
	h = g;
	strcpy(h.state, "post");
	T_EQ_INT(lines_game_changed(&g, &h), 1);
	h = g;
	strcpy(h.home.name, "Other");	/* names are not news */
	T_EQ_INT(lines_game_changed(&g, &h), 0);
	return t_done("test_espn_lines");
}
