/*
 * kalshi_rest: HTTP GETs with libcurl's multi-socket API on the caller's
 * libuv loop, whole bodies handed back (bounded). Never blocks the loop;
 * knows nothing of Kalshi's payloads.
 */
#ifndef KALSHI_REST_H
#define KALSHI_REST_H

#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "errbuf.h"

#define KREST_MAX_BODY	(8 * 1024 * 1024)

struct krest;

/*
 * Called once per krest_get: status is the HTTP status (0 when there was
 * no answer, error then says why); body is borrowed, NUL-terminated.
 */
typedef void (*krest_done_fn)(void *arg, long status, const char *body,
    size_t len, const char *error);

/* Returns a new client, or NULL with err set. ca_file may be NULL. */
struct krest *krest_new(uv_loop_t *loop, const char *user_agent,
	    const char *ca_file, struct errbuf *err);
/* Starts a GET. Returns 0 (done will be called), or -1 with err set. */
int	krest_get(struct krest *r, const char *url, int64_t timeout_ms,
	    krest_done_fn done, void *arg, struct errbuf *err);
/* Requests in flight. */
unsigned krest_pending(const struct krest *r);
/*
 * Cancels what is in flight (done is not called) and closes the handles;
 * memory goes in their close callbacks, so run the loop after. NULL ok.
 */
void	krest_free(struct krest *r);

#endif
