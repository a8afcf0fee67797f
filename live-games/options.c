/*
 * options: live-games' command line (see options.h), moved out of main.c
 * as it was.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errbuf.h"
#include "opts.h"
#include "options.h"

#define USAGE LIVE_USAGE
#define DEFAULT_ESPN "https://site.api.espn.com/apis/site/v2/sports/basketball/nba"

/* The letters are those of every tool (courtside(7)). */
enum { OPT_CACHE_TTL = 256, OPT_CORS_ORIGIN, OPT_INIT_DB, OPT_MAX_PENDING,
	OPT_MAX_PENDING_IP, OPT_MAX_STALE, OPT_REQUEST_TIMEOUT, OPT_TLS_CERT,
	OPT_TLS_KEY, OPT_TRUST_PROXY };

static void
usage(void)
{
	printf("usage: %s\n\n"
	    "Serves GET /api/live/games: the NBA games live now (ESPN's\n"
	    "scoreboard) with their names from Postgres espn.scoreboard_games.\n\n"
	    "  -d, --db CONNINFO         libpq connection string (default $DATABASE_URL)\n"
	    "  -e, --espn-base-url URL   ESPN NBA API base\n"
	    "                            (default %s)\n"
	    "  -G, --give-up COUNT       exit 69 after COUNT ESPN failures in a row\n"
	    "                            (default 10, 0: never)\n"
	    "  -h, --help                this help\n"
	    "  -l, --listen [HOST:]PORT  HTTP address (default 8000, every interface;\n"
	    "                            an IPv6 address in brackets: [::1]:8000)\n"
	    "  -q, --quiet               log less (repeat for errors only)\n"
	    "  -V, --version             print the version\n"
	    "  -v, --verbose             log more\n"
	    "      --cache-ttl DURATION  refresh at most this often, 10s..30s\n"
	    "                            (default 15s)\n"
	    "      --cors-origin ORIGIN  send Access-Control-Allow-Origin: ORIGIN\n"
	    "      --init-db             create the schema (schema.sql) and exit\n"
	    "      --max-pending N       connections open at most (default 1024;\n"
	    "                            more wait in the kernel's backlog)\n"
	    "      --max-pending-per-ip N  of them from one address (default 64;\n"
	    "                            --trust-proxy peers are not capped)\n"
	    "      --max-stale DURATION  serve the last good list this long when\n"
	    "                            ESPN fails, then 503 (default 5m)\n"
	    "      --ready-fd FD         write a newline to FD once serving\n"
	    "      --request-timeout DURATION\n"
	    "                            close a connection that has not sent its\n"
	    "                            request, or read its answer, in this long\n"
	    "                            (default 5s, 1s..60s)\n"
	    "      --tls-cert FILE       serve HTTPS with this PEM certificate chain\n"
	    "      --tls-key FILE        and this PEM private key (both or neither)\n"
	    "      --trust-proxy CIDR[,CIDR...]\n"
	    "                            believe X-Forwarded-For and X-Real-IP from\n"
	    "                            these proxies (default: no one)\n",
	    USAGE, DEFAULT_ESPN);
	exit(0);
}

void
live_options(struct live_opts *o, int argc, char **argv)
{
	/* As they were: getopt_long says an ambiguous prefix's matches so. */
	const struct opts_row rows[] = {
		OPTS_MS(OPT_CACHE_TTL, "cache-ttl", 10000, 30000, &o->ttl),
		OPTS_STR(OPT_CORS_ORIGIN, "cors-origin", &o->cors),
		OPTS_STR('d', "db", &o->db),
		OPTS_STR('e', "espn-base-url", &o->espn),
		OPTS_ROW_GIVE_UP(&o->give_up),
		OPTS_HELP(usage),
		OPTS_FLAG(OPT_INIT_DB, "init-db", &o->init_db),
		OPTS_TOOL_ARG('l', "listen"),
		OPTS_UINT(OPT_MAX_PENDING, "max-pending", 1, 65535,
		    &o->max_pending),
		OPTS_UINT(OPT_MAX_PENDING_IP, "max-pending-per-ip", 1, 65535,
		    &o->max_pending_ip),
		OPTS_ROW_QUIET,
		OPTS_MS(OPT_MAX_STALE, "max-stale", 1000, 86400000,
		    &o->max_stale),
		OPTS_ROW_READY_FD(&o->ready_fd),
		OPTS_MS(OPT_REQUEST_TIMEOUT, "request-timeout", 1000, 60000,
		    &o->req_timeout),
		OPTS_STR(OPT_TLS_CERT, "tls-cert", &o->tls_cert),
		OPTS_STR(OPT_TLS_KEY, "tls-key", &o->tls_key),
		OPTS_TOOL_ARG(OPT_TRUST_PROXY, "trust-proxy"),
		OPTS_ROW_VERSION,
		OPTS_ROW_VERBOSE(NULL),
	};
	struct errbuf err;
	struct opts_parse p;
	int ch;

	memset(o, 0, sizeof(*o));
	o->db = getenv("DATABASE_URL");
	o->espn = DEFAULT_ESPN;
	o->ready_fd = -1;
	o->port = 8000;
	o->ttl = 15000;
	o->max_stale = 300000;
	o->req_timeout = 5000;
	o->give_up = 10;
	o->max_pending = 1024;
	o->max_pending_ip = 64;
	/* After getopt_long's message the usage line alone. */
	opts_init(&p, rows, OPTS_N(rows), OPTS_OWN_UNKNOWN, argc, argv);
	while ((ch = opts_next(&p)) != -1) {
		switch (ch) {
		case 'l':
			opt_listen_or_die(p.arg, &o->iface, &o->port);
			break;
		case OPT_TRUST_PROXY:
			if (proxyaddr_parse(&o->trust, p.arg, &err) == -1) {
				free(o->iface);
				opt_usage_error("--trust-proxy: %s", err.msg);
			}
			o->have_trust = 1;
			break;
		case '?':
			fprintf(stderr, "usage: %s\n", USAGE);
			free(o->iface);
			exit(EXIT_USAGE);
		}
	}
	if (optind != argc) {
		free(o->iface);
		opt_usage_error("unexpected argument: %s", argv[optind]);
	}
	if (o->cors != NULL && (o->cors[0] == '\0' ||
	    strpbrk(o->cors, "\r\n") != NULL)) {
		free(o->iface);
		opt_usage_error("--cors-origin: invalid");
	}
	if ((o->tls_cert == NULL) != (o->tls_key == NULL)) {
		free(o->iface);
		opt_usage_error("--tls-cert and --tls-key go together");
	}
	if (o->db == NULL)
		o->db = "";	/* libpq's own defaults: PGHOST, PGDATABASE ... */
}
