/* source: an upstream's health and its source line. Pure. */
#include <stdio.h>
#include <string.h>

#include "source.h"

static const char *const names[] = { "unknown", "ok", "degraded", "down" };

void
source_init(struct source *s, const char *src)
{
	memset(s, 0, sizeof(*s));
	s->src = src;
	s->state = SOURCE_UNKNOWN;
	s->retry_ms = -1;
}

int
source_set(struct source *s, enum source_state state, const char *detail,
    int64_t retry_ms)
{
	int changed;

	if (detail == NULL)
		detail = "";
	changed = state != s->state || strncmp(s->detail, detail,
	    sizeof(s->detail) - 1) != 0;
	s->state = state;
	snprintf(s->detail, sizeof(s->detail), "%s", detail);
	s->retry_ms = retry_ms;
	return changed;
}

const char *
source_state_name(enum source_state state)
{
	return (unsigned)state < sizeof(names) / sizeof(names[0]) ?
	    names[state] : "unknown";
}

json_t *
source_line(const struct source *s, int64_t ts)
{
	json_t *o;

	if (s->state == SOURCE_UNKNOWN)
		return NULL;
	o = json_pack("{s:s, s:s, s:I, s:s, s:s}", "type", "source", "src",
	    s->src, "ts", (json_int_t)ts, "state", source_state_name(s->state),
	    "detail", s->detail);
	if (o != NULL && s->retry_ms >= 0 &&
	    json_object_set_new(o, "retry_in_ms",
	    json_integer((json_int_t)s->retry_ms)) != 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}
