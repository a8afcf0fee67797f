/*
 * output: NDJSON output on libuv. A spec is "-" (stdout) or "unix:PATH"
 * (connect there; on failure reconnect with backoff, holding a bounded
 * queue meanwhile). on_connect lets the writer send its current state
 * first on each new connection (DESIGN.md, "resync from neighbours").
 * "redis://[HOST][:PORT]/NAME" writes into Redis Streams instead
 * (output_redis.c; the layout is in courtside(7)).
 */
#ifndef COURTSIDE_OUTPUT_H
#define COURTSIDE_OUTPUT_H

#include <stddef.h>
#include <uv.h>
#include "errbuf.h"

struct output;

#define OUTPUT_REDIS_DEFAULT_MAXLEN	10000	/* entries per game stream */
#define OUTPUT_REDIS_DEFAULT_EXPIRE	21600	/* s after a game is final */

struct output_cfg {
	size_t		max_queue;	/* bytes held while not connected or
					   not drained; 0: 64 MiB */
	/*
	 * unix: a connection was made. Lines written from inside this call go
	 * out before anything queued while disconnected.
	 */
	void		(*on_connect)(void *arg, struct output *out);
	/* unix: the connection dropped (optional). */
	void		(*on_disconnect)(void *arg, struct output *out);
	/* The queue fell below half of max_queue after being above (optional). */
	void		(*on_drain)(void *arg, struct output *out);
	/* stdout: a write error (EPIPE ...) that ends this output. */
	void		(*on_error)(void *arg, struct output *out, int uverr);
	/*
	 * redis: write the current state again, as on_connect does, for the
	 * output to keep the games it needs (a checkpoint, a key that went
	 * missing). Optional: on_connect is used when NULL.
	 */
	void		(*on_resync)(void *arg, struct output *out);
	void		*arg;
	/* redis: a game stream's length cap (XADD MAXLEN ~), 0: default. */
	size_t		redis_maxlen;
	/* redis: seconds a final game's stream is kept, 0: default. */
	int64_t		redis_expire_s;
};

struct output_stats {
	unsigned long long	lines;
	unsigned long long	bytes;
	unsigned long long	dropped;	/* lines shed from a full queue */
	unsigned long long	connects;
};

/* Returns a new output, or NULL with err set. */
struct output *output_open(uv_loop_t *loop, const char *spec,
	    const struct output_cfg *cfg, struct errbuf *err);
/*
 * Queues one line (len bytes, must end in '\n'); copies it. When the
 * queue is full the oldest lines are shed (counted in dropped). Returns 0,
 * or -1 when the output has failed for good.
 */
int	output_write(struct output *out, const char *line, size_t len);
/* 1 when queued bytes are above half of max_queue (slow down). */
int	output_busy(const struct output *out);
size_t	output_queued(const struct output *out);
int	output_connected(const struct output *out);
void	output_stats(const struct output *out, struct output_stats *st);
/*
 * Flushes what is queued (up to timeout_ms when connected), then closes
 * and calls done(arg). NULL out calls done at once.
 */
void	output_close(struct output *out, int64_t timeout_ms,
	    void (*done)(void *arg), void *arg);

#endif
