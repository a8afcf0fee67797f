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

static const struct option longopts[] = {
	{ "cache-ttl",		required_argument, NULL, OPT_CACHE_TTL },
	{ "cors-origin",	required_argument, NULL, OPT_CORS_ORIGIN },
	{ "db",			required_argument, NULL, 'd' },
	{ "espn-base-url",	required_argument, NULL, 'e' },
	{ "give-up",		required_argument, NULL, 'G' },
	{ "help",		no_argument,	   NULL, 'h' },
	{ "init-db",		no_argument,	   NULL, OPT_INIT_DB },
	{ "listen",		required_argument, NULL, 'l' },
	{ "max-pending",	required_argument, NULL, OPT_MAX_PENDING },
	{ "max-pending-per-ip",	required_argument, NULL,
	    OPT_MAX_PENDING_IP },
	{ "quiet",		no_argument,	   NULL, 'q' },
	{ "max-stale",		required_argument, NULL, OPT_MAX_STALE },
	{ "ready-fd",		required_argument, NULL, OPTS_READY_FD },
	{ "request-timeout",	required_argument, NULL,
	    OPT_REQUEST_TIMEOUT },
	{ "tls-cert",		required_argument, NULL, OPT_TLS_CERT },
	{ "tls-key",		required_argument, NULL, OPT_TLS_KEY },
	{ "trust-proxy",	required_argument, NULL, OPT_TRUST_PROXY },
	{ "version",		no_argument,	   NULL, 'V' },
	{ "verbose",		no_argument,	   NULL, 'v' },
	{ NULL, 0, NULL, 0 }
};

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
	const struct opt_num nums[] = {
		OPT_NUM_GIVE_UP(&o->give_up),
		OPT_NUM_MS(OPT_CACHE_TTL, "--cache-ttl", 10000, 30000, &o->ttl),
		OPT_NUM_UINT(OPT_MAX_PENDING, "--max-pending", 1, 65535,
		    &o->max_pending),
		OPT_NUM_UINT(OPT_MAX_PENDING_IP, "--max-pending-per-ip", 1,
		    65535, &o->max_pending_ip),
		OPT_NUM_MS(OPT_MAX_STALE, "--max-stale", 1000, 86400000,
		    &o->max_stale),
		OPT_NUM_READY_FD(&o->ready_fd),
		OPT_NUM_MS(OPT_REQUEST_TIMEOUT, "--request-timeout", 1000,
		    60000, &o->req_timeout),
	};
	struct errbuf err;
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
	while ((ch = getopt_long(argc, argv, "d:e:G:hl:qVv", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case OPT_CORS_ORIGIN:
			o->cors = optarg;
			break;
		case 'd':
			o->db = optarg;
			break;
		case 'e':
			o->espn = optarg;
			break;
		case 'h':
			usage();
			break;
		case OPT_INIT_DB:
			o->init_db = 1;
			break;
		case 'l':
			free(o->iface);
			opt_listen_or_die(optarg, &o->iface, &o->port);
			break;
		case OPT_TLS_CERT:
			o->tls_cert = optarg;
			break;
		case OPT_TLS_KEY:
			o->tls_key = optarg;
			break;
		case OPT_TRUST_PROXY:
			if (proxyaddr_parse(&o->trust, optarg, &err) == -1) {
				free(o->iface);
				opt_usage_error("--trust-proxy: %s", err.msg);
			}
			o->have_trust = 1;
			break;
		default:
			/* -q, -v, -V and the numbers, as in every tool. */
			if (opt_common(ch, optarg, nums, OPT_NUM_N(nums)))
				break;
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
