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
    "espn-poll [-1qv] [-b url] [-d yyyymmdd] [-g id] [-G count] "
    "[-i interval] [-o output] [-R delay] [-s interval] [-t timeout] "
    "[-u agent] [--ready-fd fd] | espn-poll -r file [-x speed] "
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
    "  -d, --date YYYYMMDD          scoreboard date to poll (repeatable;\n"
    "                               default: US Eastern today and yesterday)\n"
    "  -g, --game ID                also follow this game, whatever its state\n"
    "                               (repeatable)\n"
    "  -G, --give-up N              failures in a row before exiting 69\n"
    "                               (default 10; 0 never)\n"
    "  -h, --help                   this help\n"
    "  -i, --interval DURATION      summary poll interval (default 5s)\n"
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
    "      --ready-fd FD            write a newline to FD once running\n"
    "\n"
    "Durations take ms, s (default) or m: 500ms, 2.5s, 1m.\n";

enum { OPT_READY_FD = 256 };

static const struct option longopts[] = {
	{ "once",		no_argument,		NULL, '1' },
	{ "base-url",		required_argument,	NULL, 'b' },
	{ "date",		required_argument,	NULL, 'd' },
	{ "game",		required_argument,	NULL, 'g' },
	{ "give-up",		required_argument,	NULL, 'G' },
	{ "help",		no_argument,		NULL, 'h' },
	{ "interval",		required_argument,	NULL, 'i' },
	{ "output",		required_argument,	NULL, 'o' },
	{ "quiet",		no_argument,		NULL, 'q' },
	{ "retry-base",		required_argument,	NULL, 'R' },
	{ "replay",		required_argument,	NULL, 'r' },
	{ "scoreboard-interval", required_argument,	NULL, 's' },
	{ "timeout",		required_argument,	NULL, 't' },
	{ "user-agent",		required_argument,	NULL, 'u' },
	{ "verbose",		no_argument,		NULL, 'v' },
	{ "version",		no_argument,		NULL, 'V' },
	{ "speed",		required_argument,	NULL, 'x' },
	{ "ready-fd",		required_argument,	NULL, OPT_READY_FD },
	{ NULL,			0,			NULL, 0 }
};

struct app {
	uv_loop_t	*loop;
	struct output	*out;
	struct fetch	*fetch;
	struct poller	*poller;
	struct replay	*replay;
	int		 exit_code;
	int		 stopping;
};

static int
valid_digits(const char *s, size_t min, size_t max)
{
	size_t n = strlen(s), i;

	if (n < min || n > max)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static void
output_closed(void *arg)
{
	(void)arg;
}

/* Everything stops here: signals, --once done, give-up, end of replay. */
static void
stop(struct app *a, int code)
{
	struct output_stats os;
	struct poller_stats ps;

	if (a->stopping)
		return;
	a->stopping = 1;
	a->exit_code = code;
	service_stopping();
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
	}
	output_close(a->out, 2000, output_closed, a);
	service_signals_close();
}

static void
on_signal(void *arg, int signum)
{
	log_info("signal", "signum=%d", signum);
	stop(arg, 0);
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

int
main(int argc, char *argv[])
{
	const char *games[MAX_LIST], *dates[MAX_LIST];
	const char *base = DEFAULT_BASE, *output = "-", *replay_path = NULL;
	const char *ua = USER_AGENT;
	size_t ngames = 0, ndates = 0;
	int64_t interval = 5000, sb_interval = 15000, retry_base = 1000;
	int64_t timeout = 10000;
	long long give_up = 10, ready_fd = -1;
	double speed = 1.0;
	int ch, once = 0, speed_set = 0;
	struct errbuf err = { "" };
	struct output_cfg ocfg;
	struct fetch_cfg fcfg;
	struct poller_cfg pcfg;
	struct app a;
	uv_loop_t loop;

	opt_set_usage("espn-poll", usage);
	log_init("espn-poll", LOG_LVL_INFO);
	while ((ch = getopt_long(argc, argv, "1b:d:g:G:hi:o:qR:r:s:t:u:vVx:",
	    longopts, NULL)) != -1) {
		switch (ch) {
		case '1':
			once = 1;
			break;
		case 'b':
			base = optarg;
			break;
		case 'd':
			if (!valid_digits(optarg, 8, 8))
				opt_usage_error("--date %s: want YYYYMMDD",
				    optarg);
			if (ndates == MAX_LIST)
				opt_usage_error("--date: at most %d",
				    MAX_LIST);
			dates[ndates++] = optarg;
			break;
		case 'g':
			if (!valid_digits(optarg, 1, 20))
				opt_usage_error("--game %s: want an ESPN event "
				    "id (digits)", optarg);
			if (ngames == MAX_LIST)
				opt_usage_error("--game: at most %d",
				    MAX_LIST);
			games[ngames++] = optarg;
			break;
		case 'G':
			give_up = opt_int_or_die("--give-up", optarg, 0, 1000000);
			break;
		case 'h':
			printf("usage: %s\n\n%s", usage, help);
			return 0;
		case 'i':
			interval = opt_duration_or_die("--interval", optarg, 10,
			    3600000);
			break;
		case 'o':
			output = optarg;
			break;
		case 'q':
			log_quiet();
			break;
		case 'R':
			retry_base = opt_duration_or_die("--retry-base", optarg,
			    1, 3600000);
			break;
		case 'r':
			replay_path = optarg;
			break;
		case 's':
			sb_interval = opt_duration_or_die(
			    "--scoreboard-interval", optarg, 0, 3600000);
			if (sb_interval > 0 && sb_interval < 10)
				opt_usage_error("--scoreboard-interval: 0 or "
				    "at least 10ms");
			break;
		case 't':
			timeout = opt_duration_or_die("--timeout", optarg, 10,
			    600000);
			break;
		case 'u':
			ua = optarg;
			break;
		case 'v':
			log_verbose();
			break;
		case 'V':
			opt_version();
		case 'x':
			speed = opt_double_or_die("--speed", optarg, 0.001, 1e9);
			speed_set = 1;
			break;
		case OPT_READY_FD:
			ready_fd = opt_int_or_die("--ready-fd", optarg, 0,
			    1 << 20);
			break;
		default:
			opt_usage_error("unknown option");
		}
	}
	if (optind != argc)
		opt_usage_error("unexpected argument %s", argv[optind]);
	if (*ua == '\0')
		opt_usage_error("--user-agent: ESPN refuses an empty one");
	if (speed_set && replay_path == NULL)
		opt_usage_error("--speed goes with --replay");
	if (replay_path == NULL && sb_interval == 0 && ngames == 0)
		opt_usage_error("nothing to poll: no scoreboard and no --game");

	memset(&a, 0, sizeof(a));
	a.loop = &loop;
	uv_loop_init(&loop);
	if (service_signals(&loop, on_signal, &a, &err) == -1) {
		log_error("signals", "error=%s", log_str(err.msg));
		return EXIT_OSERR;
	}
	memset(&ocfg, 0, sizeof(ocfg));
	ocfg.on_connect = on_connect;
	ocfg.on_error = on_output_error;
	ocfg.arg = &a;
	if ((a.out = output_open(&loop, output, &ocfg, &err)) == NULL) {
		log_error("output", "spec=%s error=%s", log_str(output),
		    log_str(err.msg));
		service_loop_close(&loop);
		return EXIT_CONFIG;
	}
	if (replay_path != NULL) {
		a.replay = replay_new(&loop, replay_path, speed, a.out,
		    on_exit_code, &a, &err);
		if (a.replay == NULL) {
			log_error("replay", "error=%s", log_str(err.msg));
			a.exit_code = EXIT_IOERR;
			stop(&a, EXIT_IOERR);
			goto run;
		}
	} else {
		memset(&fcfg, 0, sizeof(fcfg));
		fcfg.user_agent = ua;
		fcfg.timeout_ms = timeout;
		if ((a.fetch = fetch_new(&loop, &fcfg, &err)) == NULL) {
			log_error("fetch", "error=%s", log_str(err.msg));
			stop(&a, EXIT_SOFTWARE);
			goto run;
		}
		memset(&pcfg, 0, sizeof(pcfg));
		pcfg.base_url = base;
		pcfg.interval_ms = interval;
		pcfg.scoreboard_interval_ms = sb_interval;
		pcfg.games = games;
		pcfg.ngames = ngames;
		pcfg.dates = dates;
		pcfg.ndates = ndates;
		pcfg.once = once;
		pcfg.give_up = (unsigned)give_up;
		pcfg.retry_base_ms = retry_base;
		pcfg.fetch = a.fetch;
		pcfg.out = a.out;
		pcfg.on_exit = on_exit_code;
		pcfg.arg = &a;
		if ((a.poller = poller_new(&loop, &pcfg, &err)) == NULL ||
		    poller_start(a.poller, &err) == -1) {
			log_error("poller", "error=%s", log_str(err.msg));
			stop(&a, EXIT_SOFTWARE);
			goto run;
		}
		log_info("polling", "base=%s games=%zu dates=%zu "
		    "interval_ms=%lld scoreboard_interval_ms=%lld",
		    log_str(base), ngames, ndates, (long long)interval,
		    (long long)sb_interval);
	}
	if (service_ready((int)ready_fd, &err) == -1)
		log_warn("readiness", "error=%s", log_str(err.msg));
run:
	uv_run(&loop, UV_RUN_DEFAULT);
	service_loop_close(&loop);
	poller_free(a.poller);
	replay_free(a.replay);
	return a.exit_code;
}
