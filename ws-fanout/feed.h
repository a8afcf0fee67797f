/*
 * feed: ws-fanout's one input interface. A spec is "-", a path,
 * "unix:PATH" (common/input.c) or "redis://[HOST][:PORT]/NAME"
 * (input_redis.c); either way lines reach icfg's on_line. Holds no state
 * of its own beyond which implementation is in use.
 */
#ifndef FANOUT_FEED_H
#define FANOUT_FEED_H

#include <uv.h>

#include "errbuf.h"
#include "input.h"
#include "metrics.h"

struct feed;

/*
 * Returns a new feed, or NULL with err set. bs (borrowed) receives the
 * broker's state when the input is a broker.
 */
struct feed *feed_open(uv_loop_t *loop, const char *spec,
	    const struct input_cfg *icfg, struct broker_stats *bs,
	    struct errbuf *err);
const char *feed_spec(const struct feed *f);
/* Closes the input; NULL ok. */
void	feed_close(struct feed *f);

#endif
