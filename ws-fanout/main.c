/*
 * ws-fanout: reads the aligner's frames (stdin or unix:PATH) and pushes
 * each game's snapshot and updates to its WebSocket subscribers.
 * main() is the table of contents: options, wiring (app.c), service_run.
 */
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

#include "app.h"

#include <libwebsockets.h>

static const char usage[] =
    "ws-fanout [-qv] [-B bytes] [-c max] [-H count] [-i input] "
    "[-l [host:]port] [-p max] [-Q bytes] [-w dir] "
    "[--deflate-min bytes] [--idle-timeout dur] [--max-line bytes] "
    "[--max-message bytes] [--max-pending n] [--max-pending-per-ip n] "
    "[--no-deflate] [--ping-interval dur] "
    "[--pong-timeout dur] [--rate rate] [--ready-fd fd] "
    "[--request-timeout dur] "
    "[--sndbuf bytes] [--stats-interval dur] [--tls-cert file] "
    "[--tls-key file] [--trust-proxy cidr[,cidr ...]]";

static const char help[] =
    "Push live game frames to WebSocket clients at /ws/live/{game_id}.\n"
    "\n"
    "  -B, --queue-budget BYTES  queued bytes over all clients (default 268435456)\n"
    "  -c, --max-conns N       WebSocket clients at most (default 15000)\n"
    "  -H, --history N         updates held per game for ?since= (default 600)\n"
    "  -h, --help              this help\n"
    "  -i, --input SPEC        frames from - (stdin, default), a path,\n"
    "                          unix:PATH (listen; writers may reconnect)\n"
    "                          or redis://[HOST][:PORT]/NAME (Redis Streams)\n"
    "  -l, --listen [HOST:]PORT  where to serve (default 8080; an IPv6\n"
    "                          address in brackets: [::1]:8080)\n"
    "  -p, --max-per-ip N      clients per address (default 10; 429 past it)\n"
    "  -Q, --client-queue BYTES  queued bytes per client before a resync\n"
    "                          (default 1048576)\n"
    "  -q, --quiet             fewer logs\n"
    "  -V, --version           the version\n"
    "  -v, --verbose           more logs (twice: libwebsockets notices)\n"
    "  -w, --www DIR           static files for GET / (default: a placeholder)\n"
    "      --deflate-min BYTES compress messages this long and longer for\n"
    "                          permessage-deflate clients (default 1024)\n"
    "      --idle-timeout DUR  close after no pong for (default 5m)\n"
    "      --max-line BYTES    longest input line (default 1048576)\n"
    "      --max-message BYTES largest client message (default 1024; 1009)\n"
    "      --max-pending N     connections not yet upgraded, at most\n"
    "                          (default 1024; closed at accept past it)\n"
    "      --max-pending-per-ip N  of them from one address (default 16,\n"
    "                          or --max-per-ip when larger)\n"
    "      --no-deflate        never negotiate permessage-deflate\n"
    "      --ping-interval DUR ping clients this often (default 30s)\n"
    "      --pong-timeout DUR  close when no pong within (default 5s)\n"
    "      --rate N            messages per client per second (default 10)\n"
    "      --ready-fd FD       write a newline to FD once serving\n"
    "      --request-timeout DUR  each request (and the upgrade) within\n"
    "                          (default 5s; the connection is closed)\n"
    "      --sndbuf BYTES      SO_SNDBUF per client (default: the kernel's)\n"
    "      --stats-interval DUR  log counters this often (default 60s)\n"
    "      --tls-cert FILE     serve TLS (https, wss) with this certificate\n"
    "      --tls-key FILE      and this private key (PEM)\n"
    "      --trust-proxy CIDR[,CIDR...]  peers whose X-Forwarded-For and\n"
    "                          X-Real-IP name the client (default: none)\n";

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
	OPT_RATE,
	OPT_REQUEST_TIMEOUT,
	OPT_SNDBUF,
	OPT_STATS,
	OPT_TLS_CERT,
	OPT_TLS_KEY,
	OPT_TRUST_PROXY,
};

static void
print_help(void)
{
	printf("usage: %s\n\n%s", usage, help);
}

static void
parse_args(struct app *a, int argc, char **argv)
{
	/*
	 * In the order of --help and the man page but for -v before -V, the
	 * order getopt_long says an ambiguous prefix's matches in.
	 */
	const struct opts_row rows[] = {
		OPTS_SIZE('B', "queue-budget", 0, 1LL << 40,
		    &a->scfg.queue_budget),
		OPTS_UINT('c', "max-conns", 1, 1000000, &a->scfg.max_conns),
		OPTS_UINT('H', "history", 1, 100000, &a->rcfg.history),
		OPTS_HELP(print_help),
		OPTS_TOOL_ARG('i', "input"),
		OPTS_TOOL_ARG('l', "listen"),
		OPTS_UINT('p', "max-per-ip", 1, 1000000, &a->scfg.max_per_ip),
		OPTS_SIZE('Q', "client-queue", 1024, 1LL << 34,
		    &a->scfg.client_queue),
		OPTS_ROW_QUIET,
		/* Counted too: twice shows libwebsockets' notices. */
		OPTS_ROW_VERBOSE(&a->verbose),
		OPTS_ROW_VERSION,
		OPTS_STR('w', "www", &a->scfg.www),
		OPTS_SIZE(OPT_DEFLATE_MIN, "deflate-min", 1, 1LL << 30,
		    &a->scfg.deflate_min),
		OPTS_FLAG(OPT_NO_DEFLATE, "no-deflate", &a->scfg.deflate_off),
		OPTS_MS(OPT_IDLE, "idle-timeout", 1000, 86400000,
		    &a->scfg.idle_timeout_ms),
		OPTS_SIZE(OPT_MAX_LINE, "max-line", 1024, 1LL << 30,
		    &a->max_line),
		OPTS_SIZE(OPT_MAX_MESSAGE, "max-message", 1, 1 << 20,
		    &a->scfg.max_client_msg),
		OPTS_UINT(OPT_MAX_PENDING, "max-pending", 1, 65535,
		    &a->scfg.max_pending),
		OPTS_UINT(OPT_MAX_PENDING_IP, "max-pending-per-ip", 1, 65535,
		    &a->scfg.max_pending_per_ip),
		OPTS_MS(OPT_PING, "ping-interval", 100, 3600000,
		    &a->scfg.ping_ms),
		OPTS_MS(OPT_PONG, "pong-timeout", 100, 3600000,
		    &a->scfg.pong_timeout_ms),
		OPTS_UINT(OPT_RATE, "rate", 1, THROTTLE_MAX_N, &a->rcfg.rate),
		OPTS_ROW_READY_FD(&a->ready_fd),
		OPTS_MS(OPT_REQUEST_TIMEOUT, "request-timeout", 100, 3600000,
		    &a->scfg.request_timeout_ms),
		OPTS_INT(OPT_SNDBUF, "sndbuf", 1024, 1 << 30, &a->scfg.sndbuf),
		OPTS_MS(OPT_STATS, "stats-interval", 1000, 86400000,
		    &a->stats_ms),
		OPTS_STR(OPT_TLS_CERT, "tls-cert", &a->scfg.tls_cert),
		OPTS_STR(OPT_TLS_KEY, "tls-key", &a->scfg.tls_key),
		OPTS_TOOL_ARG(OPT_TRUST_PROXY, "trust-proxy"),
	};
	struct errbuf err;
	struct opts_parse p;
	int ch;

	opts_init(&p, rows, OPTS_N(rows), 0, argc, argv);
	while ((ch = opts_next(&p)) != -1) {
		switch (ch) {
		case 'i':
			if (redis_url_is(p.arg)) {
				struct redis_url u;
				struct errbuf uerr;

				if (redis_url_parse(p.arg, &u, &uerr) == -1)
					opt_usage_error("--input: %s", uerr.msg);
			}
			a->input_spec = p.arg;
			break;
		case 'l':
			opt_listen_or_die(p.arg, &a->iface, &a->port);
			break;
		case OPT_TRUST_PROXY:
			if (proxyaddr_parse(&a->trust, p.arg, &err) == -1)
				opt_usage_error("--trust-proxy: %s", err.msg);
			a->scfg.trust = &a->trust;
			break;
		}
	}
	if (optind != argc)
		opt_usage_error("unexpected argument: %s", argv[optind]);
	if ((a->scfg.tls_cert == NULL) != (a->scfg.tls_key == NULL))
		opt_usage_error("--tls-cert and --tls-key go together");
}

int
main(int argc, char **argv)
{
	struct app a;
	struct errbuf err;
	int rc;

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
	if (service_init(&a.svc, app_stop, &a, &err) == -1) {
		log_error("startup failed", "error=%s", log_str(err.msg));
		free(a.iface);
		return EXIT_OSERR;
	}
	a.svc.on_ended = app_ended;
	if ((rc = app_open(&a)) != 0)
		service_stop(&a.svc, rc);
	rc = service_run(&a.svc, a.ready_fd);
	if (rc == 0)
		log_info("stopped", NULL);
	app_free(&a);
	return rc;
}
