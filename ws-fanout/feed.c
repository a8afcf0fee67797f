/*
 * feed: picks the input implementation for a spec. Must stay a switch:
 * anything an input does belongs in that input.
 */
#include <stdlib.h>

#include "feed.h"
#include "input_redis.h"
#include "redis_url.h"

struct feed {
	const char	*spec;
	struct input	*in;
	struct iredis	*rd;
};

struct feed *
feed_open(uv_loop_t *loop, const char *spec, const struct input_cfg *icfg,
    struct broker_stats *bs, struct errbuf *err)
{
	struct feed *f;

	if ((f = errbuf_calloc(sizeof(*f), err)) == NULL)
		return NULL;
	f->spec = spec;
	if (redis_url_is(spec))
		f->rd = iredis_open(loop, spec, icfg, bs, err);
	else
		f->in = input_open(loop, spec, icfg, err);
	if (f->rd == NULL && f->in == NULL) {
		free(f);
		return NULL;
	}
	return f;
}

const char *
feed_spec(const struct feed *f)
{
	return f->spec;
}

void
feed_close(struct feed *f)
{
	if (f == NULL)
		return;
	input_close(f->in);
	iredis_close(f->rd);
	free(f);
}
