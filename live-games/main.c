/*
 * live-games: GET /api/live/games, the NBA games live right now, from
 * ESPN's scoreboard joined with names from Postgres, cached so that
 * neither is asked more than once per TTL. main() only reads options
 * and wires the modules; live.c decides, fetch/db/server do I/O.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <uv.h>

#include "db.h"
#include "errbuf.h"
#include "live.h"
#include "log.h"
#include "opts.h"
#include "proxyaddr.h"
#include "schema_sql.h"
#include "server.h"
#include "service.h"

#define USAGE "live-games [-hqVv] [-c origin] [-d conninfo] [-e url] " \
	"[-g count] [-l [addr:]port] [-s duration] [-t duration] " \
	"[--init-db] [--max-pending n] [--max-pending-per-ip n] " \
	"[--ready-fd fd] [--request-timeout duration] " \
	"[--tls-cert file --tls-key file] [--trust-proxy cidr[,cidr...]]"
#define DEFAULT_ESPN "https://site.api.espn.com/apis/site/v2/sports/basketball/nba"
#define USER_AGENT "courtside/" COURTSIDE_VERSION \
	" (+https://github.com/courtside/courtside)"

enum { OPT_INIT_DB = 256, OPT_READY_FD, OPT_REQUEST_TIMEOUT, OPT_TLS_CERT,
	OPT_TLS_KEY, OPT_TRUST_PROXY, OPT_MAX_PENDING, OPT_MAX_PENDING_IP };

struct app {
	uv_loop_t	*loop;
	uv_timer_t	 fatal;		/* stops the loop outside live's calls */
	struct live	*live;
	struct server	*server;
	int		 status;
};

static void
usage(void)
{
	printf("usage: %s\n\n"
	    "Serves GET /api/live/games: the NBA games live now (ESPN's\n"
	    "scoreboard) with their names from Postgres espn.scoreboard_games.\n\n"
	    "  -c, --cors-origin ORIGIN  send Access-Control-Allow-Origin: ORIGIN\n"
	    "  -d, --db CONNINFO         libpq connection string (default $DATABASE_URL)\n"
	    "  -e, --espn-base-url URL   ESPN NBA API base\n"
	    "                            (default %s)\n"
	    "  -g, --give-up COUNT       exit 69 after COUNT ESPN failures in a row\n"
	    "                            (default 10, 0: never)\n"
	    "  -h, --help                this help\n"
	    "      --init-db             create the schema (schema.sql) and exit\n"
	    "  -l, --listen [ADDR:]PORT  HTTP address (default 8000, every interface)\n"
	    "      --max-pending N       connections open at most (default 1024;\n"
	    "                            more wait in the kernel's backlog)\n"
	    "      --max-pending-per-ip N  of them from one address (default 64;\n"
	    "                            --trust-proxy peers are not capped)\n"
	    "  -q, --quiet               log less (repeat for errors only)\n"
	    "      --ready-fd FD         write a newline to FD once serving\n"
	    "      --request-timeout DURATION\n"
	    "                            close a connection that has not sent its\n"
	    "                            request, or read its answer, in this long\n"
	    "                            (default 5s, 1s..60s)\n"
	    "  -s, --max-stale DURATION  serve the last good list this long when\n"
	    "                            ESPN fails, then 503 (default 5m)\n"
	    "  -t, --cache-ttl DURATION  refresh at most this often, 10s..30s\n"
	    "                            (default 15s)\n"
	    "      --tls-cert FILE       serve HTTPS with this PEM certificate chain\n"
	    "      --tls-key FILE        and this PEM private key (both or neither)\n"
	    "      --trust-proxy CIDR[,CIDR...]\n"
	    "                            believe X-Forwarded-For and X-Real-IP from\n"
	    "                            these proxies (default: no one)\n"
	    "  -V, --version             print the version\n"
	    "  -v, --verbose             log more\n",
	    USAGE, DEFAULT_ESPN);
	exit(0);
}

/* "8000", ":8000", "127.0.0.1:8000". Fills *iface (a new string or NULL). */
static int
parse_listen(const char *s, char **iface)
{
	const char *colon = strrchr(s, ':');
	long long port;

	*iface = NULL;
	if (colon != NULL && colon != s) {
		if ((*iface = strndup(s, (size_t)(colon - s))) == NULL)
			opt_usage_error("out of memory");
	}
	port = opt_int_or_die("--listen", colon ? colon + 1 : s, 0, 65535);
	return (int)port;
}

#define NOFILE_RESERVE	64	/* Postgres, ESPN fetches, the loop's own */

/*
 * Raises the soft open-files limit to hold --max-pending connections and
 * our own descriptors (lws sizes its table by it when the context is
 * made), so that the caps, not EMFILE, bound the connections.
 */
static void
fit_nofile(unsigned max_pending)
{
	rlim_t want = (rlim_t)max_pending + NOFILE_RESERVE;
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= want)
		return;
	rl.rlim_cur = rl.rlim_max != RLIM_INFINITY && rl.rlim_max < want ?
	    rl.rlim_max : want;
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur < want)
		log_warn("open-files limit below --max-pending",
		    "limit=%llu max_pending=%u", (unsigned long long)rl.rlim_cur,
		    max_pending);
}

static void
on_stop(void *arg, int signum)
{
	struct app *a = arg;

	log_info("stopping", "signal=%d", signum);
	service_stopping();
	server_stop(a->server);
	if (a->live != NULL)
		live_set_server(a->live, NULL);
	live_free(a->live);
	a->live = NULL;
	service_signals_close();
}

static void
on_fatal_timer(uv_timer_t *t)
{
	on_stop(t->data, 0);
}

/* Called from inside live.c: the stop must wait for the next turn. */
static void
on_fatal(void *arg)
{
	struct app *a = arg;

	a->status = EXIT_UNAVAIL;
	uv_timer_start(&a->fatal, on_fatal_timer, 0, 0);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "cors-origin",	required_argument, NULL, 'c' },
		{ "db",			required_argument, NULL, 'd' },
		{ "espn-base-url",	required_argument, NULL, 'e' },
		{ "give-up",		required_argument, NULL, 'g' },
		{ "help",		no_argument,	   NULL, 'h' },
		{ "init-db",		no_argument,	   NULL, OPT_INIT_DB },
		{ "listen",		required_argument, NULL, 'l' },
		{ "max-pending",	required_argument, NULL, OPT_MAX_PENDING },
		{ "max-pending-per-ip",	required_argument, NULL,
		    OPT_MAX_PENDING_IP },
		{ "quiet",		no_argument,	   NULL, 'q' },
		{ "ready-fd",		required_argument, NULL, OPT_READY_FD },
		{ "request-timeout",	required_argument, NULL,
		    OPT_REQUEST_TIMEOUT },
		{ "max-stale",		required_argument, NULL, 's' },
		{ "cache-ttl",		required_argument, NULL, 't' },
		{ "tls-cert",		required_argument, NULL, OPT_TLS_CERT },
		{ "tls-key",		required_argument, NULL, OPT_TLS_KEY },
		{ "trust-proxy",	required_argument, NULL, OPT_TRUST_PROXY },
		{ "version",		no_argument,	   NULL, 'V' },
		{ "verbose",		no_argument,	   NULL, 'v' },
		{ NULL, 0, NULL, 0 }
	};
	struct live_cfg lcfg;
	struct server_cfg scfg;
	struct errbuf err;
	struct app app;
	uv_loop_t loop;
	const char *db = getenv("DATABASE_URL"), *cors = NULL;
	const char *espn = DEFAULT_ESPN, *tls_cert = NULL, *tls_key = NULL;
	char *iface = NULL;
	int ch, init_db = 0, ready_fd = -1, port = 8000;
	int64_t ttl = 15000, max_stale = 300000, req_timeout = 5000;
	int config = 0, have_trust = 0;
	struct proxyaddr trust;
	unsigned give_up = 10, max_pending = 1024, max_pending_ip = 64;

	opt_set_usage("live-games", USAGE);
	log_init("live-games", LOG_LVL_INFO);
	while ((ch = getopt_long(argc, argv, "c:d:e:g:hl:qs:t:Vv", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'c':
			cors = optarg;
			break;
		case 'd':
			db = optarg;
			break;
		case 'e':
			espn = optarg;
			break;
		case 'g':
			give_up = (unsigned)opt_int_or_die("--give-up", optarg,
			    0, 1000000);
			break;
		case 'h':
			usage();
			break;
		case OPT_INIT_DB:
			init_db = 1;
			break;
		case 'l':
			free(iface);
			port = parse_listen(optarg, &iface);
			break;
		case OPT_MAX_PENDING:
			max_pending = (unsigned)opt_int_or_die("--max-pending",
			    optarg, 1, 65535);
			break;
		case OPT_MAX_PENDING_IP:
			max_pending_ip = (unsigned)opt_int_or_die(
			    "--max-pending-per-ip", optarg, 1, 65535);
			break;
		case 'q':
			log_quiet();
			break;
		case OPT_READY_FD:
			ready_fd = (int)opt_int_or_die("--ready-fd", optarg, 0,
			    1 << 20);
			break;
		case OPT_REQUEST_TIMEOUT:
			req_timeout = opt_duration_or_die("--request-timeout",
			    optarg, 1000, 60000);
			break;
		case 's':
			max_stale = opt_duration_or_die("--max-stale", optarg,
			    1000, 86400000);
			break;
		case 't':
			ttl = opt_duration_or_die("--cache-ttl", optarg, 10000,
			    30000);
			break;
		case OPT_TLS_CERT:
			tls_cert = optarg;
			break;
		case OPT_TLS_KEY:
			tls_key = optarg;
			break;
		case OPT_TRUST_PROXY:
			if (proxyaddr_parse(&trust, optarg, &err) == -1) {
				free(iface);
				opt_usage_error("--trust-proxy: %s", err.msg);
			}
			have_trust = 1;
			break;
		case 'V':
			opt_version();
			break;
		case 'v':
			log_verbose();
			break;
		default:
			fprintf(stderr, "usage: %s\n", USAGE);
			free(iface);
			return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		free(iface);
		opt_usage_error("unexpected argument: %s", argv[optind]);
	}
	if (cors != NULL && (cors[0] == '\0' || strpbrk(cors, "\r\n") != NULL)) {
		free(iface);
		opt_usage_error("--cors-origin: invalid");
	}
	if ((tls_cert == NULL) != (tls_key == NULL)) {
		free(iface);
		opt_usage_error("--tls-cert and --tls-key go together");
	}
	if (db == NULL)
		db = "";	/* libpq's own defaults: PGHOST, PGDATABASE ... */

	if (init_db) {
		free(iface);
		if (db_exec_script(db, schema_sql, &err) == -1) {
			log_error("init-db failed", "error=%s", log_str(err.msg));
			return EXIT_UNAVAIL;
		}
		log_info("schema applied", NULL);
		return 0;
	}

	fit_nofile(max_pending);
	memset(&app, 0, sizeof(app));
	app.loop = &loop;
	if (uv_loop_init(&loop) != 0) {
		log_error("cannot start the event loop", NULL);
		free(iface);
		return EXIT_OSERR;
	}
	uv_timer_init(&loop, &app.fatal);
	app.fatal.data = &app;
	memset(&lcfg, 0, sizeof(lcfg));
	lcfg.espn_base = espn;
	lcfg.user_agent = USER_AGENT;
	lcfg.conninfo = db;
	lcfg.ttl_ms = ttl;
	lcfg.max_stale_ms = max_stale;
	lcfg.fetch_timeout_ms = 5000;
	lcfg.db_timeout_ms = 2000;
	lcfg.give_up = give_up;
	lcfg.on_fatal = on_fatal;
	lcfg.arg = &app;
	memset(&scfg, 0, sizeof(scfg));
	scfg.iface = iface;
	scfg.port = port;
	scfg.cors_origin = cors;
	scfg.max_header = 4096;
	scfg.request_timeout_ms = req_timeout;
	scfg.max_pending = max_pending;
	scfg.max_pending_per_ip = max_pending_ip;
	scfg.tls_cert = tls_cert;
	scfg.tls_key = tls_key;
	scfg.trust = have_trust ? &trust : NULL;
	scfg.on_request = live_on_request;

	if (service_signals(&loop, on_stop, &app, &err) == -1 ||
	    (app.live = live_new(&loop, &lcfg, &err)) == NULL) {
		log_error("cannot start", "error=%s", log_str(err.msg));
		app.status = EXIT_OSERR;
		goto out;
	}
	scfg.arg = app.live;
	if ((app.server = server_new(&loop, &scfg, &config, &err)) == NULL) {
		log_error(config ? "bad TLS configuration" : "cannot listen",
		    "error=%s", log_str(err.msg));
		app.status = config ? EXIT_CONFIG : EXIT_OSERR;
		goto out;
	}
	live_set_server(app.live, app.server);
	live_start(app.live);
	log_info("listening", "port=%d tls=%s ttl_ms=%lld "
	    "request_timeout_ms=%lld espn=%s", server_port(app.server),
	    tls_cert != NULL ? "yes" : "no", (long long)ttl,
	    (long long)req_timeout, log_str(espn));
	if (service_ready(ready_fd, &err) == -1)
		log_warn("readiness not sent", "error=%s", log_str(err.msg));
	uv_run(&loop, UV_RUN_DEFAULT);
out:
	/* Idempotent: on_stop may have done it. lws needs the loop to close. */
	server_stop(app.server);
	live_free(app.live);
	service_signals_close();
	uv_run(&loop, UV_RUN_DEFAULT);
	server_free(app.server);
	service_loop_close(&loop);
	uv_loop_close(&loop);
	free(iface);
	log_info("stopped", "status=%d", app.status);
	return app.status;
}
