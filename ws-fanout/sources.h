/*
 * sources: the upstream-health table behind ws-fanout's source lines
 * (espn, kalshi: ok, degraded or down) and the text subscribers see of
 * it: the snapshot's "sources" object and the source_* notice. Pure: no
 * I/O, no clock, no globals; split from rooms.c, which owns the table.
 */
#ifndef FANOUT_SOURCES_H
#define FANOUT_SOURCES_H

#include <stddef.h>
#include <stdint.h>

#include "msg.h"

#define SOURCES_MAX		8	/* = ROOMS_MAX_SOURCES */
#define SOURCES_NAME_MAX	15	/* = ROOMS_SOURCE_NAME_MAX */

struct sources {
	struct {
		char	name[SOURCES_NAME_MAX + 1];
		char	state[16];
	}		 src[SOURCES_MAX];
	unsigned	 n;
};

/* 1 when state is one a source line may carry: ok, degraded, down. */
int	sources_state_valid(const char *state);
/*
 * Records name's state (name at most SOURCES_NAME_MAX bytes). Returns 1
 * when it changed, with *was_ok set when the old state was ok or none;
 * 0 when unchanged; -1 when the table is full.
 */
int	sources_set(struct sources *t, const char *name, const char *state,
	    int *was_ok);
/* Appends ,"sources":{"name":"state",...} to b. */
void	sources_add_json(const struct sources *t, struct buf *b);
/*
 * Returns a new notice (type error unless state is ok, code source_STATE)
 * for name, about game_id when not NULL; detail, cut when over-long, or
 * the state is its message. NULL when out of memory.
 */
struct msg *sources_notice(size_t pre, const char *name, const char *state,
	    const char *detail, const char *game_id, int64_t ts);

#endif
