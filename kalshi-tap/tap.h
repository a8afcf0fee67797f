/*
 * tap: the kalshi-tap engine's shared state, for its modules only. One
 * struct tap on one libuv loop; each module owns its part of it:
 *   emit.c      the lines out, the source state, resending to a consumer
 *   markets.c   the markets known: find, add, discovery's verdicts
 *   history.c   the quote lines held for resync (pure)
 *   state.c     the --state file
 *   discover.c  the REST market listing, every --discover-interval
 *   poll.c      REST quote polling (no key, or the WebSocket failing)
 *   backfill.c  the minutes before a market was followed (candlesticks)
 *   rest.c      what the three REST loops read alike from an answer
 *   feed.c      the WebSocket: subscription, seq checks, liveness
 *   replay.c    recorded frames instead of Kalshi
 * main.c fills the config, wires them together and runs the loop. None of
 * them blocks the loop or logs the key.
 */
#ifndef TAP_H
#define TAP_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <uv.h>

#include "backoff.h"
#include "errbuf.h"
#include "log.h"
#include "service.h"
#include "source.h"

#include "history.h"
#include "kalshi_parse.h"
#include "kalshi_sign.h"

struct fetch;
struct input;
struct kws;
struct output;
struct bf_pend;
struct bf_live;

#define TAP_MAX_LIST	64	/* --market / --series entries */
#define MAX_MARKETS	1024
#define MAX_PAGES	50	/* per series per discovery round */
#define TICKERS_PER_GET	40
#define REPLAY_QUEUE	4096

struct tap_cfg {
	const char	*ws_url;
	const char	*rest_url;
	const char	*markets[TAP_MAX_LIST];
	size_t		 n_markets;
	const char	*series[TAP_MAX_LIST];
	size_t		 n_series;
	int64_t		 poll_ms;	/* REST polling period */
	int64_t		 discover_ms;	/* market discovery period */
	int64_t		 dead_ms;	/* silence that ends a connection */
	int64_t		 ping_ms;	/* our pings while connected */
	int64_t		 fallback_ms;	/* WS failing this long: poll too */
	unsigned	 give_up;	/* failures in a row before exit 69 */
	size_t		 max_history;	/* quote lines held per market */
	const char	*state;		/* quote lines kept across runs, or NULL */
	const char	*ca_file;	/* extra trust anchors, or NULL */
	const char	*output;
	const char	*replay;	/* recorded WS frames instead of Kalshi */
	double		 speed;		/* replay pacing; 0 = no pacing */
	int		 ready_fd;
	struct kalshi_key *key;		/* borrowed; NULL: REST polling */
	const char	*key_id;
	int64_t		 backfill_ms;	/* candle window; 0: no backfill */
};

struct mkt {
	struct kalshi_market m;		/* latest REST view */
	struct hchain	 h;		/* quote history of this market */
	unsigned long long h_dropped;
	int64_t		 closed_ms;	/* not followed since (wall ms), or 0 */
	struct kalshi_quote q;		/* latest quote written */
	int		 has_q;
	int		 explicit;	/* from --market */
	int		 following;
	int		 subscribed;	/* in the live WS subscription */
	int		 seen;		/* in this discovery round */
	int		 bf;		/* BF_* */
	int64_t		 bf_end_ms;	/* followed since (wall ms) */
};

enum { BF_NONE = 0, BF_WANT, BF_DONE };

enum feed { FEED_START, FEED_OK, FEED_FAILING };

struct tap {
	const struct tap_cfg *cfg;
	struct service	 svc;		/* the loop, signals, the stop */
	struct output	*out;
	struct fetch	*rest;
	struct kws	*ws;
	int		 stopping;

	struct mkt	*mk;		/* MAX_MARKETS of them */
	size_t		 n_mk;
	struct history	 hist;		/* quote lines, all markets */

	/* emit.c: the source state last written */
	struct source	 src;

	/* discover.c */
	uv_timer_t	 disc_timer;
	size_t		 disc_stage;	/* series index, then explicit chunks */
	size_t		 disc_pages;
	char		 disc_cursor[256];
	int		 disc_running, disc_failing, disc_done_once;
	char		 disc_detail[160];
	int64_t		 disc_retry_ms;
	struct backoff	 disc_b;

	/* feed.c */
	uv_timer_t	 ws_timer;	/* reconnect */
	uv_timer_t	 dead_timer;
	uv_timer_t	 ping_timer;
	struct backoff	 ws_b;
	enum feed	 ws_feed;
	char		 ws_detail[160];
	int64_t		 ws_retry_ms;
	int64_t		 ws_fail_since;	/* mono ms, 0 when healthy */
	long long	 next_id;
	long long	 sub_id;	/* subscribe in flight, 0 none */
	long long	 sid_ticker, sid_trade;
	long long	 seq_ticker, seq_trade;	/* last seq seen, -1 none */
	int		 ws_connecting, ws_dead;
	char		 ws_reason[96];	/* why we dropped it, if we did */

	/* poll.c */
	uv_timer_t	 poll_timer;
	int		 polling, poll_inflight, poll_left;
	struct backoff	 poll_b;
	enum feed	 poll_feed;
	char		 poll_detail[160];
	int64_t		 poll_retry_ms;
	int		 poll_round_failed;

	/* replay.c */
	uv_timer_t	 replay_timer;
	struct input	*rin;
	json_t		*rq[REPLAY_QUEUE];	/* frames read, not yet due */
	size_t		 rq_head, rq_n;
	int		 replay_eof, replay_paused, replay_waiting;
	unsigned long long replay_frames;
	int64_t		 replay_t0_mono, replay_t0_ev;

	/* state.c: the --state file */
	int		 st_fd;		/* open for appending, or -1 */
	unsigned long long st_kept;	/* bytes at the last rewrite */
	unsigned long long st_added;	/* bytes appended since */
	struct ratelimit st_rl;

	/* backfill.c */
	uv_timer_t	 bf_timer;
	struct backoff	 bf_b;
	struct mkt	*bf_mkt;	/* its request in flight */
	int		 bf_inflight, bf_failing;
	char		 bf_detail[160];
	int64_t		 bf_retry_ms;
	unsigned long long bf_skipped;	/* candles with missing fields */
	struct bf_pend	*bf_pend;	/* fetched, written once all are */
	size_t		 bf_npend, bf_cap;
	struct bf_live	*bf_live, *bf_live_tail;	/* live, waiting */
	size_t		 bf_nlive;
	int		 bf_holding;	/* live lines wait for a backfill */
	int		 bf_nohold;	/* not now: one failed or took long */
	uv_timer_t	 bf_hold_timer;	/* how long they may wait */

	struct ratelimit bad_rl;
};

/* main.c: stops the tap (service_stop: deferred, idempotent). */
void	tap_stop(struct tap *t, int code);
/* A feed failed past --give-up with nothing to carry on: source down, 69. */
void	tap_give_up(struct tap *t, const char *detail, unsigned failures);

/* emit.c. emit_line takes ownership of line (NULL: nothing written). */
void	emit_line(struct tap *t, json_t *line);
void	emit_source(struct tap *t, enum source_state state, const char *detail,
	    int64_t retry_ms);
/* Writes the source state: the worst of discovery and the live feed. */
void	emit_state(struct tap *t);
/* Writes q as m's latest quote (held, appended to --state, sent), or
 * has it wait for m's backfill (backfill_hold_live). */
void	emit_quote(struct tap *t, struct mkt *m, const struct kalshi_quote *q,
	    int64_t recv);
/* Writes one encoded line s: a quote of m (live or backfilled) is held,
 * appended to --state and sent; with m NULL (a trade) it is only sent. */
void	emit_text(struct tap *t, struct mkt *m, const char *s,
	    size_t len);
/* Writes a trade line (taken over), or has it wait as quotes do. */
void	emit_trade(struct tap *t, json_t *line);
/* An output's on_connect: market lines, every quote held, the source. */
void	emit_resend(void *arg, struct output *out);

/* markets.c. Pointers stay valid for the tap's life (a fixed array). */
struct mkt *markets_find(struct tap *t, const char *ticker);
/* A new market, or NULL past MAX_MARKETS. */
struct mkt *markets_add(struct tap *t, const char *ticker);
/* Holds a quote line of m; quiet: without logging the drops. */
void	markets_hold(struct tap *t, struct mkt *m, const char *s, size_t len,
	    int quiet);
/* Discovery saw km (explicit: asked for by --market). */
void	markets_take(struct tap *t, const struct kalshi_market *km,
	    int explicit);
/* A discovery round ended: close what it did not see, forget old quotes. */
void	markets_round_done(struct tap *t);
/* A replayed frame names ticker: follow it (market line once). */
void	markets_follow(struct tap *t, const char *ticker);

/* state.c (the file primitives are in state.h) */
void	state_load(struct tap *t);
void	state_append(struct tap *t, const char *s, size_t len);

/*
 * rest.c: a 200 answer's JSON document (a new reference), or NULL with
 * detail (n bytes) set to the transfer's error, "HTTP N" or "bad body".
 */
struct fetch_result;
json_t	*rest_doc(const struct fetch_result *res, char *detail, size_t n);

/* discover.c: the first round now, then every discover_ms. */
void	discover_start(struct tap *t);

/* poll.c */
void	poll_start(struct tap *t);
void	poll_stop(struct tap *t);

/* feed.c */
int	feed_open(struct tap *t, struct errbuf *err);
/* Brings the live subscription in line with the markets followed. */
void	feed_sync(struct tap *t);
/* One parsed frame (live or replayed). Borrows msg. */
void	feed_handle(struct tap *t, const struct kalshi_ws_msg *msg);

/* backfill.c: init and close its timer; backfill_want: m is followed
 * now, backfill it unless off, replaying, or its quotes are held. */
void	backfill_init(struct tap *t);
void	backfill_close(struct tap *t);
void	backfill_want(struct tap *t, struct mkt *m);
/*
 * A live line (a quote of m, or a trade: m NULL; s, len taken over when
 * 1 is returned) waits while a backfill is on its way, so its minutes go
 * out first and every line stays in order: at most BF_HOLD_MS and
 * BF_HOLD_MAX lines, and not past a failed request.
 */
int	backfill_hold_live(struct tap *t, struct mkt *m, char *s, size_t len);

/* replay.c */
int	replay_open(struct tap *t, struct errbuf *err);
/* Handles the frames due; an output's on_drain resumes it. */
void	replay_pump(struct tap *t);
/* Drops the frames still queued and closes the input. */
void	replay_fini(struct tap *t);

#endif
