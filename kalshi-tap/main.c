/*
 * kalshi-tap: Kalshi NBA game-winner markets as NDJSON market, quote,
 * trade and source lines. Options, the key from the environment, the
 * wiring of the engine's modules (tap.h) and the run. The key never goes
 * to argv or the logs.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "fetch.h"
#include "log.h"
#include "opts.h"
#include "output.h"
#include "service.h"
#include "timeutil.h"

#include "kalshi_parse.h"
#include "kalshi_sign.h"
#include "kalshi_ws.h"
#include "tap.h"

#define REST_TIMEOUT_MS	10000

#define USAGE "kalshi-tap [-hqvV] [-G n] [-m ticker] [-S series] " \
	"[-o output] [--poll-interval interval] [--ready-fd fd] " \
	"[--state file] [--ws-url url] [--rest-url url] [--backfill dur] " \
	"[-r file [-x speed]]"

#define DEFAULT_WS	"wss://api.elections.kalshi.com/trade-api/ws/v2"
#define DEFAULT_REST	"https://api.elections.kalshi.com/trade-api/v2"

static void
help(void)
{
	printf("usage: %s\n\n"
"Follows Kalshi markets (default: series KXNBAGAME, open markets) and\n"
"writes market, quote, trade and source lines as NDJSON.\n\n"
"  -m, --market TICKER        follow this market too (repeatable)\n"
"  -S, --series TICKER        follow the open markets of a series (repeatable;\n"
"                             default KXNBAGAME unless --market is given)\n"
"  -o, --output SPEC          - (stdout, default) or unix:PATH\n"
"      --poll-interval DUR    REST polling period without a key (default 2s)\n"
"      --ready-fd N           write a newline to fd N once running\n"
"      --ws-url URL           WebSocket (default " DEFAULT_WS ")\n"
"      --rest-url URL         REST base (default " DEFAULT_REST ")\n"
"      --discover-interval DUR market discovery period (default 60s)\n"
"      --dead-timeout DUR     silence that ends a connection (default 30s)\n"
"      --ping-interval DUR    our pings on the WebSocket (default 10s)\n"
"      --fallback-after DUR   poll REST while the WebSocket has failed this\n"
"                             long (default 60s; \"off\" never)\n"
"  -G, --give-up N            failures in a row before exit 69 (default 10;\n"
"                             0 never)\n"
"      --max-history N        quote lines held per market and resent to each\n"
"                             new --output connection (default 20000)\n"
"      --state FILE           keep the quote lines written in FILE too, and\n"
"                             resend them after a restart (see --max-history)\n"
"      --backfill DUR         fetch the one-minute candles of a market first\n"
"                             followed, this far back (default 6h; 0 off)\n"
"      --ca-file FILE         also trust the CAs in this PEM file (TLS)\n"
"  -r, --replay FILE          read recorded WS frames (JSONL, - stdin)\n"
"  -x, --speed X              replay pacing, 0 = as fast as possible (1)\n"
"  -v, --verbose              more logging\n"
"  -q, --quiet                less logging\n"
"  -V, --version              the version\n"
"  -h, --help                 this help\n\n"
"Environment: KALSHI_API_KEY_ID and KALSHI_PRIVATE_KEY_PATH (PEM RSA key)\n"
"sign the WebSocket handshake; without them kalshi-tap polls REST.\n",
	    USAGE);
	exit(0);
}

enum {
	O_WS = 256, O_BACKFILL, O_REST, O_DISC, O_DEAD, O_PING, O_FALLBACK,
	O_POLL, O_CA, O_HISTORY, O_STATE,
};

static struct kalshi_key *
load_key(struct tap_cfg *cfg)
{
	const char *id = getenv("KALSHI_API_KEY_ID");
	const char *path = getenv("KALSHI_PRIVATE_KEY_PATH");
	struct kalshi_key *k;
	struct errbuf err;
	int loose = 0;

	if ((id == NULL || *id == '\0') && (path == NULL || *path == '\0'))
		return NULL;
	if (id == NULL || *id == '\0' || path == NULL || *path == '\0') {
		log_error("set both KALSHI_API_KEY_ID and KALSHI_PRIVATE_KEY_PATH",
		    NULL);
		exit(EXIT_CONFIG);
	}
	if ((k = kalshi_key_load(path, &loose, &err)) == NULL) {
		log_error("cannot load private key", "path=%s error=%s",
		    log_str(path), log_str(err.msg));
		exit(EXIT_CONFIG);
	}
	if (loose)
		log_warn("private key file is readable by others", "path=%s",
		    log_str(path));
	cfg->key_id = id;
	return k;
}

static void
close_timer(uv_timer_t *h)
{
	if (!uv_is_closing((uv_handle_t *)h))
		uv_close((uv_handle_t *)h, NULL);
}

/*
 * The service's on_stop, on a loop turn of its own: tap_stop may be
 * called from inside a libwebsockets or libcurl callback, which must not
 * see its context go.
 */
static void
teardown(void *arg, int code)
{
	struct tap *t = arg;

	close_timer(&t->disc_timer);
	close_timer(&t->ws_timer);
	close_timer(&t->dead_timer);
	close_timer(&t->ping_timer);
	close_timer(&t->poll_timer);
	close_timer(&t->replay_timer);
	backfill_close(t);
	replay_fini(t);
	fetch_free(t->rest);
	t->rest = NULL;
	kws_free(t->ws);
	t->ws = NULL;
	if (t->out != NULL)
		output_close(t->out, 2000, NULL, NULL);
	t->out = NULL;
}

void
tap_stop(struct tap *t, int code)
{
	t->stopping = 1;
	service_stop(&t->svc, code);
}

void
tap_give_up(struct tap *t, const char *detail, unsigned failures)
{
	char d[200];

	snprintf(d, sizeof(d), "%s; gave up after %u failures", detail,
	    failures);
	emit_source(t, SOURCE_DOWN, d, 0);
	log_error("giving up", "failures=%u", failures);
	tap_stop(t, EXIT_UNAVAIL);
}

static void
out_error(void *arg, struct output *out, int uverr)
{
	log_error("output failed", "error=%s", log_str(uv_strerror(uverr)));
	tap_stop(arg, EXIT_IOERR);
}

/* kalshi-tap's on_drain: a replay held back for a busy consumer goes on. */
static void
on_output_drain(void *arg, struct output *out)
{
	struct tap *t = arg;

	if (t->cfg->replay != NULL)
		replay_pump(t);
}

/* REST (discovery, polling) and, with a key, the WebSocket. */
static int
open_kalshi(struct tap *t, struct errbuf *err)
{
	struct fetch_cfg fcfg;
	char ua[128];

	snprintf(ua, sizeof(ua), "courtside/%s (+kalshi-tap)",
	    COURTSIDE_VERSION);
	memset(&fcfg, 0, sizeof(fcfg));
	fcfg.user_agent = ua;
	fcfg.timeout_ms = REST_TIMEOUT_MS;
	fcfg.max_body = 8u << 20;
	fcfg.ca_file = t->cfg->ca_file;
	if ((t->rest = fetch_new(&t->svc.loop, &fcfg, err)) == NULL) {
		log_error("cannot start libcurl", "error=%s", log_str(err->msg));
		return EXIT_SOFTWARE;
	}
	if (t->cfg->key != NULL) {
		if (feed_open(t, err) != 0) {
			log_error("cannot start the websocket client",
			    "error=%s", log_str(err->msg));
			return EXIT_CONFIG;
		}
	} else
		log_info("no API key: polling REST market data", NULL);
	discover_start(t);
	return 0;
}

/* The output, then the replay or Kalshi. Returns 0 or an exit code. */
static int
tap_open(struct tap *t)
{
	struct output_cfg ocfg;
	struct errbuf err;

	memset(&ocfg, 0, sizeof(ocfg));
	ocfg.on_connect = emit_resend;
	ocfg.on_drain = on_output_drain;
	ocfg.on_error = out_error;
	ocfg.arg = t;
	if ((t->out = output_open(&t->svc.loop, t->cfg->output, &ocfg,
	    &err)) == NULL) {
		log_error("cannot open output", "output=%s error=%s",
		    log_str(t->cfg->output), log_str(err.msg));
		return EXIT_IOERR;
	}
	if (t->cfg->replay == NULL)
		return open_kalshi(t, &err);
	if (replay_open(t, &err) != 0) {
		log_error("cannot read replay file", "error=%s",
		    log_str(err.msg));
		return EXIT_DATAERR;
	}
	return 0;
}

/* Returns a new tap on its own service loop, timers ready; else exits. */
static struct tap *
tap_new(const struct tap_cfg *cfg)
{
	uv_timer_t *timers[6];
	struct errbuf err;
	struct tap *t;
	size_t i;

	if ((t = calloc(1, sizeof(*t))) == NULL ||
	    (t->mk = calloc(MAX_MARKETS, sizeof(*t->mk))) == NULL) {
		free(t);
		log_error("out of memory", NULL);
		exit(EXIT_OSERR);
	}
	t->cfg = cfg;
	t->seq_ticker = t->seq_trade = -1;
	t->replay_t0_ev = -1;
	t->bad_rl = (struct ratelimit)RATELIMIT_INIT(10000, 5);
	t->st_rl = (struct ratelimit)RATELIMIT_INIT(60000, 3);
	t->st_fd = -1;
	source_init(&t->src, "kalshi");
	history_init(&t->hist, cfg->max_history);
	if (cfg->state != NULL)
		state_load(t);
	if (service_init(&t->svc, teardown, t, &err) != 0) {
		log_error("cannot start the event loop", "error=%s",
		    log_str(err.msg));
		exit(EXIT_OSERR);
	}
	backoff_init(&t->ws_b, (uint64_t)time_now_ms());
	backoff_init(&t->disc_b, (uint64_t)time_now_ms() ^ 0x5555);
	backoff_init(&t->poll_b, (uint64_t)time_now_ms() ^ 0xaaaa);
	t->ws_b.give_up = t->disc_b.give_up = t->poll_b.give_up = cfg->give_up;
	timers[0] = &t->disc_timer;
	timers[1] = &t->ws_timer;
	timers[2] = &t->dead_timer;
	timers[3] = &t->ping_timer;
	timers[4] = &t->poll_timer;
	timers[5] = &t->replay_timer;
	for (i = 0; i < sizeof(timers) / sizeof(timers[0]); i++) {
		uv_timer_init(&t->svc.loop, timers[i]);
		timers[i]->data = t;
	}
	backfill_init(t);
	return t;
}

/* Frees t once its service has run. */
static void
tap_free(struct tap *t)
{
	size_t i;

	for (i = 0; i < t->n_mk; i++)
		history_clear(&t->hist, &t->mk[i].h);
	if (t->st_fd != -1)
		close(t->st_fd);
	free(t->mk);
	free(t);
}

static void
bad_option(char **argv)
{
	if (optopt != 0)
		opt_usage_error("-%c: unknown option or missing value", optopt);
	opt_usage_error("%s: unknown option or missing value",
	    argv[optind - 1]);
}

/* Fills cfg from the command line; usage errors exit 64. */
static void
parse_options(int argc, char **argv, struct tap_cfg *cfgp)
{
	struct tap_cfg cfg = {
		.ws_url = DEFAULT_WS,
		.rest_url = DEFAULT_REST,
		.poll_ms = 2000,
		.discover_ms = 60000,
		.dead_ms = 30000,
		.ping_ms = 10000,
		.fallback_ms = 60000,
		.give_up = 10,
		.max_history = 20000,
		.output = "-",
		.speed = 1,
		.ready_fd = -1,
		.backfill_ms = 6 * 3600 * 1000LL,
	};
	/* Sorted: getopt_long says an ambiguous prefix's matches so. */
	const struct opts_row rows[] = {
		OPTS_TOOL_ARG(O_BACKFILL, "backfill"),
		OPTS_STR(O_CA, "ca-file", &cfg.ca_file),
		OPTS_MS(O_DEAD, "dead-timeout", 100, 3600000, &cfg.dead_ms),
		OPTS_MS(O_DISC, "discover-interval", 1000, 86400000,
		    &cfg.discover_ms),
		OPTS_TOOL_ARG(O_FALLBACK, "fallback-after"),
		OPTS_ROW_GIVE_UP(&cfg.give_up),
		OPTS_HELP(help),
		OPTS_TOOL_ARG('m', "market"),
		OPTS_SIZE(O_HISTORY, "max-history", 1, 100000000,
		    &cfg.max_history),
		OPTS_STR('o', "output", &cfg.output),
		OPTS_MS(O_PING, "ping-interval", 100, 3600000, &cfg.ping_ms),
		OPTS_MS(O_POLL, "poll-interval", 100, 3600000, &cfg.poll_ms),
		OPTS_ROW_QUIET,
		OPTS_ROW_READY_FD(&cfg.ready_fd),
		OPTS_STR('r', "replay", &cfg.replay),
		OPTS_STR(O_REST, "rest-url", &cfg.rest_url),
		OPTS_TOOL_ARG('S', "series"),
		OPTS_TOOL_ARG('x', "speed"),
		OPTS_TOOL_ARG(O_STATE, "state"),
		OPTS_ROW_VERBOSE(NULL),
		OPTS_ROW_VERSION,
		OPTS_STR(O_WS, "ws-url", &cfg.ws_url),
	};
	struct opts_parse p;
	int ch, speed_set = 0;

	/* Its own message for an unknown option, getopt_long's not. */
	opts_init(&p, rows, OPTS_N(rows), OPTS_OWN_UNKNOWN | OPTS_NO_OPTERR,
	    argc, argv);
	while ((ch = opts_next(&p)) != -1) {
		switch (ch) {
		case 'm':
			if (cfg.n_markets == TAP_MAX_LIST)
				opt_usage_error("--market: at most %d",
				    TAP_MAX_LIST);
			if (!kalshi_ticker_ok(p.arg))
				opt_usage_error("--market: not a ticker: %s",
				    p.arg);
			cfg.markets[cfg.n_markets++] = p.arg;
			break;
		case 'S':
			if (cfg.n_series == TAP_MAX_LIST)
				opt_usage_error("--series: at most %d",
				    TAP_MAX_LIST);
			if (!kalshi_ticker_ok(p.arg) || strlen(p.arg) >= 64)
				opt_usage_error("--series: not a ticker: %s",
				    p.arg);
			cfg.series[cfg.n_series++] = p.arg;
			break;
		case 'x':
			cfg.speed = opt_double_or_die("--speed", p.arg, 0, 1e6);
			speed_set = 1;
			break;
		case O_FALLBACK:
			if (strcmp(p.arg, "off") == 0)
				cfg.fallback_ms = -1;
			else
				cfg.fallback_ms = opt_duration_or_die(
				    "--fallback-after", p.arg, 0, 86400000);
			break;
		case O_BACKFILL:
			/* Six days of minutes stay within one request. */
			cfg.backfill_ms = strcmp(p.arg, "0") == 0 ? 0 :
			    opt_duration_or_die("--backfill", p.arg, 60000,
			    6 * 86400000LL);
			break;
		case O_STATE:
			if (*p.arg == '\0')
				opt_usage_error("--state: empty file name");
			cfg.state = p.arg;
			break;
		case '?':
			bad_option(argv);
		}
	}
	if (optind != argc)
		opt_usage_error("unexpected argument: %s", argv[optind]);
	if (speed_set && cfg.replay == NULL)
		opt_usage_error("--speed needs --replay");
	if (cfg.n_series == 0 && cfg.n_markets == 0)
		cfg.series[cfg.n_series++] = "KXNBAGAME";
	/* Trailing slashes would double up in the URLs we build. */
	if (strlen(cfg.rest_url) > 0 &&
	    cfg.rest_url[strlen(cfg.rest_url) - 1] == '/')
		opt_usage_error("--rest-url: drop the trailing /");

	*cfgp = cfg;
}

int
main(int argc, char **argv)
{
	struct tap_cfg cfg;
	struct tap *t;
	int rc;

	opt_set_usage("kalshi-tap", USAGE);
	log_init("kalshi-tap", LOG_LVL_INFO);
	parse_options(argc, argv, &cfg);
	if (cfg.replay == NULL) {
		cfg.key = load_key(&cfg);
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
			log_error("cannot initialise libcurl", NULL);
			kalshi_key_free(cfg.key);
			return EXIT_SOFTWARE;
		}
	}
	t = tap_new(&cfg);
	if ((rc = tap_open(t)) != 0)
		tap_stop(t, rc);
	rc = service_run(&t->svc, cfg.ready_fd);
	tap_free(t);
	if (cfg.replay == NULL)
		curl_global_cleanup();
	kalshi_key_free(cfg.key);
	return rc;
}
