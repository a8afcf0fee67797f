/*
 * hmap: a string-keyed hash map and a set of 64-bit hashes, both open
 * addressing with linear probing. Pure.
 */
#include <stdlib.h>
#include <string.h>

#include "fnv.h"
#include "hmap.h"

static const char tomb[] = "";

static int
hmap_match(const struct hent *e, uint64_t h, const char *key, size_t klen)
{
	return e->key != tomb && e->h == h &&
	    strncmp(e->key, key, klen) == 0 && e->key[klen] == '\0';
}

static struct hent *
hmap_find(const struct hmap *m, const char *key, size_t klen)
{
	uint64_t h;
	size_t i;

	if (m->cap == 0)
		return NULL;
	h = fnv1a64(key, klen, FNV1A64_BASIS);
	for (i = h & (m->cap - 1); m->t[i].key != NULL;
	    i = (i + 1) & (m->cap - 1))
		if (hmap_match(&m->t[i], h, key, klen))
			return &m->t[i];
	return NULL;
}

void *
hmap_get(const struct hmap *m, const char *key, size_t klen)
{
	struct hent *e = hmap_find(m, key, klen);

	return e ? e->val : NULL;
}

int
hmap_put(struct hmap *m, const char *key, void *val)
{
	size_t klen = strlen(key), i;
	uint64_t h;
	struct hent *e;

	if ((e = hmap_find(m, key, klen)) != NULL) {
		e->key = key;
		e->val = val;
		return 0;
	}
	if ((m->used + 1) * 4 >= m->cap * 3) {
		struct hmap nm;
		size_t j, ncap = m->cap ? m->cap : 16;

		while ((m->n + 1) * 2 >= ncap)
			ncap *= 2;
		if ((nm.t = calloc(ncap, sizeof(*nm.t))) == NULL)
			return -1;
		nm.cap = ncap;
		for (j = 0; j < m->cap; j++) {
			if (m->t[j].key == NULL || m->t[j].key == tomb)
				continue;
			for (i = m->t[j].h & (ncap - 1); nm.t[i].key != NULL;
			    i = (i + 1) & (ncap - 1))
				;
			nm.t[i] = m->t[j];
		}
		free(m->t);
		m->t = nm.t;
		m->cap = ncap;
		m->used = m->n;
	}
	h = fnv1a64(key, klen, FNV1A64_BASIS);
	for (i = h & (m->cap - 1); m->t[i].key != NULL && m->t[i].key != tomb;
	    i = (i + 1) & (m->cap - 1))
		;
	if (m->t[i].key == NULL)
		m->used++;
	m->t[i].key = key;
	m->t[i].val = val;
	m->t[i].h = h;
	m->n++;
	return 0;
}

void
hmap_del(struct hmap *m, const char *key)
{
	struct hent *e = hmap_find(m, key, strlen(key));

	if (e != NULL) {
		e->key = tomb;
		e->val = NULL;
		m->n--;
	}
}

/* u64set: 0 is an empty slot, 1 a deleted one; real values avoid both. */

static uint64_t
u64key(uint64_t h)
{
	return h < 2 ? h + 2 : h;
}

int
u64set_has(const struct u64set *s, uint64_t h)
{
	size_t i;

	if (s->cap == 0)
		return 0;
	h = u64key(h);
	for (i = h & (s->cap - 1); s->t[i] != 0; i = (i + 1) & (s->cap - 1))
		if (s->t[i] == h)
			return 1;
	return 0;
}

int
u64set_add(struct u64set *s, uint64_t h)
{
	size_t i;

	h = u64key(h);
	if ((s->used + 1) * 4 >= s->cap * 3) {
		uint64_t *nt;
		size_t j, ncap = s->cap ? s->cap : 64;

		while ((s->n + 1) * 2 >= ncap)
			ncap *= 2;
		if ((nt = calloc(ncap, sizeof(*nt))) == NULL)
			return -1;
		for (j = 0; j < s->cap; j++) {
			if (s->t[j] < 2)
				continue;
			for (i = s->t[j] & (ncap - 1); nt[i] != 0;
			    i = (i + 1) & (ncap - 1))
				;
			nt[i] = s->t[j];
		}
		free(s->t);
		s->t = nt;
		s->cap = ncap;
		s->used = s->n;
	}
	for (i = h & (s->cap - 1); s->t[i] >= 2; i = (i + 1) & (s->cap - 1))
		;
	if (s->t[i] == 0)
		s->used++;
	s->t[i] = h;
	s->n++;
	return 0;
}

void
u64set_del(struct u64set *s, uint64_t h)
{
	size_t i;

	if (s->cap == 0)
		return;
	h = u64key(h);
	for (i = h & (s->cap - 1); s->t[i] != 0; i = (i + 1) & (s->cap - 1))
		if (s->t[i] == h) {
			s->t[i] = 1;
			s->n--;
			return;
		}
}

void
hmap_fini(struct hmap *m)
{
	free(m->t);
	m->t = NULL;
	m->cap = m->n = m->used = 0;
}

void
u64set_fini(struct u64set *s)
{
	free(s->t);
	s->t = NULL;
	s->cap = s->n = s->used = 0;
}
