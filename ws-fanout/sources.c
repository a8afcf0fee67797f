/*
 * sources: the upstream-health table and its JSON (see sources.h),
 * moved out of rooms.c as it was.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "sources.h"

int
sources_state_valid(const char *state)
{
	return strcmp(state, "ok") == 0 || strcmp(state, "degraded") == 0 ||
	    strcmp(state, "down") == 0;
}

int
sources_set(struct sources *t, const char *name, const char *state,
    int *was_ok)
{
	unsigned i;

	for (i = 0; i < t->n; i++)
		if (strcmp(t->src[i].name, name) == 0)
			break;
	if (i == t->n) {
		if (t->n == SOURCES_MAX)
			return -1;
		t->n++;
		snprintf(t->src[i].name, sizeof(t->src[i].name), "%s", name);
		t->src[i].state[0] = '\0';
	}
	if (strcmp(t->src[i].state, state) == 0)
		return 0;
	*was_ok = t->src[i].state[0] == '\0' ||
	    strcmp(t->src[i].state, "ok") == 0;
	snprintf(t->src[i].state, sizeof(t->src[i].state), "%s", state);
	return 1;
}

void
sources_add_json(const struct sources *t, struct buf *b)
{
	unsigned i;

	buf_adds(b, ",\"sources\":{");
	for (i = 0; i < t->n; i++) {
		if (i > 0)
			buf_adds(b, ",");
		buf_add_jstr(b, t->src[i].name);
		buf_adds(b, ":");
		buf_add_jstr(b, t->src[i].state);
	}
	buf_adds(b, "}");
}

struct msg *
sources_notice(size_t pre, const char *name, const char *state,
    const char *detail, const char *game_id, int64_t ts)
{
	int bad = strcmp(state, "ok") != 0;
	struct buf b, t;
	struct msg *m;

	buf_init(&b, 64 * 1024);
	buf_addf(&b, "{\"type\":\"%s\",\"code\":\"source_%s\",\"source\":",
	    bad ? "error" : "notice", state);
	buf_add_jstr(&b, name);
	if (game_id != NULL) {
		buf_adds(&b, ",\"game_id\":");
		buf_add_jstr(&b, game_id);
	}
	buf_adds(&b, ",\"message\":");
	buf_init(&t, 1024);
	buf_addf(&t, "%s: ", name);
	buf_adds(&t, detail != NULL ? detail : state);
	if (t.failed) {	/* an over-long detail: cut it */
		t.failed = 0;
		t.len = 0;
		buf_addf(&t, "%s: %s", name, state);
	}
	buf_add_jstr(&b, t.p);
	buf_fini(&t);
	buf_addf(&b, ",\"timestamp\":%" PRId64 "}", ts);
	m = b.failed ? NULL : msg_new(MSG_NOTICE, pre, b.p, b.len);
	buf_fini(&b);
	return m;
}
