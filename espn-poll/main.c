/*
 * espn-poll: polls ESPN's NBA scoreboard and game summaries and writes
 * game, wp and source lines (DESIGN.md), or replays a recording of them.
 * main only reads options and wires the modules; it does no I/O itself.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uv.h>

#include "digits.h"
#include "fetch.h"
#include "log.h"
#include "opts.h"
#include "output.h"
#include "poller.h"
#include "replay.h"
#include "service.h"

#define DEFAULT_BASE	"https://site.api.espn.com/apis/site/v2/sports/basketball/nba"
#define USER_AGENT	"courtside/" COURTSIDE_VERSION \
	" (+https://github.com/courtside/courtside)"
#define MAX_LIST	64

static const char usage[] =
    "espn-poll [-1qv] [-b url] [-g id] [-G count] [-o output] [-R delay] "
    "[-s interval] [-t timeout] [-u agent] [--date yyyymmdd] "
    "[--interval interval] [--ready-fd fd] | espn-poll -r file [-x speed] "
    "[-o output] [--ready-fd fd]";

static const char help[] =
    "Polls ESPN for live NBA games and writes NDJSON game, wp and source\n"
    "lines to the output.\n"
    "\n"
    "  -1, --once                   one poll cycle, then exit (0, or 69 if a\n"
    "                               fetch failed)\n"
    "  -b, --base-url URL           site API root, or a file:// folder of\n"
    "                               scoreboard-nba-DATE.json and\n"
    "                               summary-nba-ID.json (default\n"
    "                               " DEFAULT_BASE ")\n"
    "  -g, --game ID                also follow this game, whatever its state\n"
    "                               (repeatable)\n"
    "  -G, --give-up N              failures in a row before exiting 69\n"
    "                               (default 10; 0 never)\n"
    "  -h, --help                   this help\n"
    "  -o, --output SPEC            - (stdout) or unix:PATH (default -)\n"
    "  -q, --quiet                  log less\n"
    "  -R, --retry-base DURATION    first retry delay; doubles to 30 times\n"
    "                               it (default 1s)\n"
    "  -r, --replay FILE            write a recorded espn-poll file with its\n"
    "                               original pacing instead of polling\n"
    "  -s, --scoreboard-interval DURATION\n"
    "                               scoreboard poll interval (default 15s;\n"
    "                               0: no scoreboard, only --game games)\n"
    "  -t, --timeout DURATION       per request (default 10s)\n"
    "  -u, --user-agent STRING      (default " USER_AGENT ")\n"
    "  -v, --verbose                log more\n"
    "  -V, --version                print the version\n"
    "  -x, --speed X                replay X times faster (default 1)\n"
    "      --date YYYYMMDD          scoreboard date to poll (repeatable;\n"
    "                               default: US Eastern today and yesterday)\n"
    "      --interval DURATION      summary poll interval (default 5s)\n"
    "      --ready-fd FD            write a newline to FD once running\n"
    "\n"
    "Durations take ms, s (default) or m: 500ms, 2.5s, 1m.\n";

enum { OPT_DATE = 256, OPT_INTERVAL };

/* What main wires together: the options, then the modules on svc. */
struct app {
	struct service	 svc;
	const char	*games[MAX_LIST], *dates[MAX_LIST];
	/* The options go straight where they are used; pcfg borrows the
	 * two lists above. */
	struct poller_cfg pcfg;
	struct fetch_cfg fcfg;
	const char	*output, *replay_path;
	int		 ready_fd;
	double		 speed;
	int		 once;
	struct output	*out;
	struct fetch	*fetch;
	struct poller	*poller;
	struct replay	*replay;
};

static int
valid_digits(const char *s, size_t min, size_t max)
{
	size_t n = strlen(s);

	return n >= min && n <= max && digits_only(s, n);
}

/*
 * --date and --game: arg (borrowed from argv) appended to list, which
 * holds *n of MAX_LIST, when it is min to max digits; else exits 64,
 * "name arg: want", or "name: at most MAX_LIST" when list is full.
 */
static void
list_add(const char **list, size_t *n, const char *name, const char *arg,
    size_t min, size_t max, const char *want)
{
	if (!valid_digits(arg, min, max))
		opt_usage_error("%s %s: %s", name, arg, want);
	if (*n == MAX_LIST)
		opt_usage_error("%s: at most %d", name, MAX_LIST);
	list[(*n)++] = arg;
}

/*
 * The service's on_stop, on a loop turn of its own (never inside fetch's
 * callback, whose engine it frees): signals, --once done, give-up, the
 * end of a replay, a wiring failure.
 */
static void
teardown(void *arg, int code)
{
	struct app *a = arg;
	struct output_stats os;
	struct poller_stats ps;

	if (a->poller != NULL) {
		poller_stats(a->poller, &ps);
		log_info("stopping", "code=%d fetches=%llu failures=%llu "
		    "not_modified=%llu unchanged=%llu parsed=%llu wp=%llu "
		    "games=%llu parse_cpu_ms=%.1f summaries=%llu "
		    "summary_cpu_ms=%.1f fallbacks=%llu wire_bytes=%lld", code,
		    ps.fetches, ps.failures, ps.not_modified, ps.unchanged,
		    ps.parsed, ps.wp_lines, ps.game_lines, ps.parse_cpu_ms,
		    ps.summaries, ps.summary_cpu_ms, ps.fallbacks,
		    ps.wire_bytes);
		poller_stop(a->poller);
	}
	replay_stop(a->replay);
	fetch_free(a->fetch);
	a->fetch = NULL;
	if (a->out != NULL) {
		output_stats(a->out, &os);
		if (os.dropped > 0)
			log_warn("lines dropped", "count=%llu", os.dropped);
		output_close(a->out, 2000, NULL, NULL);
	}
	a->out = NULL;
}

static void
stop(struct app *a, int code)
{
	service_stop(&a->svc, code);
}

static void
on_exit_code(void *arg, int code)
{
	stop(arg, code);
}

static void
on_connect(void *arg, struct output *out)
{
	struct app *a = arg;

	log_info("output connected", NULL);
	if (a->poller != NULL)
		poller_resend(a->poller, out);
	if (a->replay != NULL)
		replay_resend(a->replay, out);
}

static void
on_output_error(void *arg, struct output *out, int uverr)
{
	log_error("output failed", "error=%s", log_str(uv_strerror(uverr)));
	stop(arg, EXIT_IOERR);
}

static void
print_help(void)
{
	printf("usage: %s\n\n%s", usage, help);
}

/* Fills a's options from the command line; usage errors exit 64. */
static void
parse_options(int argc, char *argv[], struct app *a)
{
	/* In the order of --help and the man page. */
	const struct opts_row rows[] = {
		OPTS_FLAG('1', "once", &a->pcfg.once),
		OPTS_STR('b', "base-url", &a->pcfg.base_url),
		OPTS_TOOL_ARG('g', "game"),
		OPTS_ROW_GIVE_UP(&a->pcfg.give_up),
		OPTS_HELP(print_help),
		OPTS_STR('o', "output", &a->output),
		OPTS_ROW_QUIET,
		OPTS_MS('R', "retry-base", 1, 3600000, &a->pcfg.retry_base_ms),
		OPTS_STR('r', "replay", &a->replay_path),
		OPTS_TOOL_ARG('s', "scoreboard-interval"),
		OPTS_MS('t', "timeout", 10, 600000, &a->fcfg.timeout_ms),
		OPTS_STR('u', "user-agent", &a->fcfg.user_agent),
		OPTS_ROW_VERBOSE(NULL),
		OPTS_ROW_VERSION,
		OPTS_TOOL_ARG('x', "speed"),
		OPTS_TOOL_ARG(OPT_DATE, "date"),
		OPTS_MS(OPT_INTERVAL, "interval", 10, 3600000,
		    &a->pcfg.interval_ms),
		OPTS_ROW_READY_FD(&a->ready_fd),
	};
	struct opts_parse p;
	int64_t sb;
	int ch, speed_set = 0;

	memset(a, 0, sizeof(*a));
	a->pcfg.base_url = DEFAULT_BASE;
	a->pcfg.interval_ms = 5000;
	a->pcfg.scoreboard_interval_ms = 15000;
	a->pcfg.games = a->games;
	a->pcfg.dates = a->dates;
	a->pcfg.give_up = 10;
	a->pcfg.retry_base_ms = 1000;
	a->fcfg.user_agent = USER_AGENT;
	a->fcfg.timeout_ms = 10000;
	a->output = "-";
	a->ready_fd = -1;
	a->speed = 1.0;
	opts_init(&p, rows, OPTS_N(rows), 0, argc, argv);
	while ((ch = opts_next(&p)) != -1) {
		switch (ch) {
		case OPT_DATE:
			list_add(a->dates, &a->pcfg.ndates, "--date", p.arg,
			    8, 8, "want YYYYMMDD");
			break;
		case 'g':
			list_add(a->games, &a->pcfg.ngames, "--game", p.arg,
			    1, 20, "want an ESPN event id (digits)");
			break;
		case 's':
			sb = opt_duration_or_die("--scoreboard-interval", p.arg,
			    0, 3600000);
			if (sb > 0 && sb < 10)
				opt_usage_error("--scoreboard-interval: 0 or "
				    "at least 10ms");
			a->pcfg.scoreboard_interval_ms = sb;
			break;
		case 'x':
			a->speed = opt_double_or_die("--speed", p.arg, 0.001,
			    1e9);
			speed_set = 1;
			break;
		}
	}
	if (optind != argc)
		opt_usage_error("unexpected argument %s", argv[optind]);
	if (*a->fcfg.user_agent == '\0')
		opt_usage_error("--user-agent: ESPN refuses an empty one");
	if (speed_set && a->replay_path == NULL)
		opt_usage_error("--speed goes with --replay");
	if (a->replay_path == NULL && a->pcfg.scoreboard_interval_ms == 0 &&
	    a->pcfg.ngames == 0)
		opt_usage_error("nothing to poll: no scoreboard and no --game");
}

/* The output, then the replay or the poller. Returns 0 or an exit code. */
static int
wire(struct app *a)
{
	struct errbuf err = { "" };
	struct output_cfg ocfg;
	uv_loop_t *loop = &a->svc.loop;

	memset(&ocfg, 0, sizeof(ocfg));
	ocfg.on_connect = on_connect;
	ocfg.on_error = on_output_error;
	ocfg.arg = a;
	if ((a->out = output_open(loop, a->output, &ocfg, &err)) == NULL) {
		log_error("output", "spec=%s error=%s", log_str(a->output),
		    log_str(err.msg));
		return EXIT_IOERR;
	}
	if (a->replay_path != NULL) {
		a->replay = replay_new(loop, a->replay_path, a->speed, a->out,
		    on_exit_code, a, &err);
		if (a->replay == NULL) {
			log_error("replay", "error=%s", log_str(err.msg));
			return EXIT_IOERR;
		}
		return 0;
	}
	if ((a->fetch = fetch_new(loop, &a->fcfg, &err)) == NULL) {
		log_error("fetch", "error=%s", log_str(err.msg));
		return EXIT_SOFTWARE;
	}
	a->pcfg.fetch = a->fetch;
	a->pcfg.out = a->out;
	a->pcfg.on_exit = on_exit_code;
	a->pcfg.arg = a;
	if ((a->poller = poller_new(loop, &a->pcfg, &err)) == NULL ||
	    poller_start(a->poller, &err) == -1) {
		log_error("poller", "error=%s", log_str(err.msg));
		return EXIT_SOFTWARE;
	}
	log_info("polling", "base=%s games=%zu dates=%zu "
	    "interval_ms=%lld scoreboard_interval_ms=%lld",
	    log_str(a->pcfg.base_url), a->pcfg.ngames, a->pcfg.ndates,
	    (long long)a->pcfg.interval_ms,
	    (long long)a->pcfg.scoreboard_interval_ms);
	return 0;
}

int
main(int argc, char *argv[])
{
	struct errbuf err = { "" };
	struct app a;
	int rc;

	opt_set_usage("espn-poll", usage);
	log_init("espn-poll", LOG_LVL_INFO);
	parse_options(argc, argv, &a);
	if (service_init(&a.svc, teardown, &a, &err) == -1) {
		log_error("cannot start the event loop", "error=%s",
		    log_str(err.msg));
		return EXIT_OSERR;
	}
	if ((rc = wire(&a)) != 0)
		stop(&a, rc);
	rc = service_run(&a.svc, a.ready_fd);
	poller_free(a.poller);
	replay_free(a.replay);
	return rc;
}
