/*
 * bentry: checks a stream entry against the aligner's layout. Pure; it
 * must not trust a single byte of the entry (anyone can XADD).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bentry.h"

static const struct bfield *
field(const struct bfield *kv, size_t n, const char *name)
{
	size_t i, len = strlen(name);

	for (i = 0; i + 1 < n; i += 2)
		if (kv[i].len == len && memcmp(kv[i].p, name, len) == 0)
			return &kv[i + 1];
	return NULL;
}

static int
is(const struct bfield *f, const char *s)
{
	return f != NULL && f->len == strlen(s) && memcmp(f->p, s, f->len) == 0;
}

static json_t *
load(const struct bfield *f, enum bentry_why *why)
{
	json_t *o = json_loadb(f->p, f->len, JSON_REJECT_DUPLICATES, NULL);

	if (!json_is_object(o)) {
		json_decref(o);
		*why = BENTRY_BAD_JSON;
		return NULL;
	}
	return o;
}

static int
type_is(const json_t *o, const char *type)
{
	const char *t = json_string_value(json_object_get(o, "type"));

	return t != NULL && strcmp(t, type) == 0;
}

static int
game_is(const json_t *o, const char *game_id)
{
	const char *g = json_string_value(json_object_get(o, "game_id"));

	return g != NULL && strcmp(g, game_id) == 0;
}

/* A tick of game_id with a usable epoch and seq. */
static int
tick_ok(struct bentry *e, const json_t *o, const char *game_id)
{
	const json_t *ep = json_object_get(o, "epoch");
	const json_t *sq = json_object_get(o, "seq");

	if (!type_is(o, "tick") || !game_is(o, game_id) ||
	    !json_is_integer(ep) || !json_is_integer(sq) ||
	    json_integer_value(ep) < 0 || json_integer_value(sq) < 1)
		return 0;
	e->epoch = (int64_t)json_integer_value(ep);
	e->seq = (int64_t)json_integer_value(sq);
	return 1;
}

static enum bentry_why
parse_game_stream(const struct bfield *kv, size_t n, const struct bfield *k,
    const char *game_id, struct bentry *e)
{
	const struct bfield *g, *t, *l;
	enum bentry_why why = BENTRY_WRONG_TYPE;
	json_t *o;

	if (is(k, "full")) {
		g = field(kv, n, "game");
		t = field(kv, n, "tick");
		if (g == NULL && t == NULL)
			return BENTRY_WRONG_TYPE;
		e->kind = BENTRY_FULL;
		if (g != NULL) {
			if ((e->game = load(g, &why)) == NULL)
				return why;
			if (!type_is(e->game, "game") ||
			    !game_is(e->game, game_id))
				return BENTRY_WRONG_TYPE;
		}
		if (t != NULL) {
			if ((e->tick = load(t, &why)) == NULL)
				return why;
			if (!tick_ok(e, e->tick, game_id))
				return BENTRY_WRONG_TYPE;
		}
		return BENTRY_OK;
	}
	if (!is(k, "line") || (l = field(kv, n, "line")) == NULL)
		return BENTRY_WRONG_TYPE;
	e->kind = BENTRY_LINE;
	if ((o = load(l, &why)) == NULL)
		return why;
	if (type_is(o, "game") && game_is(o, game_id)) {
		e->game = o;
		return BENTRY_OK;
	}
	if (tick_ok(e, o, game_id)) {
		e->tick = o;
		return BENTRY_OK;
	}
	json_decref(o);
	return BENTRY_WRONG_TYPE;
}

static enum bentry_why
parse_index(const struct bfield *kv, size_t n, const struct bfield *k,
    struct bentry *e)
{
	const struct bfield *f;
	enum bentry_why why = BENTRY_WRONG_TYPE;

	if (is(k, "game")) {
		f = field(kv, n, "id");
		if (f == NULL || f->len > WSPATH_ID_MAX ||
		    !wspath_valid_id(f->p, f->len))
			return BENTRY_WRONG_TYPE;
		e->kind = BENTRY_GAME;
		memcpy(e->id, f->p, f->len);
		e->id[f->len] = '\0';
		return BENTRY_OK;
	}
	if (!is(k, "source") || (f = field(kv, n, "line")) == NULL)
		return BENTRY_WRONG_TYPE;
	e->kind = BENTRY_SOURCE;
	if ((e->source = load(f, &why)) == NULL)
		return why;
	return type_is(e->source, "source") ? BENTRY_OK : BENTRY_WRONG_TYPE;
}

enum bentry_why
bentry_parse(const struct bfield *kv, size_t n, const char *game_id,
    size_t max_line, struct bentry *e)
{
	const struct bfield *k;
	enum bentry_why why;
	size_t i;

	memset(e, 0, sizeof(*e));
	for (i = 0; i < n; i++)
		if (kv[i].len > max_line)
			return BENTRY_TOO_BIG;
	if ((k = field(kv, n, "k")) == NULL)
		return BENTRY_FOREIGN;
	why = game_id != NULL ? parse_game_stream(kv, n, k, game_id, e) :
	    parse_index(kv, n, k, e);
	if (why != BENTRY_OK)
		bentry_fini(e);
	return why;
}

void
bentry_fini(struct bentry *e)
{
	json_decref(e->game);
	json_decref(e->tick);
	json_decref(e->source);
	e->game = e->tick = e->source = NULL;
}

const char *
bentry_why_name(enum bentry_why why)
{
	switch (why) {
	case BENTRY_OK:
		return "ok";
	case BENTRY_FOREIGN:
		return "foreign";
	case BENTRY_WRONG_TYPE:
		return "wrong_type";
	case BENTRY_TOO_BIG:
		return "too_big";
	case BENTRY_BAD_JSON:
		return "not_json";
	}
	return "other";
}

int
bentry_id_parse(const char *p, size_t len, struct bentry_id *id)
{
	char buf[48], *dash, *end;

	if (len == 0 || len >= sizeof(buf))
		return -1;
	memcpy(buf, p, len);
	buf[len] = '\0';
	if ((dash = strchr(buf, '-')) == NULL || dash == buf ||
	    dash[1] == '\0' || buf[0] < '0' || buf[0] > '9' ||
	    dash[1] < '0' || dash[1] > '9')
		return -1;
	*dash = '\0';
	id->ms = strtoull(buf, &end, 10);
	if (*end != '\0')
		return -1;
	id->sq = strtoull(dash + 1, &end, 10);
	return *end == '\0' ? 0 : -1;
}

int
bentry_id_cmp(const struct bentry_id *a, const struct bentry_id *b)
{
	if (a->ms != b->ms)
		return a->ms < b->ms ? -1 : 1;
	if (a->sq != b->sq)
		return a->sq < b->sq ? -1 : 1;
	return 0;
}

void
bentry_id_fmt(const struct bentry_id *id, char *buf, size_t n, int exclusive)
{
	snprintf(buf, n, "%s%" PRIu64 "-%" PRIu64, exclusive ? "(" : "",
	    id->ms, id->sq);
}
