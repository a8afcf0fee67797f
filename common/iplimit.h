/*
 * iplimit: a count of connections per client address, for per-address
 * limits. Pure (no I/O); the caller decides what a count means and when
 * it is over. An address's entry lives while its count is above zero.
 */
#ifndef COURTSIDE_IPLIMIT_H
#define COURTSIDE_IPLIMIT_H

#define IPLIMIT_IPLEN	64	/* longest address text kept, NUL included */

struct iplimit;
struct iplimit_ent;

/* Returns a new empty table with the given bucket count, or NULL. */
struct iplimit *iplimit_new(unsigned buckets);
/* Frees t and every entry still in it. NULL ok. */
void	iplimit_free(struct iplimit *t);
/* Connections counted for ip (0 when none). */
unsigned iplimit_count(const struct iplimit *t, const char *ip);
/*
 * Counts one more connection for ip; returns its entry (owned by t,
 * valid until the matching iplimit_release), or NULL out of memory.
 */
struct iplimit_ent *iplimit_take(struct iplimit *t, const char *ip);
/* Counts one less; the entry goes at zero. NULL ok. */
void	iplimit_release(struct iplimit *t, struct iplimit_ent *e);
/* Addresses with a count above zero. */
unsigned long iplimit_addresses(const struct iplimit *t);

#endif
