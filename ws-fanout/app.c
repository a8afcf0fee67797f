/*
 * app: ws-fanout's wiring (see app.h): the input's lines into the rooms
 * (the server takes the rooms' messages itself), the flush and stats
 * timers, and the stop that drains the clients. Moved out of main.c as it
 * was.
 */
#include <sys/resource.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "opts.h"
#include "redis_url.h"
#include "timeutil.h"

#include "app.h"

/* A certificate or key that cannot be used is a configuration error. */
static int
tls_files_ok(const struct server_cfg *c, struct errbuf *err)
{
	if (c->tls_cert == NULL)
		return 0;
	return server_tls_check(c->tls_cert, c->tls_key, err);
}

static void	on_flush(uv_timer_t *t);

/*
 * Open files beside the clients and the connections not yet upgraded:
 * the listeners, up to 64 input writers,
 * the loop's own, logs, the static files being served.
 */
#define NOFILE_RESERVE	128

/*
 * Fits the open-files limit to --max-conns before lws sizes its tables by
 * it: raised, up to the hard limit, so the clients allowed can connect;
 * lowered, so that a limit of a million (some containers) does not cost a
 * table that size, which lws 4.1 walks on every accept.
 */
static void
fit_nofile(unsigned max_conns, unsigned *max_pending)
{
	struct rlimit rl;
	rlim_t want = (rlim_t)max_conns + *max_pending + NOFILE_RESERVE;
	rlim_t avail;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return;
	if (rl.rlim_max != RLIM_INFINITY && want > rl.rlim_max) {
		/*
		 * Too few files for both: a quarter of what is left goes to
		 * connections not yet upgraded, so that an accept never
		 * meets EMFILE while upgraded clients are still allowed in.
		 */
		avail = rl.rlim_max > NOFILE_RESERVE ? rl.rlim_max -
		    NOFILE_RESERVE : 0;
		if (*max_pending > avail / 4)
			*max_pending = avail / 4 > 0 ? (unsigned)(avail / 4) : 1;
		log_warn("open files limit below max-conns",
		    "max_conns=%u hard_limit=%llu clients_at_most=%llu "
		    "pending_at_most=%u", max_conns,
		    (unsigned long long)rl.rlim_max, avail > *max_pending ?
		    (unsigned long long)(avail - *max_pending) : 0ULL,
		    *max_pending);
		want = rl.rlim_max;
	}
	if (want == rl.rlim_cur)
		return;
	rl.rlim_cur = want;
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
		log_warn("cannot set the open files limit", "want=%llu error=%s",
		    (unsigned long long)want, log_str(strerror(errno)));
	else
		log_debug("open files limit", "soft=%llu",
		    (unsigned long long)want);
}

/*
 * Arms the flush timer for a room due in due_us. A wait under a
 * millisecond polls on the next loop turn instead of rounding up to a
 * whole millisecond of delay.
 */
static void
arm_flush(struct app *a, int64_t due_us)
{
	if (due_us < 0)
		return;
	uv_timer_start(&a->flush, on_flush, (uint64_t)(due_us / 1000), 0);
}

static void
on_flush(uv_timer_t *t)
{
	struct app *a = t->data;

	arm_flush(a, rooms_flush(a->rooms, time_mono_us()));
}

static const char *
skip_name(enum rooms_skip why)
{
	switch (why) {
	case ROOMS_SKIP_INVALID:
		return "invalid";
	case ROOMS_SKIP_STALE:
		return "stale";
	case ROOMS_SKIP_FULL:
		return "too_many_games";
	case ROOMS_SKIP_NOMEM:
		return "no_memory";
	default:
		return "other";
	}
}

static void
on_line(void *arg, struct input *in, unsigned conn, json_t *obj,
    const char *line, size_t len)
{
	struct app *a = arg;
	struct rooms_stats st;
	enum rooms_skip why;

	(void)in;
	(void)conn;
	(void)line;
	(void)len;
	a->metrics.input_lines++;
	why = rooms_ingest(a->rooms, obj, time_mono_us(), time_now_us());
	if (why != ROOMS_OK && why != ROOMS_SKIP_TYPE) {
		a->metrics.input_skipped++;
		log_rl(&a->bad_rl, LOG_LVL_WARN, "line skipped",
		    "kind=%s", skip_name(why));
	}
	rooms_stats(a->rooms, &st);
	a->metrics.merges = st.merged;
	/*
	 * Flush on the next loop turn, after every line of this read: the
	 * aligner's game line and whole-series tick then go out as one.
	 */
	uv_timer_start(&a->flush, on_flush, 0, 0);
}

static void
on_bad(void *arg, struct input *in, enum ndjson_bad why, const char *detail)
{
	struct app *a = arg;

	(void)in;
	a->metrics.input_skipped++;
	log_rl(&a->bad_rl, LOG_LVL_WARN, "line skipped", "kind=%s error=%s",
	    why == NDJSON_TOO_LONG ? "too_long" : why == NDJSON_NOT_JSON ?
	    "not_json" : "not_object", log_str(detail ? detail : ""));
}

static void
on_conn(void *arg, struct input *in, unsigned conn, int up)
{
	(void)arg;
	(void)in;
	log_info(up ? "input connected" : "input disconnected", "conn=%u",
	    conn);
}

static void
on_eof(void *arg, struct input *in)
{
	(void)arg;
	log_info("input ended", "input=%s", log_str(in ? input_spec(in) : "-"));
}

static void
on_input_error(void *arg, struct input *in, const char *what, int uverr)
{
	(void)arg;
	log_error("input failed", "input=%s what=%s error=%s",
	    log_str(input_spec(in)), log_str(what), log_str(uv_strerror(uverr)));
}

static void
on_stats(uv_timer_t *t)
{
	struct app *a = t->data;
	struct buf b;

	buf_init(&b, 0);
	metrics_logfmt(&a->metrics, &b);
	if (!b.failed)
		log_info("stats", "%s", b.p);
	buf_fini(&b);
}

static void
stopped(void *arg)
{
	struct app *a = arg;

	server_free(a->server);
	a->server = NULL;
	uv_close((uv_handle_t *)&a->flush, NULL);
	uv_close((uv_handle_t *)&a->stats, NULL);
}

void
app_stop(void *arg, int code)
{
	struct app *a = arg;

	(void)code;
	if (a->server != NULL)
		log_info("draining", "clients=%lu", server_clients(a->server));
	input_close(a->input);
	a->input = NULL;
	iredis_close(a->redis);
	a->redis = NULL;
	if (a->server != NULL) {
		uv_timer_stop(&a->flush);
		uv_timer_stop(&a->stats);
		server_shutdown(a->server, 2000, stopped, a);
	} else if (a->timers) {
		uv_close((uv_handle_t *)&a->flush, NULL);
		uv_close((uv_handle_t *)&a->stats, NULL);
	}
}

static struct input_cfg
input_cfg(struct app *a)
{
	struct input_cfg icfg;

	memset(&icfg, 0, sizeof(icfg));
	icfg.max_line = a->max_line;
	icfg.on_line = on_line;
	icfg.on_bad = on_bad;
	icfg.on_conn = on_conn;
	icfg.on_eof = on_eof;
	icfg.on_error = on_input_error;
	icfg.arg = a;
	return icfg;
}

int
app_open(struct app *a)
{
	struct input_cfg icfg;
	struct errbuf err;

	/* As many pending as upgraded ones may be, from one address. */
	if (a->scfg.max_pending_per_ip == 0)
		a->scfg.max_pending_per_ip = a->scfg.max_per_ip > 16 ?
		    a->scfg.max_per_ip : 16;
	if (a->scfg.max_pending_per_ip > a->scfg.max_pending)
		a->scfg.max_pending_per_ip = a->scfg.max_pending;
	if (tls_files_ok(&a->scfg, &err) == -1) {
		log_error("startup failed", "error=%s", log_str(err.msg));
		return EXIT_CONFIG;
	}
	if ((a->rooms = rooms_new(&a->rcfg)) == NULL) {
		log_error("startup failed", "error=%s", log_str("out of memory"));
		return EXIT_OSERR;
	}
	fit_nofile(a->scfg.max_conns, &a->scfg.max_pending);
	if (a->scfg.max_pending_per_ip > a->scfg.max_pending)
		a->scfg.max_pending_per_ip = a->scfg.max_pending;
	uv_timer_init(&a->svc.loop, &a->flush);
	a->flush.data = a;
	uv_timer_init(&a->svc.loop, &a->stats);
	a->stats.data = a;
	a->timers = 1;
	a->scfg.iface = a->iface;
	a->scfg.port = a->port;
	a->scfg.history = a->rcfg.history;
	a->scfg.lws_verbose = a->verbose > 1;
	a->scfg.rooms = a->rooms;
	a->scfg.metrics = &a->metrics;
	if ((a->server = server_new(&a->svc.loop, &a->scfg, &err)) == NULL) {
		log_error("startup failed", "error=%s", log_str(err.msg));
		/* A certificate lws cannot load is the operator's to fix. */
		return strncmp(err.msg, "tls:", 4) == 0 ? EXIT_CONFIG :
		    EXIT_OSERR;
	}
	icfg = input_cfg(a);
	if (redis_url_is(a->input_spec))
		a->redis = iredis_open(&a->svc.loop, a->input_spec, &icfg,
		    &a->metrics.broker, &err);
	else
		a->input = input_open(&a->svc.loop, a->input_spec, &icfg, &err);
	if (a->input == NULL && a->redis == NULL) {
		log_error("startup failed", "input=%s error=%s",
		    log_str(a->input_spec), log_str(err.msg));
		return EXIT_IOERR;
	}
	uv_timer_start(&a->stats, on_stats, (uint64_t)a->stats_ms,
	    (uint64_t)a->stats_ms);
	uv_unref((uv_handle_t *)&a->stats);
	log_info("serving", "listen=%s:%d tls=%s input=%s",
	    a->iface ? a->iface : "*", a->port, a->scfg.tls_cert ? "yes" : "no",
	    log_str(a->input_spec));
	return 0;
}

void
app_ended(void *arg)
{
	struct app *a = arg;

	server_free(a->server);
	a->server = NULL;
}

void
app_free(struct app *a)
{
	server_free(a->server);
	a->server = NULL;
	rooms_free(a->rooms);
	a->rooms = NULL;
	free(a->iface);
	a->iface = NULL;
}
