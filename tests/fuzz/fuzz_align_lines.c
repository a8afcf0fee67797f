/*
 * fuzz_align_lines: stream bytes through two aligner engines with small
 * limits: one fed parsed objects (ndjson.c, jansson), one fed raw lines
 * (align_feed_line, whose scanner skips jansson). Every line either
 * writes must be one JSON object ending in '\n', and both must write
 * the same bytes, through the flush and the snapshot. A first line
 * starting with "M " is loaded as a map file line instead.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aligner/align.h"
#include "ndjson.h"

struct out {
	char	*p;
	size_t	 len, cap;
};

static void
check_line(void *arg, const char *line, size_t len)
{
	struct out *o = arg;
	json_t *j;

	if (len == 0 || line[len - 1] != '\n' ||
	    memchr(line, '\n', len - 1) != NULL)
		abort();
	if ((j = json_loadb(line, len, 0, NULL)) == NULL || !json_is_object(j))
		abort();
	json_decref(j);
	if (o->len + len > o->cap) {
		o->cap = (o->len + len) * 2;
		if ((o->p = realloc(o->p, o->cap)) == NULL)
			abort();
	}
	memcpy(o->p + o->len, line, len);
	o->len += len;
}

static void
on_line(void *arg, json_t *obj, const char *line, size_t len)
{
	struct errbuf err;

	align_feed(arg, obj, line, len, &err);
}

static struct align *
engine(struct out *o)
{
	struct align_cfg cfg;

	memset(&cfg, 0, sizeof(cfg));
	cfg.max_points = 32;
	cfg.max_games = 4;
	cfg.max_unmapped = 16;
	cfg.max_tick = 8;
	cfg.epoch = 1;
	cfg.emit = check_line;
	cfg.arg = o;
	return align_new(&cfg);
}

/* Splits like ndjson.c: '\r' trimmed, blank lines and long ones skipped. */
static void
feed_raw(struct align *a, const char *p, size_t size)
{
	const char *end = p + size, *nl;
	struct errbuf err;
	size_t n, i;

	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		n = (size_t)(nl - p);
		if (n > 4096)
			continue;
		if (n > 0 && p[n - 1] == '\r')
			n--;
		for (i = 0; i < n && (p[i] == ' ' || p[i] == '\t'); i++)
			;
		if (i < n)
			align_feed_line(a, p, n, &err);
	}
}

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ndjson_reader rd;
	struct out oa = { NULL, 0, 0 }, ob = { NULL, 0, 0 };
	struct align *a, *b;
	struct errbuf err;
	const char *p = (const char *)data, *nl;

	a = engine(&oa);
	b = engine(&ob);
	if (a == NULL || b == NULL)
		abort();
	if (size > 2 && p[0] == 'M' && p[1] == ' ' &&
	    (nl = memchr(p, '\n', size)) != NULL) {
		align_map_load(a, p + 2, (size_t)(nl - p - 2), &err);
		align_map_load(b, p + 2, (size_t)(nl - p - 2), &err);
		size -= (size_t)(nl - p) + 1;
		p = nl + 1;
	}
	ndjson_reader_init(&rd, 4096, on_line, NULL, a);
	ndjson_reader_feed(&rd, p, size);
	ndjson_reader_finish(&rd);
	ndjson_reader_fini(&rd);
	feed_raw(b, p, size);
	align_flush(a);
	align_flush(b);
	align_snapshot(a, check_line, &oa);
	align_snapshot(b, check_line, &ob);
	if (oa.len != ob.len || (oa.len && memcmp(oa.p, ob.p, oa.len) != 0))
		abort();
	free(oa.p);
	free(ob.p);
	align_free(a);
	align_free(b);
	return 0;
}
