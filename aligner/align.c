/*
 * align: the aligner's engine behind aligner(1): its state, the line
 * dispatch (wp, quote, trade, game, source), flushes and snapshots. The
 * parts are games.c, wp.c, kalshi_map.c, map.c and tick_encode.c.
 * Must stay pure: no I/O, no clock, no globals; every table is bounded.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "hmap.h"
#include "vec.h"

#include "align_int.h"

struct align *
align_new(const struct align_cfg *cfg)
{
	struct align *a;

	if ((a = calloc(1, sizeof(*a))) == NULL)
		return NULL;
	a->cfg = *cfg;
	if (a->cfg.max_points == 0)
		a->cfg.max_points = ALIGN_DEFAULT_MAX_POINTS;
	if (a->cfg.max_games == 0)
		a->cfg.max_games = ALIGN_DEFAULT_MAX_GAMES;
	if (a->cfg.max_unmapped == 0)
		a->cfg.max_unmapped = ALIGN_DEFAULT_MAX_UNMAPPED;
	if (a->cfg.max_tick == 0)
		a->cfg.max_tick = ALIGN_DEFAULT_MAX_TICK;
	return a;
}

void
align_free(struct align *a)
{
	size_t i;

	if (a == NULL)
		return;
	for (i = 0; i < a->ngames; i++)
		games_free(a->games[i]);
	free(a->games);
	hmap_fini(&a->by_id);
	hmap_fini(&a->by_event);
	free(a->dirty);
	vec_free_all(&a->mlist, &a->nmarkets);
	hmap_fini(&a->markets);
	vec_free_all(&a->mapents, &a->nmap);
	hmap_fini(&a->map);
	hmap_fini(&a->map_games);
	free(a->pq);
	for (i = 0; i < a->nsrc; i++)
		free(a->src[i].line);
	buf_fini(&a->out);
	free(a);
}

int
align_set_line(char **dst, size_t *dlen, const char *line, size_t len)
{
	char *np;

	if ((np = malloc(len + 1)) == NULL)
		return -1;
	memcpy(np, line, len);
	np[len] = '\n';
	free(*dst);
	*dst = np;
	*dlen = len + 1;
	return 0;
}

void
align_emit(struct align *a)
{
	if (!a->out.failed)
		a->cfg.emit(a->cfg.arg, a->out.p, a->out.len);
	buf_reset(&a->out);
}

size_t
align_flush(struct align *a)
{
	size_t i, n = 0;

	for (i = 0; i < a->ndirty; i++) {
		struct game *g = a->dirty[i];

		g->dirty = 0;
		if (g->npending > 0) {
			games_flush(a, g);
			n++;
		}
	}
	a->ndirty = 0;
	return n;
}

size_t
align_dirty(const struct align *a)
{
	size_t i, n = 0;

	for (i = 0; i < a->ndirty; i++)
		if (a->dirty[i]->npending > 0)
			n++;
	return n;
}

void
align_snapshot(const struct align *a, align_emit_fn fn, void *arg)
{
	struct buf b;
	size_t i;

	buf_init(&b, 0);
	for (i = 0; i < a->nsrc; i++)
		fn(arg, a->src[i].line, a->src[i].len);
	for (i = 0; i < a->ngames; i++) {
		const struct game *g = a->games[i];

		if (g->line != NULL)
			fn(arg, g->line, g->line_len);
		if (g->seq == 0)
			continue;
		buf_reset(&b);
		tick_encode(&b, a->cfg.epoch, g, 1);
		if (!b.failed)
			fn(arg, b.p, b.len);
	}
	buf_fini(&b);
}

void
align_get_stats(const struct align *a, struct align_stats *st)
{
	*st = a->st;
	st->unmapped = a->pqn;
	st->games = a->ngames;
}

const char *
align_json_str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

int
align_json_i64(const json_t *o, const char *k, int64_t *out)
{
	json_t *v = json_object_get(o, k);
	double d;

	if (json_is_integer(v)) {
		*out = (int64_t)json_integer_value(v);
		return 0;
	}
	if (json_is_real(v)) {
		d = json_real_value(v);
		if (d == floor(d) && fabs(d) < 9e15) {
			*out = (int64_t)d;
			return 0;
		}
	}
	return -1;
}

static int
feed_source(struct align *a, const json_t *obj, const char *line, size_t len,
    struct errbuf *err)
{
	const char *src = align_json_str(obj, "src");
	size_t i;

	if (src == NULL || src[0] == '\0' || strlen(src) >= 16)
		return errbuf_set(err, "bad src"), ALIGN_BAD;
	for (i = 0; i < a->nsrc; i++)
		if (strcmp(a->src[i].src, src) == 0)
			break;
	if (i == a->nsrc && a->nsrc < MAX_SOURCES) {
		strcopy(a->src[i].src, sizeof(a->src[i].src), src);
		a->nsrc++;
	}
	if (i < a->nsrc && align_set_line(&a->src[i].line, &a->src[i].len, line,
	    len) == 0) {
		a->cfg.emit(a->cfg.arg, a->src[i].line, a->src[i].len);
	} else {
		buf_add(&a->out, line, len);
		buf_add(&a->out, "\n", 1);
		align_emit(a);
	}
	a->st.passed++;
	return ALIGN_OK;
}

static int
finish_result(struct align *a, int r)
{
	if (r == ALIGN_BAD)
		a->st.bad++;
	else if (r == ALIGN_IGNORED)
		a->st.ignored++;
	return r;
}

int
align_feed(struct align *a, json_t *obj, const char *line, size_t len,
    struct errbuf *err)
{
	const char *type = align_json_str(obj, "type");
	struct fields f;
	int r;

	a->st.lines++;
	if (type == NULL)
		r = (errbuf_set(err, "no type"), ALIGN_BAD);
	else if (strcmp(type, "wp") == 0) {
		fields_from_json(obj, &f);
		r = wp_feed(a, &f, err);
	} else if (strcmp(type, "quote") == 0 || strcmp(type, "trade") == 0) {
		fields_from_json(obj, &f);
		r = kmap_feed_quote(a, &f, type[0] == 't', err);
	} else if (strcmp(type, "game") == 0)
		r = games_feed(a, obj, line, len, err);
	else if (strcmp(type, "source") == 0)
		r = feed_source(a, obj, line, len, err);
	else
		r = ALIGN_IGNORED;
	return finish_result(a, r);
}

static int
type_is(const struct fval *v, const char *name)
{
	return v->n == strlen(name) && memcmp(v->s, name, v->n) == 0;
}

int
align_feed_line(struct align *a, const char *line, size_t len,
    struct errbuf *err)
{
	json_error_t jerr;
	struct fields f;
	const struct fval *t = &f.f[K_TYPE];
	json_t *obj;
	int r;

	/* The common lines skip jansson; the rest take the general road. */
	if (fields_scan(line, len, &f) == 1 && t->kind == F_STR &&
	    !type_is(t, "game") && !type_is(t, "source")) {
		a->st.lines++;
		if (type_is(t, "wp"))
			r = wp_feed(a, &f, err);
		else if (type_is(t, "quote"))
			r = kmap_feed_quote(a, &f, 0, err);
		else if (type_is(t, "trade"))
			r = kmap_feed_quote(a, &f, 1, err);
		else
			r = ALIGN_IGNORED;
		return finish_result(a, r);
	}
	if ((obj = json_loadb(line, len, 0, &jerr)) == NULL ||
	    !json_is_object(obj)) {
		json_decref(obj);
		a->st.not_json++;
		errbuf_set(err, "%s", obj ? "not an object" : jerr.text);
		return ALIGN_NOT_JSON;
	}
	r = align_feed(a, obj, line, len, err);
	json_decref(obj);
	return r;
}
