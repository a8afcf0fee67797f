/*
 * aligner: reads ESPN and Kalshi stream lines from any number of inputs
 * and writes per-game ticks (align.c does the work). This file is only
 * options, wiring and the loop; it must not interpret lines itself.
 */
#include <errno.h>
#include <fcntl.h>
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
#include "options.h"
#include "opts.h"
#include "output.h"
#include "service.h"
#include "timeutil.h"

#define MAX_MAP_FILE	(1024 * 1024)
#define CLOSE_TIMEOUT_MS 5000

struct app {
	struct service	 svc;		/* the loop, signals, the one stop */
	uv_check_t	 check;
	int		 checking;	/* check is initialised */
	struct align	*al;		/* owned */
	struct input	**in;		/* owned, nin of them */
	int		 nin, open_streams, sockets;
	struct output	*out;		/* owned */
	int		 paused;
	int		 stopping;
	int		 started;
	int		 exit_code;	/* a failure after the stop began */
	struct ratelimit rl;
};

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

/*
 * The output failed for good. Stopping from inside a write would re-enter
 * align_flush; service_stop waits for the next turn of the loop.
 */
static void
output_failed(struct app *app)
{
	if (app->exit_code == 0)
		app->exit_code = EXIT_IOERR;
	service_stop(&app->svc, EXIT_IOERR);
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
		log_rl(&app->rl, LOG_LVL_WARN, "bad line", "input=%s kind=%s "
		    "error=%s", log_str(input_spec(in)), r == ALIGN_BAD ?
		    "missing_field" : "not_json", log_str(err.msg));
}

static void
on_bad(void *arg, struct input *in, enum ndjson_bad why, const char *detail)
{
	struct app *app = arg;
	static const char *const names[] = { "", "too_long", "not_json",
	    "not_object" };

	log_rl(&app->rl, LOG_LVL_WARN, "bad line", "input=%s kind=%s error=%s",
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
		service_stop(&app->svc, 0);
}

static void
on_input_error(void *arg, struct input *in, const char *what, int uverr)
{
	log_warn("input error", "input=%s op=%s error=%s",
	    log_str(input_spec(in)), log_str(what), log_str(uv_strerror(uverr)));
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

	log_error("output failed", "error=%s", log_str(uv_strerror(uverr)));
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
	if (app->checking)
		uv_close((uv_handle_t *)&app->check, NULL);
	app->checking = 0;
}

/*
 * The service's on_stop: writes the last tick, flushes the output, then
 * lets the loop end.
 */
static void
finish(void *arg, int code)
{
	struct app *app = arg;

	(void)code;
	app->stopping = 1;
	/* A failing write inside this flush returns here at once. */
	align_flush(app->al);
	output_close(app->out, CLOSE_TIMEOUT_MS, output_closed, app);
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
		log_error("bad map", "path=%s error=%s", log_str(path),
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

/* The aligner and its map, before any loop: 0 or the exit code. */
static int
align_open(struct app *app, struct aligner_opts *o)
{
	o->acfg.epoch = time_now_ms();
	o->acfg.emit = emit;
	o->acfg.arg = app;
	if ((app->al = align_new(&o->acfg)) == NULL) {
		log_error("out of memory", NULL);
		return EXIT_OSERR;
	}
	if (o->map != NULL && load_map(app->al, o->map) == -1)
		return EXIT_CONFIG;
	return 0;
}

/*
 * The output, then the inputs, on app->svc.loop, their limits from the
 * options and their callbacks here: 0 or the exit code.
 */
static int
app_open(struct app *app, struct aligner_opts *o)
{
	struct errbuf err;
	int i;

	o->ocfg.on_connect = on_connect;
	o->ocfg.on_resync = on_resync;
	o->ocfg.on_disconnect = on_disconnect;
	o->ocfg.on_drain = on_drain;
	o->ocfg.on_error = on_output_error;
	o->ocfg.arg = app;
	if ((app->out = output_open(&app->svc.loop, o->outspec, &o->ocfg,
	    &err)) == NULL) {
		log_error("cannot open output", "output=%s error=%s",
		    log_str(o->outspec), log_str(err.msg));
		return EXIT_IOERR;
	}
	o->icfg.raw = 1;
	o->icfg.on_line = on_line;
	o->icfg.on_bad = on_bad;
	o->icfg.on_conn = on_conn;
	o->icfg.on_eof = on_eof;
	o->icfg.on_error = on_input_error;
	o->icfg.arg = app;
	if ((app->in = calloc((size_t)o->nspecs, sizeof(*app->in))) == NULL)
		return EXIT_OSERR;
	app->nin = o->nspecs;
	for (i = 0; i < o->nspecs; i++) {
		if ((app->in[i] = input_open(&app->svc.loop, o->specs[i],
		    &o->icfg, &err)) == NULL) {
			log_error("cannot open input", "input=%s error=%s",
			    log_str(o->specs[i]), log_str(err.msg));
			return EXIT_IOERR;
		}
		if (input_is_socket(app->in[i]))
			app->sockets++;
		else
			app->open_streams++;
	}
	uv_check_init(&app->svc.loop, &app->check);
	app->check.data = app;
	app->checking = 1;
	uv_check_start(&app->check, on_check);
	app->started = 1;
	log_info("started", "inputs=%d output=%s epoch=%lld", o->nspecs,
	    log_str(o->outspec), (long long)o->acfg.epoch);
	return 0;
}

int
main(int argc, char *argv[])
{
	struct aligner_opts o;
	struct app app;
	struct errbuf err;
	int rc;

	opt_set_usage("aligner", ALIGNER_USAGE);
	log_init("aligner", LOG_LVL_INFO);
	aligner_options(&o, argc, argv);
	memset(&app, 0, sizeof(app));
	app.rl = (struct ratelimit)RATELIMIT_INIT(10000, 10);
	if ((rc = align_open(&app, &o)) != 0) {
		align_free(app.al);
		return rc;
	}
	if (service_init(&app.svc, finish, &app, &err) == -1) {
		log_error("cannot start", "error=%s", log_str(err.msg));
		align_free(app.al);
		return EXIT_OSERR;
	}
	if ((rc = app_open(&app, &o)) != 0)
		service_stop(&app.svc, rc);
	rc = service_run(&app.svc, o.ready_fd);
	if (app.started)
		log_stats(&app);
	free(app.in);
	align_free(app.al);
	return rc != 0 ? rc : app.exit_code;
}
