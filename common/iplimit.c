/*
 * iplimit: connections per address in a chained hash table (FNV-1a).
 * Pure; allocates one small entry per address seen and frees it when
 * the address's last connection goes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iplimit.h"

struct iplimit_ent {
	struct iplimit_ent	*next;
	unsigned		 n;
	char			 ip[IPLIMIT_IPLEN];
};

struct iplimit {
	unsigned		 nb;
	unsigned long		 naddr;
	struct iplimit_ent	**b;
};

static unsigned
hash(const struct iplimit *t, const char *s)
{
	unsigned h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h % t->nb;
}

struct iplimit *
iplimit_new(unsigned buckets)
{
	struct iplimit *t;

	if (buckets == 0)
		buckets = 256;
	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	if ((t->b = calloc(buckets, sizeof(*t->b))) == NULL) {
		free(t);
		return NULL;
	}
	t->nb = buckets;
	return t;
}

void
iplimit_free(struct iplimit *t)
{
	struct iplimit_ent *e, *next;
	unsigned i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nb; i++)
		for (e = t->b[i]; e != NULL; e = next) {
			next = e->next;
			free(e);
		}
	free(t->b);
	free(t);
}

static struct iplimit_ent *
find(const struct iplimit *t, const char *ip)
{
	struct iplimit_ent *e;

	for (e = t->b[hash(t, ip)]; e != NULL; e = e->next)
		if (strcmp(e->ip, ip) == 0)
			return e;
	return NULL;
}

unsigned
iplimit_count(const struct iplimit *t, const char *ip)
{
	const struct iplimit_ent *e = find(t, ip);

	return e ? e->n : 0;
}

struct iplimit_ent *
iplimit_take(struct iplimit *t, const char *ip)
{
	struct iplimit_ent *e = find(t, ip);
	unsigned h;

	if (e == NULL) {
		if ((e = calloc(1, sizeof(*e))) == NULL)
			return NULL;
		snprintf(e->ip, sizeof(e->ip), "%s", ip);
		h = hash(t, e->ip);
		e->next = t->b[h];
		t->b[h] = e;
		t->naddr++;
	}
	e->n++;
	return e;
}

void
iplimit_release(struct iplimit *t, struct iplimit_ent *e)
{
	struct iplimit_ent **pp;

	if (e == NULL || --e->n > 0)
		return;
	for (pp = &t->b[hash(t, e->ip)]; *pp != NULL; pp = &(*pp)->next)
		if (*pp == e) {
			*pp = e->next;
			free(e);
			t->naddr--;
			return;
		}
}

unsigned long
iplimit_addresses(const struct iplimit *t)
{
	return t->naddr;
}
