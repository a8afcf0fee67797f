/*
 * wspath: the WebSocket request line of ws-fanout, "/ws/live/{game_id}"
 * with an optional "since=EPOCH:SEQ" query argument. Pure: no I/O.
 */
#ifndef FANOUT_WSPATH_H
#define FANOUT_WSPATH_H

#include <stdint.h>

#define WSPATH_ID_MAX	32	/* game ids are ESPN event ids, short */

enum wspath_result {
	WSPATH_OK = 0,		/* /ws/live/<digits> */
	WSPATH_BAD_ID,		/* /ws/live/<segment>, not a game id: 4404 */
	WSPATH_NOT_FOUND,	/* anything else: 404 at the upgrade */
};

struct wspath {
	char	game_id[WSPATH_ID_MAX + 1];
	int	has_since;
	int64_t	since_epoch;
	int64_t	since_seq;
};

/* 1 when s is a game id: 1..WSPATH_ID_MAX ASCII digits. */
int	wspath_valid_id(const char *s, size_t len);
/*
 * Parses path (without the query) and query (the part after '?', or NULL;
 * arguments separated by '&'). A since argument that does not parse is
 * ignored (the client gets a snapshot). Fills *out on WSPATH_OK.
 */
enum wspath_result wspath_parse(const char *path, const char *query,
	    struct wspath *out);
/* Parses "EPOCH:SEQ" (both non-negative decimal). Returns 0 or -1. */
int	wspath_parse_since(const char *s, size_t len, int64_t *epoch,
	    int64_t *seq);

#endif
