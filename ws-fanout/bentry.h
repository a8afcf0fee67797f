/*
 * bentry: one Redis Streams entry as ws-fanout reads it (the layout the
 * aligner writes, courtside(7)): field/value pairs in, a checked entry
 * out. Pure: no I/O, no globals; the values are borrowed bytes.
 */
#ifndef FANOUT_BENTRY_H
#define FANOUT_BENTRY_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "wspath.h"

/* A stream entry id, "MS-SEQ". */
struct bentry_id {
	uint64_t	ms, sq;
};

struct bfield {
	const char	*p;
	size_t		 len;
};

enum bentry_kind {
	BENTRY_FULL,	/* a game's full state: game line and/or tick */
	BENTRY_LINE,	/* one game or tick line */
	BENTRY_GAME,	/* index: a game was announced */
	BENTRY_SOURCE,	/* index: a source line */
};

enum bentry_why {
	BENTRY_OK = 0,
	BENTRY_FOREIGN,		/* not one of ours (no "k" field) */
	BENTRY_WRONG_TYPE,	/* ours, but the wrong kind or line type here */
	BENTRY_TOO_BIG,		/* a value longer than max_line */
	BENTRY_BAD_JSON,	/* a line that is not a JSON object */
};

struct bentry {
	enum bentry_kind kind;
	json_t		*game;		/* a game line (owned) or NULL */
	json_t		*tick;		/* a tick line (owned) or NULL */
	json_t		*source;	/* a source line (owned) or NULL */
	int64_t		 epoch, seq;	/* of tick, when there is one */
	char		 id[WSPATH_ID_MAX + 1];	/* BENTRY_GAME */
};

/*
 * Checks the n field/value items kv[] (n/2 pairs) of an entry of the
 * stream of game_id (NULL: the index stream). On BENTRY_OK fills e,
 * whose lines the caller releases with bentry_fini; otherwise e holds
 * nothing.
 */
enum bentry_why bentry_parse(const struct bfield *kv, size_t n,
	    const char *game_id, size_t max_line, struct bentry *e);
void	bentry_fini(struct bentry *e);
const char *bentry_why_name(enum bentry_why why);

/* Parses len bytes of "MS-SEQ" into id: 0, or -1 when malformed. */
int	bentry_id_parse(const char *p, size_t len, struct bentry_id *id);
/* <0, 0, >0 as a is before, equal to, after b. */
int	bentry_id_cmp(const struct bentry_id *a, const struct bentry_id *b);
/* Formats id into buf (n bytes), "(MS-SEQ" when exclusive. */
void	bentry_id_fmt(const struct bentry_id *id, char *buf, size_t n,
	    int exclusive);

#endif
