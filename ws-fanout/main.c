/*
 * ws-fanout: reads the aligner's frames (stdin or unix:PATH) and pushes
 * each game's snapshot and updates to its WebSocket subscribers.
 * main() is the table of contents: options, wiring, run, teardown.
 */
#include <sys/resource.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "input.h"
#include "log.h"
#include "redis_url.h"
#include "opts.h"
#include "service.h"
#include "timeutil.h"

#include "feed.h"
#include "metrics.h"
#include "rooms.h"
#include "server.h"

#include <libwebsockets.h>

static const char usage[] =
    "ws-fanout [-qv] [-B bytes] [-c max] [-H count] [-i input] "
    "[-l [host:]port] [-p max] [-Q bytes] [-r rate] [-w dir] "
    "[--deflate-min bytes] [--idle-timeout dur] [--max-line bytes] [--max-message bytes] "
    "[--max-pending n] [--max-pending-per-ip n] [--no-deflate] "
    "[--ping-interval dur] "
    "[--pong-timeout dur] [--ready-fd fd] [--request-timeout dur] "
    "[--sndbuf bytes] [--stats-interval dur] [--tls-cert file] "
    "[--tls-key file] [--trust-proxy cidr[,cidr ...]]";

static const char help[] =
    "Push live game frames to WebSocket clients at /ws/live/{game_id}.\n"
    "\n"
    "  -i, --input SPEC        frames from - (stdin, default), a path,\n"
    "                          unix:PATH (listen; writers may reconnect)\n"
    "                          or redis://[HOST][:PORT]/NAME (Redis Streams)\n"
    "  -l, --listen [HOST:]PORT  where to serve (default 8080)\n"
    "  -w, --www DIR           static files for GET / (default: a placeholder)\n"
    "  -c, --max-conns N       WebSocket clients at most (default 15000)\n"
    "  -p, --max-per-ip N      clients per address (default 10; 429 past it)\n"
    "  -Q, --client-queue BYTES  queued bytes per client before a resync\n"
    "                          (default 1048576)\n"
    "  -B, --queue-budget BYTES  queued bytes over all clients (default 268435456)\n"
    "  -H, --history N         updates held per game for ?since= (default 600)\n"
    "  -r, --rate N            messages per client per second (default 10)\n"
    "      --deflate-min BYTES compress messages this long and longer for\n"
    "                          permessage-deflate clients (default 1024)\n"
    "      --no-deflate        never negotiate permessage-deflate\n"
    "      --ping-interval DUR ping clients this often (default 30s)\n"
    "      --pong-timeout DUR  close when no pong within (default 5s)\n"
    "      --idle-timeout DUR  close after no pong for (default 5m)\n"
    "      --max-message BYTES largest client message (default 1024; 1009)\n"
    "      --max-line BYTES    longest input line (default 1048576)\n"
    "      --max-pending N     connections not yet upgraded, at most\n"
    "                          (default 1024; closed at accept past it)\n"
    "      --max-pending-per-ip N  of them from one address (default 16,\n"
    "                          or --max-per-ip when larger)\n"
    "      --request-timeout DUR  each request (and the upgrade) within\n"
    "                          (default 5s; the connection is closed)\n"
    "      --trust-proxy CIDR[,CIDR...]  peers whose X-Forwarded-For and\n"
    "                          X-Real-IP name the client (default: none)\n"
    "      --tls-cert FILE     serve TLS (https, wss) with this certificate\n"
    "      --tls-key FILE      and this private key (PEM)\n"
    "      --sndbuf BYTES      SO_SNDBUF per client (default: the kernel's)\n"
    "      --stats-interval DUR  log counters this often (default 60s)\n"
    "      --ready-fd FD       write a newline to FD once serving\n"
    "  -v, --verbose           more logs (twice: libwebsockets notices)\n"
    "  -q, --quiet             fewer logs\n"
    "  -h, --help              this help\n"
    "  -V, --version           the version\n";

enum {
	OPT_DEFLATE_MIN = 256,
	OPT_NO_DEFLATE,
	OPT_IDLE,
	OPT_MAX_LINE,
	OPT_MAX_MESSAGE,
	OPT_MAX_PENDING,
	OPT_MAX_PENDING_IP,
	OPT_PING,
	OPT_PONG,
	OPT_READY_FD,
	OPT_REQUEST_TIMEOUT,
	OPT_SNDBUF,
	OPT_STATS,
	OPT_TLS_CERT,
	OPT_TLS_KEY,
	OPT_TRUST_PROXY,
};

static const struct option longopts[] = {
	{ "queue-budget",	required_argument, NULL, 'B' },
	{ "max-conns",		required_argument, NULL, 'c' },
	{ "history",		required_argument, NULL, 'H' },
	{ "help",		no_argument,	   NULL, 'h' },
	{ "input",		required_argument, NULL, 'i' },
	{ "listen",		required_argument, NULL, 'l' },
	{ "max-per-ip",		required_argument, NULL, 'p' },
	{ "client-queue",	required_argument, NULL, 'Q' },
	{ "quiet",		no_argument,	   NULL, 'q' },
	{ "rate",		required_argument, NULL, 'r' },
	{ "verbose",		no_argument,	   NULL, 'v' },
	{ "version",		no_argument,	   NULL, 'V' },
	{ "www",		required_argument, NULL, 'w' },
	{ "deflate-min",	required_argument, NULL, OPT_DEFLATE_MIN },
	{ "no-deflate",		no_argument,	   NULL, OPT_NO_DEFLATE },
	{ "idle-timeout",	required_argument, NULL, OPT_IDLE },
	{ "max-line",		required_argument, NULL, OPT_MAX_LINE },
	{ "max-message",	required_argument, NULL, OPT_MAX_MESSAGE },
	{ "max-pending",	required_argument, NULL, OPT_MAX_PENDING },
	{ "max-pending-per-ip",	required_argument, NULL, OPT_MAX_PENDING_IP },
	{ "ping-interval",	required_argument, NULL, OPT_PING },
	{ "pong-timeout",	required_argument, NULL, OPT_PONG },
	{ "ready-fd",		required_argument, NULL, OPT_READY_FD },
	{ "request-timeout",	required_argument, NULL, OPT_REQUEST_TIMEOUT },
	{ "sndbuf",		required_argument, NULL, OPT_SNDBUF },
	{ "stats-interval",	required_argument, NULL, OPT_STATS },
	{ "tls-cert",		required_argument, NULL, OPT_TLS_CERT },
	{ "tls-key",		required_argument, NULL, OPT_TLS_KEY },
	{ "trust-proxy",	required_argument, NULL, OPT_TRUST_PROXY },
	{ NULL, 0, NULL, 0 },
};

struct app {
	uv_loop_t	 loop;
	const char	*input_spec;
	char		*iface;
	int		 port;
	int		 ready_fd;
	int		 verbose;
	size_t		 max_line;
	int64_t		 stats_ms;
	struct rooms_cfg rcfg;
	struct server_cfg scfg;
	struct metrics	 metrics;
	struct proxyaddr trust;
	struct rooms	*rooms;
	struct server	*server;
	struct feed	*input;
	uv_timer_t	 flush;
	uv_timer_t	 stats;
	int		 stopping;
	struct ratelimit bad_rl;
};

static void
parse_listen(struct app *a, const char *s)
{
	const char *colon = strrchr(s, ':');

	free(a->iface);
	a->iface = NULL;
	if (colon != NULL) {
		if (colon == s)
			opt_usage_error("--listen: missing host before ':'");
		if ((a->iface = strndup(s, (size_t)(colon - s))) == NULL)
			opt_usage_error("--listen: out of memory");
		s = colon + 1;
	}
	a->port = (int)opt_int_or_die("listen", s, 1, 65535);
}

static void
parse_args(struct app *a, int argc, char **argv)
{
	struct errbuf err;
	int ch;

	while ((ch = getopt_long(argc, argv, "B:c:H:hi:l:p:Q:qr:vVw:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'B':
			a->scfg.queue_budget = (size_t)opt_int_or_die(
			    "queue-budget", optarg, 0, 1LL << 40);
			break;
		case 'c':
			a->scfg.max_conns = (unsigned)opt_int_or_die(
			    "max-conns", optarg, 1, 1000000);
			break;
		case 'H':
			a->rcfg.history = (unsigned)opt_int_or_die("history",
			    optarg, 1, 100000);
			break;
		case 'h':
			printf("usage: %s\n\n%s", usage, help);
			exit(0);
		case 'i':
			if (redis_url_is(optarg)) {
				struct redis_url u;
				struct errbuf uerr;

				if (redis_url_parse(optarg, &u, &uerr) == -1)
					opt_usage_error("--input: %s", uerr.msg);
			}
			a->input_spec = optarg;
			break;
		case 'l':
			parse_listen(a, optarg);
			break;
		case 'p':
			a->scfg.max_per_ip = (unsigned)opt_int_or_die(
			    "max-per-ip", optarg, 1, 1000000);
			break;
		case 'Q':
			a->scfg.client_queue = (size_t)opt_int_or_die(
			    "client-queue", optarg, 1024, 1LL << 34);
			break;
		case 'q':
			log_quiet();
			break;
		case 'r':
			a->rcfg.rate = (unsigned)opt_int_or_die("rate", optarg,
			    1, THROTTLE_MAX_N);
			break;
		case 'v':
			log_verbose();
			a->verbose++;
			break;
		case 'V':
			opt_version();
		case 'w':
			a->scfg.www = optarg;
			break;
		case OPT_IDLE:
			a->scfg.idle_timeout_ms = opt_duration_or_die(
			    "idle-timeout", optarg, 1000, 86400000);
			break;
		case OPT_MAX_LINE:
			a->max_line = (size_t)opt_int_or_die("max-line", optarg,
			    1024, 1LL << 30);
			break;
		case OPT_DEFLATE_MIN:
			a->scfg.deflate_min = (size_t)opt_int_or_die(
			    "deflate-min", optarg, 1, 1LL << 30);
			break;
		case OPT_NO_DEFLATE:
			a->scfg.deflate_off = 1;
			break;
		case OPT_MAX_MESSAGE:
			a->scfg.max_client_msg = (size_t)opt_int_or_die(
			    "max-message", optarg, 1, 1 << 20);
			break;
		case OPT_MAX_PENDING:
			a->scfg.max_pending = (unsigned)opt_int_or_die(
			    "max-pending", optarg, 1, 65535);
			break;
		case OPT_MAX_PENDING_IP:
			a->scfg.max_pending_per_ip = (unsigned)opt_int_or_die(
			    "max-pending-per-ip", optarg, 1, 65535);
			break;
		case OPT_PING:
			a->scfg.ping_ms = opt_duration_or_die("ping-interval",
			    optarg, 100, 3600000);
			break;
		case OPT_PONG:
			a->scfg.pong_timeout_ms = opt_duration_or_die(
			    "pong-timeout", optarg, 100, 3600000);
			break;
		case OPT_READY_FD:
			a->ready_fd = (int)opt_int_or_die("ready-fd", optarg, 0,
			    65535);
			break;
		case OPT_REQUEST_TIMEOUT:
			a->scfg.request_timeout_ms = opt_duration_or_die(
			    "request-timeout", optarg, 100, 3600000);
			break;
		case OPT_SNDBUF:
			a->scfg.sndbuf = (int)opt_int_or_die("sndbuf", optarg,
			    1024, 1 << 30);
			break;
		case OPT_STATS:
			a->stats_ms = opt_duration_or_die("stats-interval",
			    optarg, 1000, 86400000);
			break;
		case OPT_TLS_CERT:
			a->scfg.tls_cert = optarg;
			break;
		case OPT_TLS_KEY:
			a->scfg.tls_key = optarg;
			break;
		case OPT_TRUST_PROXY:
			if (proxyaddr_parse(&a->trust, optarg, &err) == -1)
				opt_usage_error("--trust-proxy: %s", err.msg);
			a->scfg.trust = &a->trust;
			break;
		default:
			opt_usage_error("unknown option");
		}
	}
	if (optind != argc)
		opt_usage_error("unexpected argument: %s", argv[optind]);
	if ((a->scfg.tls_cert == NULL) != (a->scfg.tls_key == NULL))
		opt_usage_error("--tls-cert and --tls-key go together");
}

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
		    (unsigned long long)want, strerror(errno));
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
		    "reason=%s", skip_name(why));
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
	log_rl(&a->bad_rl, LOG_LVL_WARN, "line skipped", "reason=%s detail=%s",
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
room_update(void *arg, struct room *r, struct msg *m)
{
	struct app *a = arg;

	if (a->server != NULL)
		server_room_update(a->server, r, m);
}

static void
room_reset(void *arg, struct room *r)
{
	struct app *a = arg;

	log_info("new epoch", "game=%s epoch=%lld", room_id(r),
	    (long long)room_epoch(r));
	if (a->server != NULL)
		server_room_reset(a->server, r);
}

static void
room_notice(void *arg, struct room *r, struct msg *m)
{
	struct app *a = arg;

	if (a->server != NULL)
		server_room_notice(a->server, r, m);
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
	service_signals_close();
}

static void
on_stop(void *arg, int signum)
{
	struct app *a = arg;

	if (a->stopping++)
		return;
	log_info("stopping", "signal=%d clients=%lu", signum,
	    server_clients(a->server));
	service_stopping();
	feed_close(a->input);
	a->input = NULL;
	uv_timer_stop(&a->flush);
	uv_timer_stop(&a->stats);
	server_shutdown(a->server, 2000, stopped, a);
}

int
main(int argc, char **argv)
{
	struct app a;
	struct input_cfg icfg;
	struct errbuf err;
	int rc = 0;

	memset(&a, 0, sizeof(a));
	log_init("ws-fanout", LOG_LVL_INFO);
	opt_set_usage("ws-fanout", usage);
	a.input_spec = "-";
	a.port = 8080;
	a.ready_fd = -1;
	a.stats_ms = 60000;
	a.bad_rl = (struct ratelimit)RATELIMIT_INIT(10000, 5);
	a.rcfg.pre = LWS_PRE;
	a.rcfg.rate = 10;
	a.rcfg.history = 600;
	a.rcfg.history_bytes = 16u << 20;
	a.rcfg.max_series = 64u << 20;
	a.rcfg.max_rooms = 512;
	a.scfg.max_per_ip = 10;
	a.scfg.max_conns = 15000;
	a.scfg.client_queue = 1u << 20;
	a.scfg.queue_budget = 256u << 20;
	a.scfg.ping_ms = 30000;
	a.scfg.pong_timeout_ms = 5000;
	a.scfg.idle_timeout_ms = 300000;
	a.scfg.max_client_msg = 1024;
	a.scfg.deflate_min = 1024;
	a.scfg.request_timeout_ms = 5000;
	a.scfg.max_pending = 1024;
	parse_args(&a, argc, argv);
	/* As many pending as upgraded ones may be, from one address. */
	if (a.scfg.max_pending_per_ip == 0)
		a.scfg.max_pending_per_ip = a.scfg.max_per_ip > 16 ?
		    a.scfg.max_per_ip : 16;
	if (a.scfg.max_pending_per_ip > a.scfg.max_pending)
		a.scfg.max_pending_per_ip = a.scfg.max_pending;
	if (tls_files_ok(&a.scfg, &err) == -1) {
		log_error("startup failed", "error=%s", log_str(err.msg));
		free(a.iface);
		return EXIT_CONFIG;
	}

	a.rcfg.on_update = room_update;
	a.rcfg.on_reset = room_reset;
	a.rcfg.on_notice = room_notice;
	a.rcfg.arg = &a;
	if ((a.rooms = rooms_new(&a.rcfg)) == NULL) {
		log_error("startup failed", "error=%s", "out of memory");
		return EXIT_SOFTWARE;
	}
	fit_nofile(a.scfg.max_conns, &a.scfg.max_pending);
	if (a.scfg.max_pending_per_ip > a.scfg.max_pending)
		a.scfg.max_pending_per_ip = a.scfg.max_pending;
	uv_loop_init(&a.loop);
	uv_timer_init(&a.loop, &a.flush);
	a.flush.data = &a;
	uv_timer_init(&a.loop, &a.stats);
	a.stats.data = &a;
	if (service_signals(&a.loop, on_stop, &a, &err) == -1) {
		log_error("startup failed", "error=%s", log_str(err.msg));
		rc = EXIT_OSERR;
		goto out;
	}
	a.scfg.iface = a.iface;
	a.scfg.port = a.port;
	a.scfg.history = a.rcfg.history;
	a.scfg.lws_verbose = a.verbose > 1;
	a.scfg.rooms = a.rooms;
	a.scfg.metrics = &a.metrics;
	if ((a.server = server_new(&a.loop, &a.scfg, &err)) == NULL) {
		log_error("startup failed", "error=%s", log_str(err.msg));
		/* A certificate lws cannot load is the operator's to fix. */
		rc = strncmp(err.msg, "tls:", 4) == 0 ? EXIT_CONFIG : EXIT_OSERR;
		goto out;
	}
	memset(&icfg, 0, sizeof(icfg));
	icfg.max_line = a.max_line;
	icfg.on_line = on_line;
	icfg.on_bad = on_bad;
	icfg.on_conn = on_conn;
	icfg.on_eof = on_eof;
	icfg.on_error = on_input_error;
	icfg.arg = &a;
	if ((a.input = feed_open(&a.loop, a.input_spec, &icfg,
	    &a.metrics.broker, &err)) == NULL) {
		log_error("startup failed", "input=%s error=%s",
		    log_str(a.input_spec), log_str(err.msg));
		rc = EXIT_IOERR;
		goto out;
	}
	uv_timer_start(&a.stats, on_stats, (uint64_t)a.stats_ms,
	    (uint64_t)a.stats_ms);
	uv_unref((uv_handle_t *)&a.stats);
	log_info("serving", "listen=%s:%d tls=%s input=%s",
	    a.iface ? a.iface : "*", a.port, a.scfg.tls_cert ? "yes" : "no",
	    log_str(a.input_spec));
	if (service_ready(a.ready_fd, &err) == -1)
		log_warn("readiness failed", "error=%s", log_str(err.msg));
	uv_run(&a.loop, UV_RUN_DEFAULT);
	log_info("stopped", NULL);
out:
	if (a.server != NULL) {
		feed_close(a.input);
		stopped(&a);
	} else if (!uv_is_closing((uv_handle_t *)&a.flush)) {
		feed_close(a.input);
		uv_close((uv_handle_t *)&a.flush, NULL);
		uv_close((uv_handle_t *)&a.stats, NULL);
		service_signals_close();
	}
	service_loop_close(&a.loop);
	uv_loop_close(&a.loop);
	rooms_free(a.rooms);
	free(a.iface);
	return rc;
}
