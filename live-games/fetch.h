/*
 * fetch: HTTP GETs through libcurl's multi-socket API on a libuv loop.
 * Thin I/O adapter: bytes in, bytes out; it neither parses nor retries.
 */
#ifndef LIVE_FETCH_H
#define LIVE_FETCH_H

#include <stddef.h>
#include <uv.h>
#include "errbuf.h"

struct fetch;

struct fetch_result {
	long		 status;	/* HTTP status; 0 for file:// or no answer */
	int		 ok;		/* transfer complete (status 2xx or file) */
	const char	*body;		/* NUL-terminated, borrowed for the call */
	size_t		 len;
	const char	*error;		/* what failed when !ok */
};

typedef void (*fetch_done_fn)(void *arg, const struct fetch_result *res);

/* Returns a new fetcher on loop, or NULL with err set. */
struct fetch *fetch_new(uv_loop_t *loop, const char *user_agent,
	    long timeout_ms, size_t max_body, struct errbuf *err);
/*
 * Starts GET url; done(arg, res) runs once, later, from the loop (never
 * from inside this call). Returns 0, or -1 with err set (done never runs).
 */
int	fetch_get(struct fetch *f, const char *url, fetch_done_fn done,
	    void *arg, struct errbuf *err);
/* Transfers started so far. */
unsigned long long fetch_count(const struct fetch *f);
/*
 * Cancels transfers (their done never runs), closes handles; memory is
 * freed from the close callbacks. NULL ok.
 */
void	fetch_free(struct fetch *f);

#endif
