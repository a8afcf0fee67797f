/*
 * test_fanout_wspath: the subscriber's path and ?since= resume point.
 */
#include <stdint.h>

#include <stdlib.h>

#include "t.h"
#include "ws-fanout/wspath.h"

int
main(void)
{
	struct wspath wp;
	int64_t e, s;

	T_EQ_INT(wspath_parse("/ws/live/401772994", NULL, &wp), WSPATH_OK);
	T_EQ_STR(wp.game_id, "401772994");
	T_EQ_INT(wp.has_since, 0);
	T_EQ_INT(wspath_parse("/ws/live/401772994", "since=1748736000123:42",
	    &wp), WSPATH_OK);
	T_EQ_INT(wp.has_since, 1);
	T_EQ_INT(wp.since_epoch, 1748736000123LL);
	T_EQ_INT(wp.since_seq, 42);
	T_EQ_INT(wspath_parse("/ws/live/1", "x=1&since=5:0&y", &wp), WSPATH_OK);
	T_EQ_INT(wp.has_since, 1);
	T_EQ_INT(wp.since_epoch, 5);
	T_EQ_INT(wp.since_seq, 0);
	/* A bad since is ignored: the client gets a snapshot. */
	T_EQ_INT(wspath_parse("/ws/live/1", "since=5", &wp), WSPATH_OK);
	T_EQ_INT(wp.has_since, 0);
	T_EQ_INT(wspath_parse("/ws/live/1", "since=-5:1", &wp), WSPATH_OK);
	T_EQ_INT(wp.has_since, 0);
	T_EQ_INT(wspath_parse("/ws/live/1", "since=5:1x", &wp), WSPATH_OK);
	T_EQ_INT(wp.has_since, 0);
	T_EQ_INT(wspath_parse("/ws/live/1", "since=9999999999999999999:1",
	    &wp), WSPATH_OK);
	T_EQ_INT(wp.has_since, 0);

	/* Not a game id: accepted, then error + 4404. */
	T_EQ_INT(wspath_parse("/ws/live/abc", NULL, &wp), WSPATH_BAD_ID);
	T_EQ_INT(wspath_parse("/ws/live/12%20", NULL, &wp), WSPATH_BAD_ID);
	T_EQ_INT(wspath_parse("/ws/live/123456789012345678901234567890123",
	    NULL, &wp), WSPATH_BAD_ID);
	T_EQ_INT(wspath_parse("/ws/live/12345678901234567890123456789012",
	    NULL, &wp), WSPATH_OK);
	/* Malformed paths: 404 at the upgrade. */
	T_EQ_INT(wspath_parse("/ws/live/", NULL, &wp), WSPATH_NOT_FOUND);
	T_EQ_INT(wspath_parse("/ws/live", NULL, &wp), WSPATH_NOT_FOUND);
	T_EQ_INT(wspath_parse("/ws/live/1/2", NULL, &wp), WSPATH_NOT_FOUND);
	T_EQ_INT(wspath_parse("/ws/other/1", NULL, &wp), WSPATH_NOT_FOUND);
	T_EQ_INT(wspath_parse("/", NULL, &wp), WSPATH_NOT_FOUND);
	T_EQ_INT(wspath_parse("", NULL, &wp), WSPATH_NOT_FOUND);
	T_EQ_INT(wspath_parse(NULL, NULL, &wp), WSPATH_NOT_FOUND);

	T_EQ_INT(wspath_parse_since("1:2", 3, &e, &s), 0);
	T_EQ_INT(e, 1);
	T_EQ_INT(s, 2);
	T_EQ_INT(wspath_parse_since(":2", 2, &e, &s), -1);
	T_EQ_INT(wspath_parse_since("1:", 2, &e, &s), -1);
	T_EQ_INT(wspath_parse_since("1:2", 2, &e, &s), -1);
	T_EQ_INT(wspath_valid_id("0", 1), 1);
	T_EQ_INT(wspath_valid_id("", 0), 0);
	return t_done("test_fanout_wspath");
}
