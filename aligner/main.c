/*
 * aligner: reads ESPN and Kalshi stream lines from any number of inputs
 * and writes per-game ticks (align.c does the work). This file is only
 * options, wiring and the loop; it must not interpret lines itself.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uv.h>

#include "align.h"
#include "errbuf.h"
#include "input.h"
#include "log.h"
#include "opts.h"
#include "output.h"
#include "redis_url.h"
#include "service.h"
#include "timeutil.h"

#define USAGE "aligner [-qv] [-b max-backlog] [-g max-games] [-l max-line] " \
	"[-m map-file] [-o output] [-p max-points] [-r ready-fd] " \
	"[-t max-tick] [-u max-unmapped] [--stream-expire dur] " \
	"[--stream-maxlen n] [input ...]"
#define MAX_MAP_FILE	(1024 * 1024)
#define CLOSE_TIMEOUT_MS 5000

struct app {
	uv_loop_t	 loop;
	uv_check_t	 check;
	uv_timer_t	 fail_timer;	/* finishes outside a write call */
	struct align	*al;
	struct input	**in;
	int		 nin, open_streams, sockets;
	struct output	*out;
	int		 paused;
	int		 stopping;
	int		 exit_code;
	struct ratelimit rl;
};

static void
usage_exit(void)
{
	printf("usage: %s\n", USAGE);
	printf("  -b, --max-backlog BYTES  output held while the consumer is "
	    "away (default 64 MiB)\n");
	printf("  -g, --max-games N     games held (default %d)\n",
	    ALIGN_DEFAULT_MAX_GAMES);
	printf("  -l, --max-line BYTES  longest input line (default %d)\n",
	    NDJSON_DEFAULT_MAX_LINE);
	printf("  -m, --map FILE        market map: GAME_ID TICKER TEAM "
	    "per line\n");
	printf("  -o, --output SPEC     - (stdout, default), unix:PATH or "
	    "redis://[HOST][:PORT]/NAME\n");
	printf("  -p, --max-points N    points per series per game "
	    "(default %d)\n", ALIGN_DEFAULT_MAX_POINTS);
	printf("  -q, --quiet           log less (repeatable)\n");
	printf("  -r, --ready-fd N      write a newline to fd N once serving\n");
	printf("  -t, --max-tick N      new points that force a tick "
	    "(default %d)\n", ALIGN_DEFAULT_MAX_TICK);
	printf("  -u, --max-unmapped N  quotes held for unknown games "
	    "(default %d)\n", ALIGN_DEFAULT_MAX_UNMAPPED);
	printf("  -v, --verbose         log more (repeatable)\n");
	printf("      --stream-expire DUR  redis: keep a final game's stream "
	    "(default 6h)\n");
	printf("      --stream-maxlen N  redis: entries per game stream "
	    "(default %d)\n", OUTPUT_REDIS_DEFAULT_MAXLEN);
	printf("  -h, --help            this text\n");
	printf("  -V, --version         the version\n");
	printf("inputs: - (stdin, the default), a file or FIFO, "
	    "or unix:PATH (listen)\n");
	exit(0);
}

static void	finish(struct app *);

static void
pause_all(struct app *app, int pause)
{
	int i;

	if (app->paused == pause)
		return;
	app->paused = pause;
	for (i = 0; i < app->nin; i++)
		if (app->in[i] != NULL)
			(pause ? input_pause : input_resume)(app->in[i]);
	log_debug("backpressure", "paused=%d", pause);
}

static void
on_fail_timer(uv_timer_t *t)
{
	finish(t->data);
}

/*
 * The output failed for good. Stopping from inside a write would re-enter
 * align_flush; a zero timer stops on the next turn of the loop instead.
 */
static void
output_failed(struct app *app)
{
	if (app->exit_code == 0)
		app->exit_code = EXIT_IOERR;
	if (!app->stopping)
		uv_timer_start(&app->fail_timer, on_fail_timer, 0, 0);
}

static void
emit(void *arg, const char *line, size_t len)
{
	struct app *app = arg;

	if (output_write(app->out, line, len) == -1) {
		output_failed(app);
		return;
	}
	/*
	 * A slow consumer slows the inputs down. With none connected the
	 * queue sheds its oldest lines instead: the snapshot on reconnect
	 * makes up for them.
	 */
	if (output_busy(app->out) && output_connected(app->out))
		pause_all(app, 1);
}

static void
snapshot_emit(void *arg, const char *line, size_t len)
{
	output_write(arg, line, len);
}

static void
on_line(void *arg, struct input *in, unsigned conn, json_t *obj,
    const char *line, size_t len)
{
	struct app *app = arg;
	struct errbuf err;
	int r;

	if (app->stopping)
		return;
	/* Raw input: align.c scans the common lines without jansson. */
	r = align_feed_line(app->al, line, len, &err);
	if (r == ALIGN_BAD || r == ALIGN_NOT_JSON)
		log_rl(&app->rl, LOG_LVL_WARN, "bad line", "input=%s why=%s "
		    "detail=%s", log_str(input_spec(in)), r == ALIGN_BAD ?
		    "missing_field" : "not_json", log_str(err.msg));
}

static void
on_bad(void *arg, struct input *in, enum ndjson_bad why, const char *detail)
{
	struct app *app = arg;
	static const char *const names[] = { "", "too_long", "not_json",
	    "not_object" };

	log_rl(&app->rl, LOG_LVL_WARN, "bad line", "input=%s why=%s detail=%s",
	    log_str(input_spec(in)), names[why], log_str(detail));
}

static void
on_conn(void *arg, struct input *in, unsigned conn, int up)
{
	log_info(up ? "writer connected" : "writer gone", "input=%s conn=%u",
	    log_str(input_spec(in)), conn);
}

static void
on_eof(void *arg, struct input *in)
{
	struct app *app = arg;

	log_debug("input done", "input=%s", log_str(input_spec(in)));
	/* Pipe mode ends when the last stream ends; sockets never end. */
	if (--app->open_streams == 0 && app->sockets == 0)
		finish(app);
}

static void
on_input_error(void *arg, struct input *in, const char *what, int uverr)
{
	log_warn("input error", "input=%s op=%s error=%s",
	    log_str(input_spec(in)), what, uv_strerror(uverr));
}

static void
on_connect(void *arg, struct output *out)
{
	struct app *app = arg;
	struct align_stats st;

	align_get_stats(app->al, &st);
	log_info("consumer connected", "games=%llu", st.games);
	align_snapshot(app->al, snapshot_emit, out);
}

/* redis: the output keeps the games it needs from this state. */
static void
on_resync(void *arg, struct output *out)
{
	struct app *app = arg;

	align_snapshot(app->al, snapshot_emit, out);
}

static void
on_disconnect(void *arg, struct output *out)
{
	log_info("consumer gone", NULL);
	pause_all(arg, 0);
}

static void
on_drain(void *arg, struct output *out)
{
	pause_all(arg, 0);
}

static void
on_output_error(void *arg, struct output *out, int uverr)
{
	struct app *app = arg;

	log_error("output failed", "error=%s", uv_strerror(uverr));
	output_failed(app);
}

/* After each loop iteration's input: one tick per game with new points. */
static void
on_check(uv_check_t *h)
{
	struct app *app = h->data;

	if (!app->stopping)
		align_flush(app->al);
}

static void
output_closed(void *arg)
{
	struct app *app = arg;
	int i;

	app->out = NULL;
	for (i = 0; i < app->nin; i++) {
		input_close(app->in[i]);
		app->in[i] = NULL;
	}
	uv_close((uv_handle_t *)&app->check, NULL);
	uv_close((uv_handle_t *)&app->fail_timer, NULL);
	service_signals_close();
}

/* Writes the last tick, flushes the output, then lets the loop end. */
static void
finish(struct app *app)
{
	if (app->stopping)
		return;
	app->stopping = 1;
	/* A failing write inside this flush returns here at once. */
	align_flush(app->al);
	service_stopping();
	output_close(app->out, CLOSE_TIMEOUT_MS, output_closed, app);
}

static void
on_stop(void *arg, int signum)
{
	log_info("stopping", "signal=%d", signum);
	finish(arg);
}

static int
load_map(struct align *al, const char *path)
{
	struct errbuf err;
	char *buf = NULL;
	ssize_t n;
	size_t len = 0;
	int fd, r = -1;

	if ((fd = open(path, O_RDONLY)) == -1) {
		log_error("cannot open map", "path=%s error=%s", log_str(path),
		    log_str(strerror(errno)));
		return -1;
	}
	if ((buf = malloc(MAX_MAP_FILE)) == NULL)
		goto done;
	while ((n = read(fd, buf + len, MAX_MAP_FILE - len)) > 0)
		len += (size_t)n;
	if (n < 0 || len == MAX_MAP_FILE) {
		log_error("cannot read map", "path=%s", log_str(path));
		goto done;
	}
	if ((r = align_map_load(al, buf, len, &err)) < 0)
		log_error("bad map", "path=%s reason=%s", log_str(path),
		    log_str(err.msg));
	else
		log_info("map loaded", "path=%s entries=%d", log_str(path), r);
done:
	free(buf);
	close(fd);
	return r < 0 ? -1 : 0;
}

static void
log_stats(struct app *app)
{
	struct align_stats st;

	align_get_stats(app->al, &st);
	log_info("done", "lines=%llu not_json=%llu bad=%llu ignored=%llu wp=%llu "
	    "wp_dup=%llu quotes=%llu quote_dup=%llu quote_stale=%llu "
	    "espn_points=%llu kalshi_points=%llu espn_shed=%llu "
	    "kalshi_shed=%llu unmapped=%llu unmapped_shed=%llu games=%llu "
	    "ticks=%llu", st.lines, st.not_json, st.bad, st.ignored, st.wp, st.wp_dup,
	    st.quotes, st.quote_dup, st.quote_stale, st.espn_points,
	    st.kalshi_points, st.espn_shed, st.kalshi_shed, st.unmapped,
	    st.unmapped_shed, st.games, st.ticks);
}

int
main(int argc, char *argv[])
{
	enum { OPT_EXPIRE = 256, OPT_MAXLEN };
	static const struct option longopts[] = {
		{ "max-backlog",	required_argument, NULL, 'b' },
		{ "max-games",		required_argument, NULL, 'g' },
		{ "help",		no_argument,	   NULL, 'h' },
		{ "max-line",		required_argument, NULL, 'l' },
		{ "map",		required_argument, NULL, 'm' },
		{ "output",		required_argument, NULL, 'o' },
		{ "max-points",		required_argument, NULL, 'p' },
		{ "quiet",		no_argument,	   NULL, 'q' },
		{ "ready-fd",		required_argument, NULL, 'r' },
		{ "max-tick",		required_argument, NULL, 't' },
		{ "max-unmapped",	required_argument, NULL, 'u' },
		{ "verbose",		no_argument,	   NULL, 'v' },
		{ "version",		no_argument,	   NULL, 'V' },
		{ "stream-expire",	required_argument, NULL, OPT_EXPIRE },
		{ "stream-maxlen",	required_argument, NULL, OPT_MAXLEN },
		{ NULL, 0, NULL, 0 }
	};
	static const char *const stdin_only[] = { "-" };
	struct app app;
	struct align_cfg acfg;
	struct input_cfg icfg;
	struct output_cfg ocfg;
	struct errbuf err;
	const char *map = NULL, *outspec = "-";
	const char *const *specs;
	int ch, i, nspecs, ready_fd = -1, stdin_used = 0;
	size_t max_line = 0, max_backlog = 0, stream_maxlen = 0;
	int64_t stream_expire = 0;

	memset(&app, 0, sizeof(app));
	memset(&acfg, 0, sizeof(acfg));
	opt_set_usage("aligner", USAGE);
	log_init("aligner", LOG_LVL_INFO);
	while ((ch = getopt_long(argc, argv, "b:g:hl:m:o:p:qr:t:u:vV", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'b':
			max_backlog = (size_t)opt_int_or_die("max-backlog",
			    optarg, 4096, 1LL << 40);
			break;
		case 'g':
			acfg.max_games = (size_t)opt_int_or_die("max-games",
			    optarg, 1, 1000000);
			break;
		case 'h':
			usage_exit();
			break;
		case 'l':
			max_line = (size_t)opt_int_or_die("max-line", optarg,
			    256, 64 * 1024 * 1024);
			break;
		case 'm':
			map = optarg;
			break;
		case 'o':
			if (strcmp(optarg, "-") != 0 &&
			    strncmp(optarg, "unix:", 5) != 0 &&
			    !redis_url_is(optarg))
				opt_usage_error("--output: want -, unix:PATH or "
				    "redis://[HOST][:PORT]/NAME");
			if (redis_url_is(optarg)) {
				struct redis_url u;

				if (redis_url_parse(optarg, &u, &err) == -1)
					opt_usage_error("--output: %s", err.msg);
			}
			outspec = optarg;
			break;
		case 'p':
			acfg.max_points = (size_t)opt_int_or_die("max-points",
			    optarg, 16, 100000000);
			break;
		case 'q':
			log_quiet();
			break;
		case 'r':
			ready_fd = (int)opt_int_or_die("ready-fd", optarg, 0,
			    65535);
			break;
		case 't':
			acfg.max_tick = (size_t)opt_int_or_die("max-tick",
			    optarg, 1, 10000000);
			break;
		case 'u':
			acfg.max_unmapped = (size_t)opt_int_or_die(
			    "max-unmapped", optarg, 1, 100000000);
			break;
		case 'v':
			log_verbose();
			break;
		case 'V':
			opt_version();
			break;
		case OPT_EXPIRE:
			stream_expire = opt_duration_or_die("stream-expire",
			    optarg, 1000, 30LL * 86400000) / 1000;
			break;
		case OPT_MAXLEN:
			stream_maxlen = (size_t)opt_int_or_die("stream-maxlen",
			    optarg, 10, 100000000);
			break;
		default:
			opt_usage_error("unknown option");
		}
	}
	nspecs = argc - optind;
	specs = (const char *const *)(argv + optind);
	if (nspecs == 0) {
		specs = stdin_only;
		nspecs = 1;
	}
	for (i = 0; i < nspecs; i++)
		if (strcmp(specs[i], "-") == 0 && stdin_used++)
			opt_usage_error("stdin given twice");

	app.rl = (struct ratelimit)RATELIMIT_INIT(10000, 10);
	acfg.epoch = time_now_ms();
	acfg.emit = emit;
	acfg.arg = &app;
	if ((app.al = align_new(&acfg)) == NULL) {
		log_error("out of memory", NULL);
		return EXIT_OSERR;
	}
	if (map != NULL && load_map(app.al, map) == -1) {
		align_free(app.al);
		return EXIT_CONFIG;
	}
	if (uv_loop_init(&app.loop) != 0) {
		log_error("loop init failed", NULL);
		align_free(app.al);
		return EXIT_SOFTWARE;
	}
	uv_timer_init(&app.loop, &app.fail_timer);
	app.fail_timer.data = &app;
	if (service_signals(&app.loop, on_stop, &app, &err) == -1) {
		log_error("signals", "reason=%s", log_str(err.msg));
		app.exit_code = EXIT_OSERR;
		goto out;
	}
	memset(&ocfg, 0, sizeof(ocfg));
	ocfg.max_queue = max_backlog;
	ocfg.redis_maxlen = stream_maxlen;
	ocfg.redis_expire_s = stream_expire;
	ocfg.on_connect = on_connect;
	ocfg.on_resync = on_resync;
	ocfg.on_disconnect = on_disconnect;
	ocfg.on_drain = on_drain;
	ocfg.on_error = on_output_error;
	ocfg.arg = &app;
	if ((app.out = output_open(&app.loop, outspec, &ocfg, &err)) == NULL) {
		log_error("cannot open output", "output=%s reason=%s",
		    log_str(outspec), log_str(err.msg));
		app.exit_code = EXIT_OSERR;
		goto out;
	}
	memset(&icfg, 0, sizeof(icfg));
	icfg.max_line = max_line;
	icfg.raw = 1;
	icfg.on_line = on_line;
	icfg.on_bad = on_bad;
	icfg.on_conn = on_conn;
	icfg.on_eof = on_eof;
	icfg.on_error = on_input_error;
	icfg.arg = &app;
	if ((app.in = calloc((size_t)nspecs, sizeof(*app.in))) == NULL) {
		app.exit_code = EXIT_OSERR;
		goto out;
	}
	app.nin = nspecs;
	for (i = 0; i < nspecs; i++) {
		if ((app.in[i] = input_open(&app.loop, specs[i], &icfg,
		    &err)) == NULL) {
			log_error("cannot open input", "input=%s reason=%s",
			    log_str(specs[i]), log_str(err.msg));
			app.exit_code = EXIT_OSERR;
			goto out;
		}
		if (input_is_socket(app.in[i]))
			app.sockets++;
		else
			app.open_streams++;
	}
	uv_check_init(&app.loop, &app.check);
	app.check.data = &app;
	uv_check_start(&app.check, on_check);
	if (service_ready(ready_fd, &err) == -1)
		log_warn("readiness", "reason=%s", log_str(err.msg));
	log_info("started", "inputs=%d output=%s epoch=%lld", nspecs,
	    log_str(outspec), (long long)acfg.epoch);
	uv_run(&app.loop, UV_RUN_DEFAULT);
	log_stats(&app);
	goto done;
out:
	/* Startup failed: close what was opened. */
	for (i = 0; app.in != NULL && i < app.nin; i++)
		input_close(app.in[i]);
	output_close(app.out, 0, NULL, NULL);
	service_signals_close();
done:
	service_loop_close(&app.loop);
	free(app.in);
	align_free(app.al);
	return app.exit_code;
}
