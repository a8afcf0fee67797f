/*
 * output_redis: the redis://HOST:PORT/NAME sink behind output.h (only
 * output.c calls these). Each line goes into Redis Streams: one stream
 * per game, NAME:game:ID, each epoch and each checkpoint starting with a
 * full-state entry, and NAME:games, the index of games and the source
 * lines. man/courtside.7 describes the layout and why.
 */
#ifndef COURTSIDE_OUTPUT_REDIS_H
#define COURTSIDE_OUTPUT_REDIS_H

#include "output.h"

struct oredis;

/*
 * Returns a new sink connecting to spec, or NULL with err set. outer is
 * the output handed back to cfg's callbacks (borrowed).
 */
struct oredis *oredis_open(uv_loop_t *loop, const char *spec,
	    const struct output_cfg *cfg, struct output *outer,
	    struct errbuf *err);
/* Takes one line (copied). 0, or -1 on ENOMEM. */
int	oredis_write(struct oredis *s, const char *line, size_t len);
int	oredis_busy(const struct oredis *s);
size_t	oredis_queued(const struct oredis *s);
int	oredis_connected(const struct oredis *s);
void	oredis_stats(const struct oredis *s, struct output_stats *st);
/* Flushes for up to timeout_ms, then frees s and calls done(arg). */
void	oredis_close(struct oredis *s, int64_t timeout_ms,
	    void (*done)(void *arg), void *arg);

#endif
