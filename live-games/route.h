/*
 * route: what a request asks for, from its method and path. Pure and
 * total: any bytes in, one answer out; fuzzed (tests/fuzz/fuzz_live_path.c).
 */
#ifndef LIVE_ROUTE_H
#define LIVE_ROUTE_H

#include <stddef.h>

#define ROUTE_MAX_PATH	1024	/* longer paths are answered 414 */

enum route_method {
	RM_GET = 0,
	RM_HEAD,
	RM_OPTIONS,
	RM_OTHER,		/* POST, PUT, DELETE, PATCH, ... */
};

enum route {
	ROUTE_GAMES = 0,	/* GET /api/live/games */
	ROUTE_HEALTHZ,		/* GET /healthz */
	ROUTE_METRICS,		/* GET /metrics */
	ROUTE_PREFLIGHT,	/* OPTIONS on a known path: 204 */
	ROUTE_NOT_FOUND,	/* 404 */
	ROUTE_BAD_METHOD,	/* known path, other method: 405 */
	ROUTE_BAD_REQUEST,	/* empty, not absolute, NUL or control bytes: 400 */
	ROUTE_TOO_LONG,		/* 414 */
};

/*
 * Classifies a request. path need not be NUL-terminated; anything from
 * '?' on (the query) is ignored; one trailing '/' is allowed.
 */
enum route route_classify(enum route_method m, const char *path, size_t len);
/* The HTTP status for a route (200, 204, 400, 404, 405, 414). */
int	route_status(enum route r);
/* A constant name for metrics and logs: "games", "not_found", ... */
const char *route_name(enum route r);

#endif
