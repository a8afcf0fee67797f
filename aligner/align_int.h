/*
 * align_int: the aligner engine's shared state, for aligner/ only (the
 * public face is align.h). Who owns what: struct align owns its games,
 * markets, map entries, pending quotes and source lines; a game owns its
 * points, its game line and its play-id set; hash-map keys are borrowed
 * from the values they index. Every module here is pure.
 */
#ifndef COURTSIDE_ALIGN_INT_H
#define COURTSIDE_ALIGN_INT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "align.h"
#include "buf.h"
#include "errbuf.h"
#include "fields.h"
#include "hmap.h"
#include "strcopy.h"
#include "vec.h"

enum { HOME = 0, AWAY = 1 };
enum { HAS_BID = 1, HAS_ASK = 2, HAS_LAST = 4 };
enum { RULE_MID = 0, RULE_AWAY_MID, RULE_LAST, RULE_AWAY_LAST };

#define NONE		((size_t)-1)
#define MAX_SOURCES	8
#define MAX_FP		4

struct espn_pt {
	int64_t		ts;
	long long	seq;
	double		home;
	int		period, home_score, away_score;
	unsigned char	has;		/* 1 period, 2 scores, 4 clock */
	unsigned char	pending;	/* not yet in a tick */
	char		play_id[32];
	char		clock[16];
};

struct kalshi_pt {
	int64_t		ts;
	double		home, bid, ask, last;
	unsigned char	has;		/* HAS_* of the home market */
	unsigned char	rule;
	unsigned char	pending;
	unsigned char	backfill;	/* from kalshi-tap's candles */
};

struct market {
	char		ticker[ALIGN_TICKER_MAX];
	int64_t		ts;
	double		bid, ask, last;
	unsigned char	has;
	int		seen;
	uint64_t	fp[MAX_FP];	/* quotes seen at ts */
	unsigned	nfp;
};

struct game {
	char		 id[24];
	char		*line;		/* latest game line, with '\n' */
	size_t		 line_len;
	json_t		*cmp;		/* the same without ts/recv_ts */
	int64_t		 line_ts;	/* its ts */
	int		 has_line_ts;
	char		 home[8], away[8];	/* Kalshi codes, "" unknown */
	char		 event[ALIGN_TICKER_MAX];	/* "" none */
	int		 by_map;	/* named in the map file */
	struct market	*mk[2];

	struct espn_pt	*ep;
	size_t		 en, ecap, elo;	/* elo: no pending point below */
	struct kalshi_pt *kp;
	size_t		 kn, kcap, klo;
	size_t		 npending;
	struct u64set	 plays;
	int		 has_kval;
	double		 kval;		/* latest home probability computed */

	long long	 seq;		/* ticks so far */
	int64_t		 tick_ts;
	int		 t_has_e, t_has_k;
	double		 t_e, t_k;

	int		 dirty;
	unsigned long long touched;
};

struct mapent {
	char	ticker[ALIGN_TICKER_MAX];
	char	game_id[24];
	char	team[8];	/* Kalshi code, or "home" / "away" */
};

struct pquote {
	char		ticker[ALIGN_TICKER_MAX];
	int64_t		ts;
	double		bid, ask, last;
	unsigned char	has;
	unsigned char	backfill;	/* "backfill":true */
};

struct source {
	char	 src[16];
	char	*line;
	size_t	 len;
};

struct align {
	struct align_cfg cfg;
	struct align_stats st;

	struct game	**games;	/* creation order */
	size_t		 ngames, gcap;
	struct hmap	 by_id, by_event;
	struct game	**dirty;
	size_t		 ndirty, dcap;

	struct hmap	 markets;
	struct market	**mlist;
	size_t		 nmarkets, mcap;

	struct hmap	 map;		/* ticker -> mapent */
	struct hmap	 map_games;	/* game_id -> mapent */
	struct mapent	**mapents;
	size_t		 nmap, mapcap;

	struct pquote	*pq;		/* quotes for no known game */
	size_t		 pqn, pqcap;

	struct source	 src[MAX_SOURCES];
	size_t		 nsrc;

	unsigned long long clock;	/* touch counter for eviction */
	struct buf	 out;
};

/* align.c */
/* Hands a->out to the emit callback (dropped if it failed), empties it. */
void	align_emit(struct align *a);
/* Replaces *dst (len *dlen) by a copy of line. Returns 0, or -1 (ENOMEM). */
int	align_set_line(char **dst, size_t *dlen, const char *line, size_t len);
/* A string member of o, borrowed, or NULL. */
const char *align_json_str(const json_t *o, const char *k);
/* An integer member (also an integral real): 0, or -1. */
int	align_json_i64(const json_t *o, const char *k, int64_t *out);

/* tick_encode.c */
/* One tick line of g into b; snapshot: every point, else the pending. */
void	tick_encode(struct buf *b, int64_t epoch, const struct game *g,
	    int snapshot);
/* v rounded to 6 decimals, as the ticks write it. */
double	tick_round6(double v);

/* games.c */
/* The game id (created when create; may evict one), or NULL. */
struct game *games_get(struct align *a, const char *id, int create);
void	games_free(struct game *g);
void	games_mark_dirty(struct align *a, struct game *g);
/* Emits g's pending points as one tick. */
void	games_flush(struct align *a, struct game *g);
/* g got points: marked dirty, and flushed once max_tick are pending. */
void	games_changed(struct align *a, struct game *g);
/*
 * Puts the elem-sized point pt at index i (<= *n) of the *n at pts (room
 * for one more made), counts it pending in g and lowers the low mark *lo
 * (NONE: none) to i. Copies pt.
 */
void	games_put(struct game *g, void *pts, size_t *n, size_t elem, size_t i,
	    const void *pt, size_t *lo);
/*
 * Drops the k oldest of the *n elem-sized points at pts (k <= *n), and
 * moves the low mark *lo (NONE: none) down with them.
 */
void	games_shed(void *pts, size_t *n, size_t elem, size_t k, size_t *lo);
int	games_valid_id(const char *s);
int	games_feed(struct align *a, json_t *obj, const char *line, size_t len,
	    struct errbuf *err);

/* kalshi_map.c */
/* The Kalshi code of a team code from anywhere, or NULL. */
const char *kmap_code(const char *code);
int	kmap_feed_quote(struct align *a, const struct fields *f, int trade,
	    struct errbuf *err);
/* Quotes held for no game go through again, in arrival order. */
void	kmap_pending_replay(struct align *a);

/* wp.c */
int	wp_feed(struct align *a, const struct fields *f, struct errbuf *err);

#endif
