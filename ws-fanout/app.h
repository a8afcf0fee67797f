/*
 * app: ws-fanout's wiring between the input, the rooms and the server,
 * on the common/service skeleton. main.c owns the options (it fills
 * struct app before app_open); this file owns what runs after.
 * It must not parse options nor exit: failures come back as exit codes.
 */
#ifndef FANOUT_APP_H
#define FANOUT_APP_H

#include <stddef.h>
#include <stdint.h>

#include "log.h"
#include "proxyaddr.h"
#include "service.h"

#include "input.h"
#include "input_redis.h"
#include "metrics.h"
#include "rooms.h"
#include "server.h"

struct app {
	struct service	 svc;		/* the loop, signals, the one stop */
	const char	*input_spec;	/* borrowed from argv */
	char		*iface;		/* owned */
	int		 port;
	int		 ready_fd;
	int		 verbose;
	size_t		 max_line;
	int64_t		 stats_ms;
	struct rooms_cfg rcfg;
	struct server_cfg scfg;
	struct metrics	 metrics;
	struct proxyaddr trust;
	struct rooms	*rooms;		/* owned */
	struct server	*server;	/* owned */
	struct input	*input;		/* owned; or */
	struct iredis	*redis;		/* owned, for a redis:// spec */
	uv_timer_t	 flush;
	uv_timer_t	 stats;
	int		 timers;	/* flush and stats are initialised */
	struct ratelimit bad_rl;
};

/*
 * Checks the TLS files, sizes the limits, creates the rooms, opens the
 * server and the input on a->svc.loop (service_init done) and starts the
 * timers. Returns 0, or the exit code (sysexits) after logging why; what
 * was opened is closed by the service's stop.
 */
int	app_open(struct app *a);
/* The service's on_stop: closes the input, drains clients, closes. */
void	app_stop(void *arg, int code);
/*
 * The service's on_ended: frees the server if the loop ran out before
 * its drain finished (lws's handles must still be open then).
 */
void	app_ended(void *arg);
/* After service_run: frees what the loop no longer uses. */
void	app_free(struct app *a);

#endif
