/*
 * live-games: GET /api/live/games, the NBA games live right now, from
 * ESPN's scoreboard joined with names from Postgres, cached so that
 * neither is asked more than once per TTL. main() only reads options
 * (options.c) and wires the modules; live.c decides, fetch/db/server do
 * I/O.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <uv.h>

#include "db.h"
#include "errbuf.h"
#include "live.h"
#include "log.h"
#include "options.h"
#include "opts.h"
#include "schema_sql.h"
#include "server.h"
#include "service.h"

#define USER_AGENT "courtside/" COURTSIDE_VERSION \
	" (+https://github.com/courtside/courtside)"

struct app {
	struct service	 svc;	/* the loop, signals, the one deferred stop */
	struct live	*live;	/* owned */
	struct server	*server;	/* owned; freed after the loop */
};

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

/* The service's on_stop: the server stops taking requests, live goes. */
static void
app_stop(void *arg, int code)
{
	struct app *a = arg;

	if (code != 0)
		log_info("stopping", "status=%d", code);
	server_stop(a->server);
	if (a->live != NULL)
		live_set_server(a->live, NULL);
	live_free(a->live);
	a->live = NULL;
}

/* The service's on_ended: lws needs the loop's handles to close. */
static void
app_ended(void *arg)
{
	struct app *a = arg;

	server_free(a->server);
	a->server = NULL;
}

/* Called from inside live.c; service_stop defers to the next turn. */
static void
on_fatal(void *arg)
{
	struct app *a = arg;

	service_stop(&a->svc, EXIT_UNAVAIL);
}

/* --init-db: the schema, then exit. */
static int
init_db(const char *db)
{
	struct errbuf err;

	if (db_exec_script(db, schema_sql, &err) == -1) {
		log_error("init-db failed", "error=%s", log_str(err.msg));
		return EXIT_UNAVAIL;
	}
	log_info("schema applied", NULL);
	return 0;
}

/* Opens live and the server on a->svc.loop: 0 or the exit code. */
static int
app_open(struct app *a, const struct live_opts *o)
{
	struct live_cfg lcfg;
	struct server_cfg scfg;
	struct errbuf err;
	int config = 0;

	memset(&lcfg, 0, sizeof(lcfg));
	lcfg.espn_base = o->espn;
	lcfg.user_agent = USER_AGENT;
	lcfg.conninfo = o->db;
	lcfg.ttl_ms = o->ttl;
	lcfg.max_stale_ms = o->max_stale;
	lcfg.fetch_timeout_ms = 5000;
	lcfg.db_timeout_ms = 2000;
	lcfg.give_up = o->give_up;
	lcfg.on_fatal = on_fatal;
	lcfg.arg = a;
	memset(&scfg, 0, sizeof(scfg));
	scfg.iface = o->iface;
	scfg.port = o->port;
	scfg.cors_origin = o->cors;
	scfg.max_header = 4096;
	scfg.request_timeout_ms = o->req_timeout;
	scfg.max_pending = o->max_pending;
	scfg.max_pending_per_ip = o->max_pending_ip;
	scfg.tls_cert = o->tls_cert;
	scfg.tls_key = o->tls_key;
	scfg.trust = o->have_trust ? &o->trust : NULL;
	scfg.on_request = live_on_request;

	if ((a->live = live_new(&a->svc.loop, &lcfg, &err)) == NULL) {
		log_error("cannot start", "error=%s", log_str(err.msg));
		return EXIT_OSERR;
	}
	scfg.arg = a->live;
	if ((a->server = server_new(&a->svc.loop, &scfg, &config, &err)) ==
	    NULL) {
		log_error(config ? "bad TLS configuration" : "cannot listen",
		    "error=%s", log_str(err.msg));
		return config ? EXIT_CONFIG : EXIT_OSERR;
	}
	live_set_server(a->live, a->server);
	live_start(a->live);
	log_info("listening", "port=%d tls=%s ttl_ms=%lld "
	    "request_timeout_ms=%lld espn=%s", server_port(a->server),
	    o->tls_cert != NULL ? "yes" : "no", (long long)o->ttl,
	    (long long)o->req_timeout, log_str(o->espn));
	return 0;
}

int
main(int argc, char **argv)
{
	struct live_opts o;
	struct errbuf err;
	struct app a;
	int rc;

	opt_set_usage("live-games", LIVE_USAGE);
	log_init("live-games", LOG_LVL_INFO);
	live_options(&o, argc, argv);
	if (o.init_db) {
		free(o.iface);
		return init_db(o.db);
	}
	fit_nofile(o.max_pending);
	memset(&a, 0, sizeof(a));
	if (service_init(&a.svc, app_stop, &a, &err) == -1) {
		log_error("cannot start", "error=%s", log_str(err.msg));
		free(o.iface);
		return EXIT_OSERR;
	}
	a.svc.on_ended = app_ended;
	if ((rc = app_open(&a, &o)) != 0)
		service_stop(&a.svc, rc);
	rc = service_run(&a.svc, o.ready_fd);
	app_ended(&a);
	free(o.iface);
	log_info("stopped", "status=%d", rc);
	return rc;
}
