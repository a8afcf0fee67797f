/* Unit tests for common/ndjson.c: splitting, limits and bad lines. */
#include <stdlib.h>

#include "ndjson.h"
#include "t.h"

struct seen {
	int	n;
	char	last[256];
	int	bad[4];
};

static void
on_line(void *arg, json_t *obj, const char *line, size_t len)
{
	struct seen *s = arg;
	const char *v = json_string_value(json_object_get(obj, "k"));

	s->n++;
	snprintf(s->last, sizeof(s->last), "%s", v ? v : "");
	(void)line;
	(void)len;
}

static void
on_raw(void *arg, json_t *obj, const char *line, size_t len)
{
	struct seen *s = arg;

	T_CHECK(obj == NULL);
	s->n++;
	snprintf(s->last, sizeof(s->last), "%.*s", (int)len, line);
}

static void
on_bad(void *arg, enum ndjson_bad why, const char *detail)
{
	struct seen *s = arg;

	s->bad[why]++;
	(void)detail;
}

static void
feed_str(struct ndjson_reader *r, const char *s)
{
	T_EQ_INT(ndjson_reader_feed(r, s, strlen(s)), 0);
}

int
main(void)
{
	struct ndjson_reader r;
	struct seen s;
	const char *doc = "{\"k\":\"a\"}\n{\"k\":\"b\"}\r\n\n  \n{\"k\":\"c\"}\n";
	char *enc, *big;
	size_t i, len;
	json_t *o;

	/* Every way of cutting the same bytes gives the same lines. */
	for (i = 1; i <= strlen(doc); i++) {
		size_t off;

		memset(&s, 0, sizeof(s));
		ndjson_reader_init(&r, 0, on_line, on_bad, &s);
		for (off = 0; off < strlen(doc); off += i) {
			size_t n = strlen(doc) - off < i ? strlen(doc) - off : i;

			T_EQ_INT(ndjson_reader_feed(&r, doc + off, n), 0);
		}
		ndjson_reader_finish(&r);
		T_EQ_INT(s.n, 3);
		T_EQ_STR(s.last, "c");
		T_EQ_INT(r.stats.lines, 3);
		ndjson_reader_fini(&r);
	}

	/* Bad lines are counted and skipped; good ones around them pass. */
	memset(&s, 0, sizeof(s));
	ndjson_reader_init(&r, 64, on_line, on_bad, &s);
	feed_str(&r, "{\"k\":\"1\"}\nnot json\n[1,2]\n\"str\"\n{\"k\":");
	feed_str(&r, "\"2\"}\n{\"k\":\"trunc\"\n");
	T_EQ_INT(s.n, 2);
	T_EQ_INT(s.bad[NDJSON_NOT_JSON], 2);
	T_EQ_INT(s.bad[NDJSON_NOT_OBJECT], 2);
	/* Over the 64-byte limit, in one chunk and across chunks. */
	big = malloc(300);
	memset(big, 'x', 299);
	big[299] = '\0';
	feed_str(&r, "{\"k\":\"");
	feed_str(&r, big);
	feed_str(&r, big);
	feed_str(&r, "\"}\n{\"k\":\"after\"}\n");
	T_EQ_INT(s.bad[NDJSON_TOO_LONG], 1);
	T_EQ_STR(s.last, "after");
	feed_str(&r, "{\"k\":\"");
	feed_str(&r, big);
	feed_str(&r, "\"}\n");
	T_EQ_INT(s.bad[NDJSON_TOO_LONG], 2);
	/* The buffer never grew past the limit. */
	T_CHECK(r.part.cap <= 64 + 1);	/* with the NUL */
	T_EQ_INT(r.stats.too_long, 2);
	T_EQ_INT(r.stats.not_json, 2);
	T_EQ_INT(r.stats.not_object, 2);
	/* Exactly at the limit is fine. */
	{
		char line[80];

		snprintf(line, sizeof(line), "{\"k\":\"%.*s\"}\n", 64 - 8, big);
		T_EQ_INT(strlen(line), 65);
		feed_str(&r, line);
		T_EQ_INT(s.bad[NDJSON_TOO_LONG], 2);
		T_EQ_INT(s.n, 4);
	}
	/* A last line without newline comes out at finish; reset drops it. */
	feed_str(&r, "{\"k\":\"tail\"}");
	T_EQ_INT(s.n, 4);
	ndjson_reader_finish(&r);
	T_EQ_INT(s.n, 5);
	T_EQ_STR(s.last, "tail");
	feed_str(&r, "{\"k\":\"gone\"}");
	ndjson_reader_reset(&r);
	ndjson_reader_finish(&r);
	T_EQ_INT(s.n, 5);
	ndjson_reader_fini(&r);
	free(big);

	/* Raw mode hands lines over unparsed; only length limits apply. */
	memset(&s, 0, sizeof(s));
	ndjson_reader_init(&r, 16, on_raw, on_bad, &s);
	r.raw = 1;
	feed_str(&r, "not json\n{\"k\":1}\nxxxxxxxxxxxxxxxxxxxxxxxx\n");
	T_EQ_INT(s.n, 2);
	T_EQ_STR(s.last, "{\"k\":1}");
	T_EQ_INT(s.bad[NDJSON_TOO_LONG], 1);
	ndjson_reader_fini(&r);

	/* Encoding: compact, one line, '\n'-terminated, UTF-8 kept. */
	o = json_pack("{s:s, s:i}", "type", "caf\xc3\xa9", "n", 1);
	enc = ndjson_encode(o, &len);
	T_EQ_STR(enc, "{\"type\":\"caf\xc3\xa9\",\"n\":1}\n");
	T_EQ_INT(len, strlen(enc));
	free(enc);
	json_decref(o);
	/* Reals as parsed: 0.54, not 0.54000000000000004. */
	o = json_pack("{s:f, s:f, s:f}", "bid", 0.54, "p", 0.1 + 0.2, "ts",
	    1748736371880.0);
	enc = ndjson_encode(o, NULL);
	T_EQ_STR(enc, "{\"bid\":0.54,\"p\":0.3,\"ts\":1748736371880.0}\n");
	free(enc);
	json_decref(o);
	return t_done("ndjson");
}
