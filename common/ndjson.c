/*
 * ndjson: incremental line splitting with a hard line limit, and parsing
 * of each line into a JSON object. Pure: no I/O. The buffer never grows
 * past max_line bytes; a longer line is skipped to its '\n'.
 */
#include <stdlib.h>
#include <string.h>

#include "ndjson.h"

void
ndjson_reader_init(struct ndjson_reader *r, size_t max_line,
    ndjson_line_fn on_line, ndjson_bad_fn on_bad, void *arg)
{
	memset(r, 0, sizeof(*r));
	r->max_line = max_line ? max_line : NDJSON_DEFAULT_MAX_LINE;
	buf_init(&r->part, r->max_line);
	r->on_line = on_line;
	r->on_bad = on_bad;
	r->arg = arg;
}

void
ndjson_reader_fini(struct ndjson_reader *r)
{
	buf_fini(&r->part);
}

void
ndjson_reader_reset(struct ndjson_reader *r)
{
	buf_reset(&r->part);
	r->discarding = 0;
}

static void
bad(struct ndjson_reader *r, enum ndjson_bad why, const char *detail)
{
	switch (why) {
	case NDJSON_TOO_LONG:
		r->stats.too_long++;
		break;
	case NDJSON_NOT_JSON:
		r->stats.not_json++;
		break;
	case NDJSON_NOT_OBJECT:
		r->stats.not_object++;
		break;
	}
	if (r->on_bad)
		r->on_bad(r->arg, why, detail);
}

static void
deliver(struct ndjson_reader *r, const char *line, size_t len)
{
	json_error_t jerr;
	json_t *obj;

	if (len > 0 && line[len - 1] == '\r')
		len--;
	if (len == 0)
		return;
	/* Whitespace-only lines are blank, not errors. */
	{
		size_t i = 0;

		while (i < len && (line[i] == ' ' || line[i] == '\t'))
			i++;
		if (i == len)
			return;
	}
	if (r->raw) {
		r->stats.lines++;
		r->on_line(r->arg, NULL, line, len);
		return;
	}
	obj = json_loadb(line, len, JSON_DECODE_ANY, &jerr);
	if (obj == NULL) {
		bad(r, NDJSON_NOT_JSON, jerr.text);
		return;
	}
	if (!json_is_object(obj)) {
		json_decref(obj);
		bad(r, NDJSON_NOT_OBJECT, "not an object");
		return;
	}
	r->stats.lines++;
	r->on_line(r->arg, obj, line, len);
	json_decref(obj);
}

/* Adds to the partial line: 0, or -1 out of memory (the part dropped). */
static int
append(struct ndjson_reader *r, const char *data, size_t n)
{
	if (buf_add(&r->part, data, n) == 0)
		return 0;
	buf_reset(&r->part);
	return -1;
}

int
ndjson_reader_feed(struct ndjson_reader *r, const char *data, size_t n)
{
	const char *nl, *end = data + n;

	r->stats.bytes += n;
	while (data < end) {
		nl = memchr(data, '\n', (size_t)(end - data));
		if (nl == NULL) {
			size_t rest = (size_t)(end - data);

			if (r->discarding)
				return 0;
			if (r->part.len + rest > r->max_line) {
				/* Too long already: skip to the next newline. */
				buf_reset(&r->part);
				r->discarding = 1;
				bad(r, NDJSON_TOO_LONG, "line over limit");
				return 0;
			}
			return append(r, data, rest);
		}
		if (r->discarding) {
			r->discarding = 0;
		} else if (r->part.len == 0) {
			/* Common case: the whole line is in this chunk. */
			if ((size_t)(nl - data) > r->max_line)
				bad(r, NDJSON_TOO_LONG, "line over limit");
			else
				deliver(r, data, (size_t)(nl - data));
		} else if (r->part.len + (size_t)(nl - data) > r->max_line) {
			buf_reset(&r->part);
			bad(r, NDJSON_TOO_LONG, "line over limit");
		} else {
			if (append(r, data, (size_t)(nl - data)) == -1)
				return -1;
			deliver(r, r->part.p, r->part.len);
			buf_reset(&r->part);
		}
		data = nl + 1;
	}
	return 0;
}

void
ndjson_reader_finish(struct ndjson_reader *r)
{
	if (!r->discarding && r->part.len > 0)
		deliver(r, r->part.p, r->part.len);
	ndjson_reader_reset(r);
}

char *
ndjson_encode(const json_t *obj, size_t *len)
{
	char *s;
	size_t n;

	/*
	 * 15 significant digits: 0.54 stays 0.54 (17 would print
	 * 0.54000000000000004), every value ESPN and Kalshi send and every
	 * count below 1e15 round-trip.
	 */
	s = json_dumps(obj, JSON_COMPACT | JSON_REAL_PRECISION(15));
	if (s == NULL)
		return NULL;
	n = strlen(s);
	/* json_dumps allocates exactly n + 1: make room for '\n'. */
	{
		char *t = realloc(s, n + 2);

		if (t == NULL) {
			free(s);
			return NULL;
		}
		s = t;
	}
	s[n] = '\n';
	s[n + 1] = '\0';
	if (len)
		*len = n + 1;
	return s;
}
