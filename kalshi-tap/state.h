/*
 * state: the file primitives of kalshi-tap's --state file, the quote
 * lines it wrote, one per line. Checks a line (pure), reads the file,
 * appends to it and rewrites it whole (FILE.tmp, then rename). Never log.
 * The tap's state_load/state_append are in tap.h.
 */
#ifndef TAP_STATEFILE_H
#define TAP_STATEFILE_H

#include <stddef.h>
#include <stdint.h>

#include "errbuf.h"

/*
 * 0 when line (len bytes, ending in '\n') is a quote line as kalshi-tap
 * writes it: a JSON object with type "quote", src "kalshi", a ticker and an
 * integer ts. Copies the ticker into ticker (tlen bytes) and ts into *ts.
 * Else -1 with err set. Pure: no I/O, no allocation kept.
 */
int	tap_state_parse_line(const char *line, size_t len, char *ticker,
	    size_t tlen, int64_t *ts, struct errbuf *err);

/*
 * Reads path whole, if it holds at most max bytes. Returns a new
 * NUL-terminated buffer and its length in *len; NULL with *missing = 1
 * when there is no such file, NULL with *missing = 0 and err set on other
 * errors (a larger file is one).
 */
char	*tap_state_read(const char *path, size_t max, size_t *len,
	    int *missing, struct errbuf *err);

/* Opens path for appending (created 0600). Returns an fd, or -1. */
int	tap_state_open(const char *path, struct errbuf *err);

/* Writes len bytes to fd whole. Returns 0, or -1 with err set. */
int	tap_state_write(int fd, const char *s, size_t len, struct errbuf *err);

/*
 * A rewrite: begin opens path.tmp (truncated) and returns its fd, or -1;
 * the caller writes the lines with tap_state_write, then commit syncs,
 * closes and renames it over path (0, or -1 with err set, the temporary
 * removed), or abort closes and removes it. tmp holds the name (len tlen).
 */
int	tap_state_begin(const char *path, char *tmp, size_t tlen,
	    struct errbuf *err);
int	tap_state_commit(int fd, const char *tmp, const char *path,
	    struct errbuf *err);
void	tap_state_abort(int fd, const char *tmp);

#endif
