/*
 * metrics: ws-fanout's counters, a histogram of ingest-to-write age, and
 * their two renderings: Prometheus text (GET /metrics) and one logfmt
 * line (the periodic log). Pure: the caller owns the counters and clock.
 */
#ifndef FANOUT_METRICS_H
#define FANOUT_METRICS_H

#include <stdint.h>

#include "msg.h"

#define METRICS_BUCKETS	16

enum reject_reason {
	REJECT_NOT_FOUND = 0,	/* malformed path: 404 */
	REJECT_PER_IP,		/* per-IP limit: 429 */
	REJECT_LIMIT,		/* global connection limit: 503 */
	REJECT_UNKNOWN_GAME,	/* error + 4404 */
	REJECT_TOO_BIG,		/* client message over the limit: 1009 */
	REJECT_PONG,		/* no pong in time */
	REJECT_IDLE,		/* idle timeout */
	REJECT_NREASONS
};

struct hist {
	unsigned long long	bucket[METRICS_BUCKETS];	/* cumulative later */
	unsigned long long	count;
	double			sum_s;
	int64_t			max_us;
};

/* The broker input's state (ws-fanout -i redis://...). */
enum broker_state { BROKER_DOWN = 0, BROKER_UP, BROKER_STALLED };

struct broker_stats {
	int			enabled;	/* a broker input is in use */
	enum broker_state	state;
	unsigned long long	connects;
	unsigned long long	entries;	/* read from the streams */
	unsigned long long	lag;		/* entries not read yet (gauge) */
	unsigned long long	rebuilds;	/* games rebuilt from full state */
	unsigned long long	gaps;		/* seq gaps that made a rebuild */
	unsigned long long	skipped;	/* entries skipped, all reasons */
	unsigned long long	skip_foreign, skip_wrong_type, skip_too_big,
				skip_not_json;
	unsigned long long	games;		/* streams followed (gauge) */
};

struct metrics {
	unsigned long long	conns_total;
	unsigned long long	conns_open;	/* WebSocket clients now */
	unsigned long long	msgs_sent;
	unsigned long long	bytes_sent;
	unsigned long long	snapshots_sent;
	unsigned long long	updates_sent;
	unsigned long long	notices_sent;
	unsigned long long	resumes;	/* ?since answered from history */
	unsigned long long	resyncs;
	unsigned long long	rejected[REJECT_NREASONS];
	unsigned long long	http_requests;
	unsigned long long	input_lines;
	unsigned long long	input_skipped;
	unsigned long long	merges;
	unsigned long long	queued_bytes;	/* gauge */
	long long		heap_bytes;	/* gauge; < 0: not known */
	/* permessage-deflate (deflate.c, wswrite.c) */
	unsigned long long	conns_deflate;	/* negotiated it, ever */
	unsigned long long	deflated;	/* messages compressed (once each) */
	unsigned long long	deflate_in;	/* their bytes before */
	unsigned long long	deflate_out;	/* and after */
	unsigned long long	deflate_mem;	/* compressor memory (gauge) */
	struct hist		age;		/* ingest to write */
	struct hist		hold;		/* ingest to commit: throttle,
						   merging */
	struct hist		fanout;		/* commit to the last subscriber
						   handed the update */
	struct broker_stats	broker;
};

/* Upper bounds of the age buckets in microseconds (last is +Inf). */
extern const int64_t metrics_bucket_us[METRICS_BUCKETS];

void	hist_observe(struct hist *h, int64_t us);
/* The value at quantile q in [0, 1] by bucket upper bound (us). */
int64_t	hist_quantile(const struct hist *h, double q);
const char *metrics_reject_name(enum reject_reason r);

/* Appends the Prometheus text of m to b. */
void	metrics_render(const struct metrics *m, struct buf *b);
/* Appends one subscribers-per-game sample. */
void	metrics_render_game(struct buf *b, const char *game_id,
	    unsigned long subscribers, int first);
/* Appends ,"broker":{...} for /healthz when a broker input is used. */
void	metrics_health_broker(const struct metrics *m, struct buf *b);
const char *metrics_broker_state(enum broker_state st);
/* Appends the counters as logfmt pairs ("conns=3 msgs_sent=10 ..."). */
void	metrics_logfmt(const struct metrics *m, struct buf *b);

#endif
