/*
 * metrics: counters to text. No clock and no I/O: the server observes
 * ages and asks for the rendering.
 */
#include <inttypes.h>
#include <string.h>

#include "metrics.h"

const int64_t metrics_bucket_us[METRICS_BUCKETS] = {
	50, 100, 250, 500, 1000, 2500, 5000, 10000, 25000, 50000,
	100000, 250000, 500000, 1000000, 5000000, INT64_MAX,
};

static const char *reject_names[REJECT_NREASONS] = {
	"not_found", "per_ip", "limit", "unknown_game", "too_big", "pong",
	"idle",
};

const char *
metrics_reject_name(enum reject_reason r)
{
	return (unsigned)r < REJECT_NREASONS ? reject_names[r] : "other";
}

void
hist_observe(struct hist *h, int64_t us)
{
	unsigned i;

	if (us < 0)
		us = 0;
	for (i = 0; i < METRICS_BUCKETS - 1 && us > metrics_bucket_us[i]; i++)
		;
	h->bucket[i]++;
	h->count++;
	h->sum_s += (double)us / 1e6;
	if (us > h->max_us)
		h->max_us = us;
}

int64_t
hist_quantile(const struct hist *h, double q)
{
	unsigned long long want, seen = 0;
	unsigned i;

	if (h->count == 0)
		return 0;
	want = (unsigned long long)(q * (double)h->count + 0.5);
	if (want < 1)
		want = 1;
	for (i = 0; i < METRICS_BUCKETS; i++) {
		seen += h->bucket[i];
		if (seen >= want)
			return i == METRICS_BUCKETS - 1 ? h->max_us :
			    metrics_bucket_us[i];
	}
	return h->max_us;
}

/* The HELP and TYPE lines of the family ws_fanout_<name>. */
static void
family(struct buf *b, const char *name, const char *help, const char *type)
{
	buf_addf(b, "# HELP ws_fanout_%s %s\n# TYPE ws_fanout_%s %s\n", name,
	    help, name, type);
}

/* One histogram, ws_fanout_NAME, in the Prometheus text format. */
static void
hist_render(struct buf *b, const char *name, const char *help,
    const struct hist *h)
{
	unsigned long long cum = 0;
	unsigned i;

	family(b, name, help, "histogram");
	for (i = 0; i < METRICS_BUCKETS; i++) {
		cum += h->bucket[i];
		if (i == METRICS_BUCKETS - 1)
			buf_addf(b, "ws_fanout_%s_bucket{le=\"+Inf\"} %llu\n",
			    name, cum);
		else
			buf_addf(b, "ws_fanout_%s_bucket{le=\"%g\"} %llu\n",
			    name, (double)metrics_bucket_us[i] / 1e6, cum);
	}
	buf_addf(b, "ws_fanout_%s_sum %.6f\nws_fanout_%s_count %llu\n", name,
	    h->sum_s, name, h->count);
}

static void
counter(struct buf *b, const char *name, const char *help,
    unsigned long long v)
{
	family(b, name, help, "counter");
	buf_addf(b, "ws_fanout_%s %llu\n", name, v);
}

static void
gauge(struct buf *b, const char *name, const char *help,
    unsigned long long v)
{
	family(b, name, help, "gauge");
	buf_addf(b, "ws_fanout_%s %llu\n", name, v);
}

const char *
metrics_broker_state(enum broker_state st)
{
	return st == BROKER_UP ? "up" : st == BROKER_STALLED ? "stalled" :
	    "down";
}

static void
render_broker(const struct broker_stats *br, struct buf *b)
{
	if (!br->enabled)
		return;
	gauge(b, "broker_connected", "1 while the Redis input answers.",
	    br->state == BROKER_UP);
	gauge(b, "broker_lag_entries", "Stream entries not read yet.",
	    br->lag);
	gauge(b, "broker_games", "Game streams followed.", br->games);
	counter(b, "broker_connects_total", "Connections made to Redis.",
	    br->connects);
	counter(b, "broker_entries_total", "Stream entries read.",
	    br->entries);
	counter(b, "broker_rebuilds_total", "Games rebuilt from their "
	    "latest full-state entry.", br->rebuilds);
	counter(b, "broker_gaps_total", "Seq gaps seen in a stream.",
	    br->gaps);
	family(b, "broker_skipped_total", "Stream entries skipped.", "counter");
	buf_addf(b, "ws_fanout_broker_skipped_total{reason=\"foreign\"} %llu\n"
	    "ws_fanout_broker_skipped_total{reason=\"wrong_type\"} %llu\n"
	    "ws_fanout_broker_skipped_total{reason=\"too_big\"} %llu\n"
	    "ws_fanout_broker_skipped_total{reason=\"not_json\"} %llu\n",
	    br->skip_foreign, br->skip_wrong_type, br->skip_too_big,
	    br->skip_not_json);
}

void
metrics_health_broker(const struct metrics *m, struct buf *b)
{
	const struct broker_stats *br = &m->broker;

	if (!br->enabled)
		return;
	buf_addf(b, ",\"broker\":{\"state\":\"%s\",\"lag\":%llu,"
	    "\"rebuilds\":%llu,\"skipped\":%llu,\"games\":%llu}",
	    metrics_broker_state(br->state), br->lag, br->rebuilds,
	    br->skipped, br->games);
}

void
metrics_render(const struct metrics *m, struct buf *b)
{
	unsigned i;

	render_broker(&m->broker, b);
	gauge(b, "connections", "WebSocket clients connected now.",
	    m->conns_open);
	counter(b, "connections_total", "WebSocket clients accepted.",
	    m->conns_total);
	counter(b, "messages_sent_total", "Messages written to clients.",
	    m->msgs_sent);
	counter(b, "bytes_sent_total", "Payload bytes written to clients.",
	    m->bytes_sent);
	family(b, "messages_by_type_total", "Messages written, by type.",
	    "counter");
	buf_addf(b, "ws_fanout_messages_by_type_total{type=\"snapshot\"} %llu\n"
	    "ws_fanout_messages_by_type_total{type=\"update\"} %llu\n"
	    "ws_fanout_messages_by_type_total{type=\"notice\"} %llu\n",
	    m->snapshots_sent, m->updates_sent, m->notices_sent);
	counter(b, "merges_total", "Ticks merged into a previous update.",
	    m->merges);
	counter(b, "resyncs_total", "Client queues dropped for a snapshot.",
	    m->resyncs);
	counter(b, "resumes_total", "Resumes answered from history.",
	    m->resumes);
	family(b, "rejected_total", "Connections refused or closed, by "
	    "reason.", "counter");
	for (i = 0; i < REJECT_NREASONS; i++)
		buf_addf(b, "ws_fanout_rejected_total{reason=\"%s\"} %llu\n",
		    reject_names[i], m->rejected[i]);
	counter(b, "http_requests_total", "Plain HTTP requests served.",
	    m->http_requests);
	counter(b, "input_lines_total", "Stream lines read.", m->input_lines);
	counter(b, "input_skipped_total", "Stream lines skipped.",
	    m->input_skipped);
	gauge(b, "queued_bytes", "Bytes queued for clients.", m->queued_bytes);
	if (m->heap_bytes >= 0)
		gauge(b, "heap_bytes", "Heap bytes in use (allocated, not "
		    "yet freed).", (unsigned long long)m->heap_bytes);
	counter(b, "deflate_connections_total", "Clients that negotiated "
	    "permessage-deflate.", m->conns_deflate);
	counter(b, "deflate_messages_total", "Messages compressed (once "
	    "each, for every client that negotiated).", m->deflated);
	counter(b, "deflate_in_bytes_total", "Bytes of the messages "
	    "compressed, before.", m->deflate_in);
	counter(b, "deflate_out_bytes_total", "Bytes of the messages "
	    "compressed, after.", m->deflate_out);
	gauge(b, "deflate_memory_bytes", "Compressor memory (one zlib "
	    "stream and its output buffer).", m->deflate_mem);
	hist_render(b, "write_age_seconds", "Age of a message from ingest "
	    "to write.", &m->age);
	hist_render(b, "hold_seconds", "Age of an update from ingest to "
	    "its commit (the rate limit and merging).", &m->hold);
	hist_render(b, "fanout_seconds", "Time from an update's commit to "
	    "its last subscriber handed it (written, or queued).", &m->fanout);
}

void
metrics_render_game(struct buf *b, const char *game_id,
    unsigned long subscribers, int first)
{
	if (first)
		family(b, "subscribers", "Clients per game.", "gauge");
	buf_addf(b, "ws_fanout_subscribers{game_id=\"%s\"} %lu\n", game_id,
	    subscribers);
}

void
metrics_logfmt(const struct metrics *m, struct buf *b)
{
	unsigned i;

	buf_addf(b, "conns=%llu conns_total=%llu msgs_sent=%llu "
	    "bytes_sent=%llu merges=%llu resyncs=%llu resumes=%llu "
	    "input_lines=%llu input_skipped=%llu queued_bytes=%llu",
	    m->conns_open, m->conns_total, m->msgs_sent, m->bytes_sent,
	    m->merges, m->resyncs, m->resumes, m->input_lines,
	    m->input_skipped, m->queued_bytes);
	for (i = 0; i < REJECT_NREASONS; i++)
		buf_addf(b, " rejected_%s=%llu", reject_names[i],
		    m->rejected[i]);
	if (m->deflated)
		buf_addf(b, " deflated=%llu deflate_in=%llu deflate_out=%llu",
		    m->deflated, m->deflate_in, m->deflate_out);
	buf_addf(b, " age_p50_us=%" PRId64 " age_p99_us=%" PRId64
	    " age_max_us=%" PRId64, hist_quantile(&m->age, 0.5),
	    hist_quantile(&m->age, 0.99), m->age.max_us);
	if (m->broker.enabled)
		buf_addf(b, " broker=%s broker_lag=%llu broker_rebuilds=%llu "
		    "broker_skipped=%llu", metrics_broker_state(m->broker.state),
		    m->broker.lag, m->broker.rebuilds, m->broker.skipped);
}
