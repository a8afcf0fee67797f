/*
 * source: an upstream's health as the source lines say it (DESIGN.md):
 * unknown (nothing said yet), ok, degraded, down, with a detail and an
 * optional retry delay. The one state and line builder for espn-poll and
 * kalshi-tap, and live-games' ESPN and Postgres health; when to change
 * state stays the tool's. Pure: no I/O.
 */
#ifndef COURTSIDE_SOURCE_H
#define COURTSIDE_SOURCE_H

#include <stdint.h>

#include <jansson.h>

enum source_state { SOURCE_UNKNOWN, SOURCE_OK, SOURCE_DEGRADED, SOURCE_DOWN };

struct source {
	const char		*src;		/* "espn", "kalshi"; borrowed */
	enum source_state	 state;
	char			 detail[256];
	int64_t			 retry_ms;	/* < 0: none */
};

/* Unknown, for upstream src (borrowed: a string literal). */
void	source_init(struct source *s, const char *src);
/*
 * Records state, detail (NULL: "") and retry_ms (< 0: none). Returns 1
 * when the state or the detail changed (a source line is due), else 0.
 */
int	source_set(struct source *s, enum source_state state,
	    const char *detail, int64_t retry_ms);
/* "unknown", "ok", "degraded", "down". */
const char *source_state_name(enum source_state state);
/* Returns a new source line of s at ts, or NULL (unknown, or ENOMEM). */
json_t	*source_line(const struct source *s, int64_t ts);

#endif
