/*
 * input: NDJSON input on libuv. A spec is "-" (stdin), a path (regular
 * file or FIFO), or "unix:PATH" (listen there; any number of writers may
 * connect, disconnect and reconnect). Each connection has its own line
 * splitter, so lines from different writers never mix.
 */
#ifndef COURTSIDE_INPUT_H
#define COURTSIDE_INPUT_H

#include <uv.h>
#include "errbuf.h"
#include "ndjson.h"

struct input;

struct input_cfg {
	size_t		max_line;	/* 0: NDJSON_DEFAULT_MAX_LINE */
	int		max_conns;	/* unix: at most this many writers; 0: 64 */
	int		raw;		/* hand lines over unparsed (obj NULL) */
	/* One good line. obj is borrowed. conn identifies the writer. */
	void		(*on_line)(void *arg, struct input *in, unsigned conn,
			    json_t *obj, const char *line, size_t len);
	/* A skipped line (optional; the input counts them anyway). */
	void		(*on_bad)(void *arg, struct input *in,
			    enum ndjson_bad why, const char *detail);
	/* unix: a writer connected / went away (optional). */
	void		(*on_conn)(void *arg, struct input *in, unsigned conn,
			    int up);
	/* "-" or a path: end of input (never called for unix:). */
	void		(*on_eof)(void *arg, struct input *in);
	/* A read error that ends this input (optional). */
	void		(*on_error)(void *arg, struct input *in,
			    const char *what, int uverr);
	void		*arg;
};

/*
 * Opens spec on loop. Returns a new input, or NULL with err set. Reading
 * starts at once.
 */
struct input *input_open(uv_loop_t *loop, const char *spec,
	    const struct input_cfg *cfg, struct errbuf *err);
/* Stops reading (backpressure) and starts again. */
void	input_pause(struct input *in);
void	input_resume(struct input *in);
/* Totals over all connections so far. */
void	input_stats(const struct input *in, struct ndjson_stats *st);
const char *input_spec(const struct input *in);
int	input_is_socket(const struct input *in);
/* Closes handles; memory is freed from the close callbacks. NULL ok. */
void	input_close(struct input *in);

#endif
