/* test_live_route: what live-games answers for a method and a path. */
#include <string.h>

#include <stdlib.h>

#include "t.h"
#include "live-games/route.h"

static enum route
r(enum route_method m, const char *path)
{
	return route_classify(m, path, strlen(path));
}

int
main(void)
{
	char big[ROUTE_MAX_PATH + 2];

	T_EQ_INT(r(RM_GET, "/api/live/games"), ROUTE_GAMES);
	T_EQ_INT(r(RM_GET, "/api/live/games/"), ROUTE_GAMES);
	T_EQ_INT(r(RM_GET, "/api/live/games?date=20250601"), ROUTE_GAMES);
	T_EQ_INT(r(RM_HEAD, "/api/live/games"), ROUTE_GAMES);
	T_EQ_INT(r(RM_GET, "/healthz"), ROUTE_HEALTHZ);
	T_EQ_INT(r(RM_GET, "/metrics"), ROUTE_METRICS);
	T_EQ_INT(r(RM_OPTIONS, "/api/live/games"), ROUTE_PREFLIGHT);
	T_EQ_INT(r(RM_OTHER, "/api/live/games"), ROUTE_BAD_METHOD);
	T_EQ_INT(r(RM_OTHER, "/metrics"), ROUTE_BAD_METHOD);
	T_EQ_INT(r(RM_OTHER, "/nope"), ROUTE_NOT_FOUND);
	T_EQ_INT(r(RM_OPTIONS, "/nope"), ROUTE_NOT_FOUND);
	T_EQ_INT(r(RM_GET, "/"), ROUTE_NOT_FOUND);
	T_EQ_INT(r(RM_GET, "/api/live/games//"), ROUTE_NOT_FOUND);
	T_EQ_INT(r(RM_GET, "/api/live/gamesX"), ROUTE_NOT_FOUND);
	T_EQ_INT(r(RM_GET, "/api/live/game"), ROUTE_NOT_FOUND);
	T_EQ_INT(r(RM_GET, "/API/LIVE/GAMES"), ROUTE_NOT_FOUND);
	/* SQL-looking ids are just unknown paths. */
	T_EQ_INT(r(RM_GET, "/api/live/games/1;DROP TABLE espn.scoreboard_games"),
	    ROUTE_NOT_FOUND);
	T_EQ_INT(r(RM_GET, "/api/live/games/' OR '1'='1"), ROUTE_NOT_FOUND);
	T_EQ_INT(r(RM_GET, "api/live/games"), ROUTE_BAD_REQUEST);
	T_EQ_INT(r(RM_GET, ""), ROUTE_BAD_REQUEST);
	T_EQ_INT(route_classify(RM_GET, NULL, 0), ROUTE_BAD_REQUEST);
	T_EQ_INT(route_classify(RM_GET, "/api/live/games\0x", 17),
	    ROUTE_BAD_REQUEST);
	T_EQ_INT(r(RM_GET, "/api/live/games\r\nX-Evil: 1"), ROUTE_BAD_REQUEST);
	memset(big, 'a', sizeof(big));
	big[0] = '/';
	T_EQ_INT(route_classify(RM_GET, big, ROUTE_MAX_PATH), ROUTE_NOT_FOUND);
	T_EQ_INT(route_classify(RM_GET, big, ROUTE_MAX_PATH + 1),
	    ROUTE_TOO_LONG);

	T_EQ_INT(route_status(ROUTE_GAMES), 200);
	T_EQ_INT(route_status(ROUTE_PREFLIGHT), 204);
	T_EQ_INT(route_status(ROUTE_BAD_REQUEST), 400);
	T_EQ_INT(route_status(ROUTE_NOT_FOUND), 404);
	T_EQ_INT(route_status(ROUTE_BAD_METHOD), 405);
	T_EQ_INT(route_status(ROUTE_TOO_LONG), 414);
	T_EQ_STR(route_name(ROUTE_GAMES), "games");
	T_EQ_STR(route_name(ROUTE_BAD_METHOD), "bad_method");
	return t_done("test_live_route");
}
