/*
 * ndjson: an incremental line splitter for newline-delimited JSON. Pure:
 * bytes in, complete JSON objects out through a callback; no I/O.
 * Lines longer than max_line, not JSON, or not an object are counted and
 * skipped, never fatal.
 */
#ifndef COURTSIDE_NDJSON_H
#define COURTSIDE_NDJSON_H

#include <stddef.h>
#include <jansson.h>

#include "buf.h"

#define NDJSON_DEFAULT_MAX_LINE (1024 * 1024)

enum ndjson_bad {
	NDJSON_TOO_LONG = 1,
	NDJSON_NOT_JSON,
	NDJSON_NOT_OBJECT,
};

/*
 * Called once per good line. obj is borrowed (freed after the call; take
 * a reference to keep it); it is NULL in raw mode, where the caller
 * parses and counts bad lines itself. line/len are the bytes without
 * the '\n' (not NUL-terminated).
 */
typedef void (*ndjson_line_fn)(void *arg, json_t *obj, const char *line,
    size_t len);
/* Called once per skipped line (optional). */
typedef void (*ndjson_bad_fn)(void *arg, enum ndjson_bad why,
    const char *detail);

struct ndjson_stats {
	unsigned long long	lines;		/* good lines delivered */
	unsigned long long	too_long;
	unsigned long long	not_json;
	unsigned long long	not_object;
	unsigned long long	bytes;
};

struct ndjson_reader {
	struct buf		 part;		/* partial line, max max_line */
	size_t			 max_line;
	int			 discarding;	/* inside an over-long line */
	int			 raw;		/* deliver lines unparsed (obj NULL) */
	ndjson_line_fn		 on_line;
	ndjson_bad_fn		 on_bad;
	void			*arg;
	struct ndjson_stats	 stats;
};

/* max_line 0 means NDJSON_DEFAULT_MAX_LINE. on_bad may be NULL. */
void	ndjson_reader_init(struct ndjson_reader *r, size_t max_line,
	    ndjson_line_fn on_line, ndjson_bad_fn on_bad, void *arg);
void	ndjson_reader_fini(struct ndjson_reader *r);
/*
 * Feeds n bytes; calls on_line for each complete line. Empty lines and
 * a trailing '\r' are ignored. Returns 0, or -1 on out of memory.
 */
int	ndjson_reader_feed(struct ndjson_reader *r, const char *data, size_t n);
/* End of input: a last line without '\n' is still delivered. */
void	ndjson_reader_finish(struct ndjson_reader *r);
/* Drops a partial line (a writer disconnected mid-line). */
void	ndjson_reader_reset(struct ndjson_reader *r);

/*
 * Returns a new compact one-line encoding of obj with '\n' (len set when
 * not NULL), reals to 15 significant digits; or NULL. Borrows obj. The
 * one line encoder: every tool writes through it.
 */
char	*ndjson_encode(const json_t *obj, size_t *len);

#endif
