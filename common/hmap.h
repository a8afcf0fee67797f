/*
 * hmap: open-addressing hash tables. struct hmap maps strings to
 * pointers; its keys are borrowed (usually from the values they index)
 * and must outlive their entries. struct u64set holds 64-bit hashes.
 * Both grow by doubling, never shrink; zeroed storage is an empty table.
 * Pure: no I/O, no globals but a tombstone.
 */
#ifndef COURTSIDE_HMAP_H
#define COURTSIDE_HMAP_H

#include <stddef.h>
#include <stdint.h>

struct hent {
	const char	*key;
	void		*val;
	uint64_t	 h;
};

struct hmap {
	struct hent	*t;
	size_t		 cap, n, used;	/* used: live and deleted slots */
};

/* The value for key (klen bytes, no NUL needed), or NULL. */
void	*hmap_get(const struct hmap *m, const char *key, size_t klen);
/* Sets key (NUL-terminated, borrowed) to val. Returns 0, or -1 (ENOMEM). */
int	 hmap_put(struct hmap *m, const char *key, void *val);
/* Removes key, if there. */
void	 hmap_del(struct hmap *m, const char *key);
/* Frees the table; m is empty after. */
void	 hmap_fini(struct hmap *m);

struct u64set {
	uint64_t	*t;
	size_t		 cap, n, used;
};

/* Hashes, not values: 0 and 1 count as 2 and 3 (the set's markers). */
int	 u64set_has(const struct u64set *s, uint64_t h);
/* Adds h; check u64set_has first (a second add holds it twice). Returns
 * 0, or -1 (ENOMEM). */
int	 u64set_add(struct u64set *s, uint64_t h);
void	 u64set_del(struct u64set *s, uint64_t h);
void	 u64set_fini(struct u64set *s);

#endif
