/*
 * input_redis: ws-fanout's input from Redis Streams (-i redis://...),
 * beside common/input (app.c picks by the spec). At start and on every
 * reconnect it reads the index of games, rebuilds each game from its
 * latest full-state entry, then follows every stream with XREAD BLOCK
 * from the last entry it has. A seq gap makes it rebuild that game; it
 * never skips silently. Lines go to icfg's on_line like any other input's.
 */
#ifndef FANOUT_INPUT_REDIS_H
#define FANOUT_INPUT_REDIS_H

#include <uv.h>

#include "errbuf.h"
#include "input.h"
#include "metrics.h"

struct iredis;

/*
 * Returns a new input reading spec (redis://[HOST][:PORT]/NAME), or NULL
 * with err set. bs (borrowed, must outlive it) is kept up to date.
 */
struct iredis *iredis_open(uv_loop_t *loop, const char *spec,
	    const struct input_cfg *icfg, struct broker_stats *bs,
	    struct errbuf *err);
/* Stops; memory goes once the handles are closed. NULL ok. */
void	iredis_close(struct iredis *s);

#endif
