/*
 * fetch: HTTP GETs through libcurl's multi-socket API on a libuv loop.
 * Non-blocking; connections are reused across requests; gzip; a fixed
 * User-Agent; conditional requests from a caller-kept ETag/Last-Modified.
 * It knows nothing about ESPN or Kalshi; espn-poll, kalshi-tap and
 * live-games share it.
 */
#ifndef COURTSIDE_FETCH_H
#define COURTSIDE_FETCH_H

#include <stddef.h>
#include <stdint.h>
#include <uv.h>
#include "errbuf.h"

struct fetch;

struct fetch_cfg {
	const char	*user_agent;	/* borrowed for the fetch's lifetime */
	int64_t		 timeout_ms;	/* whole request; 0: 10 s */
	int64_t		 connect_timeout_ms; /* 0: 5 s */
	size_t		 max_body;	/* decoded bytes; 0: 16 MiB */
	const char	*ca_file;	/* trust these CAs instead (tests) */
};

struct fetch_result {
	int		 ok;		/* transfer completed (any HTTP status) */
	long		 status;	/* HTTP status; 0 for file:// or failure */
	const char	*error;		/* when !ok: what failed */
	int		 not_modified;	/* 304 */
	const char	*body;		/* NUL-terminated; borrowed, valid in
					   the callback only */
	size_t		 len;
	const char	*etag;		/* response validators, NULL if none */
	const char	*last_modified;
	long long	 wire_bytes;	/* bytes received (compressed) */
	int64_t		 retry_after_ms;	/* Retry-After as a delay from
					   now (at most a day), or -1 */
};

/* Called once per fetch_get that returned 0, unless the fetch is freed. */
typedef void (*fetch_done_fn)(void *arg, const struct fetch_result *r);

/* Returns a new fetch engine on loop, or NULL with err set. */
struct fetch *fetch_new(uv_loop_t *loop, const struct fetch_cfg *cfg,
	    struct errbuf *err);
/*
 * Starts GET url; etag / last_modified (may be NULL) make it conditional.
 * All strings are copied. Returns 0, or -1 with err set (then done is
 * never called).
 */
int	fetch_get(struct fetch *f, const char *url, const char *etag,
	    const char *last_modified, fetch_done_fn done, void *arg,
	    struct errbuf *err);
/* Requests started so far. */
unsigned long long fetch_count(const struct fetch *f);
/*
 * Abandons requests in flight (their callbacks never run), closes the
 * loop handles and frees f once they are closed. NULL is a no-op.
 */
void	fetch_free(struct fetch *f);

#endif
