/*
 * replay: writes a recorded espn-poll NDJSON file to an output with its
 * original pacing (recv_ts, else ts), speed times faster, and resends
 * what it has written to a consumer that reconnects.
 */
#ifndef ESPN_POLL_REPLAY_H
#define ESPN_POLL_REPLAY_H

#include <uv.h>
#include "errbuf.h"
#include "output.h"

struct replay;

/*
 * Returns a new replay of path onto out (borrowed), started on loop; or
 * NULL with err set when path cannot be opened. on_end(arg, code) runs
 * once at end of file (code 0) or on a read error (74).
 */
struct replay *replay_new(uv_loop_t *loop, const char *path, double speed,
	    struct output *out, void (*on_end)(void *arg, int code),
	    void *arg, struct errbuf *err);
/* Writes the latest game line per game and every wp line so far. */
void	replay_resend(struct replay *r, struct output *out);
/* Stops and closes the timer; free with replay_free after the loop ran. */
void	replay_stop(struct replay *r);
void	replay_free(struct replay *r);

#endif
