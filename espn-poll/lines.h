/*
 * lines: the NDJSON lines espn-poll writes (DESIGN.md, "Stream lines"):
 * game, wp and source. Pure: structs in, encoded bytes out.
 */
#ifndef ESPN_POLL_LINES_H
#define ESPN_POLL_LINES_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "espn.h"

/* Returns a new game line object. */
json_t	*lines_game(const struct espn_game *g, int64_t ts);
/* Returns a new wp line object. */
json_t	*lines_wp(const char *game_id, const struct espn_wp *p,
	    int64_t recv_ts);
/*
 * Returns a new compact encoding of obj followed by '\n' (probabilities
 * printed as ESPN sent them: 0.43, not 0.42999999999999999), or NULL.
 * Takes ownership of obj.
 */
char	*lines_encode(json_t *obj, size_t *len);
/* 1 when a and b differ in what a game line reports (state, score ...). */
int	lines_game_changed(const struct espn_game *a,
	    const struct espn_game *b);

#endif
