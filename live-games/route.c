/*
 * route: maps (method, path) to what live-games answers. Pure: it never
 * decodes, copies or stores the path, so no input can make it allocate.
 */
#include <string.h>

#include "route.h"

static const struct {
	const char	*path;
	enum route	 route;
} paths[] = {
	{ "/api/live/games",	ROUTE_GAMES },
	{ "/healthz",		ROUTE_HEALTHZ },
	{ "/metrics",		ROUTE_METRICS },
};

enum route
route_classify(enum route_method m, const char *path, size_t len)
{
	const char *q;
	size_t i, n;

	if (path == NULL || len == 0)
		return ROUTE_BAD_REQUEST;
	if (len > ROUTE_MAX_PATH)
		return ROUTE_TOO_LONG;
	if (path[0] != '/')
		return ROUTE_BAD_REQUEST;
	for (i = 0; i < len; i++)
		if ((unsigned char)path[i] < 0x20 || path[i] == 0x7f)
			return ROUTE_BAD_REQUEST;
	if ((q = memchr(path, '?', len)) != NULL)
		len = (size_t)(q - path);
	if (len > 1 && path[len - 1] == '/')
		len--;
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		n = strlen(paths[i].path);
		if (n != len || memcmp(paths[i].path, path, n) != 0)
			continue;
		switch (m) {
		case RM_GET:
		case RM_HEAD:
			return paths[i].route;
		case RM_OPTIONS:
			return ROUTE_PREFLIGHT;
		default:
			return ROUTE_BAD_METHOD;
		}
	}
	return ROUTE_NOT_FOUND;
}

int
route_status(enum route r)
{
	switch (r) {
	case ROUTE_GAMES:
	case ROUTE_HEALTHZ:
	case ROUTE_METRICS:
		return 200;
	case ROUTE_PREFLIGHT:
		return 204;
	case ROUTE_NOT_FOUND:
		return 404;
	case ROUTE_BAD_METHOD:
		return 405;
	case ROUTE_TOO_LONG:
		return 414;
	case ROUTE_BAD_REQUEST:
	default:
		return 400;
	}
}

const char *
route_name(enum route r)
{
	switch (r) {
	case ROUTE_GAMES:	return "games";
	case ROUTE_HEALTHZ:	return "healthz";
	case ROUTE_METRICS:	return "metrics";
	case ROUTE_PREFLIGHT:	return "preflight";
	case ROUTE_NOT_FOUND:	return "not_found";
	case ROUTE_BAD_METHOD:	return "bad_method";
	case ROUTE_TOO_LONG:	return "too_long";
	case ROUTE_BAD_REQUEST:
	default:		return "bad_request";
	}
}
