/*
 * ws-load-churn: the rounds of "ws-load churn": N connections, every
 * snapshot, all closed (half with a close frame, half abruptly), the
 * server let settle, then one JSON line per round with the VmRSS of a
 * watched process and the server's own connection and heap gauges; and
 * the run's summary. The connections themselves are ws-load.c's.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libwebsockets.h>
#include <uv.h>

#include "ws-load.h"
#include "timeutil.h"

/* VmRSS of pid in KiB, or -1. */
static long
rss_kb(int pid)
{
	char fn[64], line[256];
	long v = -1;
	FILE *f;

	snprintf(fn, sizeof(fn), "/proc/%d/status", pid);
	if ((f = fopen(fn, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "VmRSS:", 6) == 0) {
			v = strtol(line + 6, NULL, 10);
			break;
		}
	fclose(f);
	return v;
}

/* The value of the sample named key ("\nname ") in metrics text, or -1. */
static long
metric(const char *text, const char *key)
{
	const char *p = strstr(text, key);

	return p == NULL ? -1 : strtol(p + strlen(key), NULL, 10);
}

/*
 * The server's ws_fanout_connections gauge from GET /metrics on the
 * address under test, or -1, and its heap gauge in *heap (or -1).
 * Blocking, with a short timeout: a test tool between rounds, when no
 * connection of ours is open.
 */
static long
server_conns(const struct load *ld, long *heap)
{
	struct sockaddr_in sa;
	struct timeval tv = { 2, 0 };
	char buf[65536];
	size_t len = 0;
	ssize_t r;
	long v = -1;
	int fd;

	*heap = -1;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)ld->port);
	if (inet_pton(AF_INET, ld->host, &sa.sin_addr) != 1)
		return -1;
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0)
		goto out;
	snprintf(buf, sizeof(buf), "GET /metrics HTTP/1.0\r\nHost: %s\r\n"
	    "Connection: close\r\n\r\n", ld->host);
	if (write(fd, buf, strlen(buf)) < 0)
		goto out;
	while (len < sizeof(buf) - 1 &&
	    (r = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)r;
	buf[len] = '\0';
	v = metric(buf, "\nws_fanout_connections ");
	*heap = metric(buf, "\nws_fanout_heap_bytes ");
out:
	close(fd);
	return v;
}

void
churn_round_start(struct load *ld)
{
	unsigned i;

	for (i = 0; i < ld->n; i++)
		memset(&ld->conns[i], 0, sizeof(ld->conns[i]));
	ld->started = ld->established = ld->failed = ld->closed = 0;
	ld->firsts = ld->snapshots = ld->early = 0;
	ld->closing_round = 0;
	ld->settle_tries = 0;
	ld->round++;
	ld->t_round = time_mono_us();
	/* The timeout is per round. */
	uv_timer_start(&ld->stop, on_stop_timer, (uint64_t)(ld->timeout * 1000),
	    0);
	uv_timer_start(&ld->pace, on_pace, 0, 10);
}

static void
on_settle(uv_timer_t *t)
{
	struct load *ld = t->data;
	long rss, c;

	/*
	 * Measure once the server has let go of every connection of the
	 * round (its gauge says 0), polling for up to 10 s; with -z 0, now.
	 */
	if (ld->settle_ms > 0) {
		ld->server_conns = server_conns(ld, &ld->server_heap);
		if (ld->server_conns != 0 && ++ld->settle_tries < 100) {
			uv_timer_start(&ld->settle, on_settle, 100, 0);
			return;
		}
		/* Then give the allocator the settle time. */
		if (ld->settle_tries < 1000) {
			ld->settle_tries = 1000;
			uv_timer_start(&ld->settle, on_settle, ld->settle_ms, 0);
			return;
		}
	}
	ld->server_heap = -1;
	if (ld->settle_ms > 0 && (c = server_conns(ld, &ld->server_heap)) >= 0)
		ld->server_conns = c;
	rss = ld->watch_pid > 0 ? rss_kb(ld->watch_pid) : -1;
	if (ld->failed > 0 || ld->snapshots < ld->n || ld->early > 0 ||
	    ld->server_conns > 0)
		ld->bad_rounds++;
	ld->rounds_done++;
	if (ld->round == 1)
		ld->rss_first = rss;
	ld->rss_last = rss;
	if (rss > ld->rss_max)
		ld->rss_max = rss;
	printf("{\"round\":%u,\"clients\":%u,\"established\":%u,"
	    "\"snapshots\":%u,\"failed\":%u,\"closed_by_server\":%u,"
	    "\"server_conns\":%ld,\"secs\":%.3f,\"rss_kb\":%ld,"
	    "\"heap_kb\":%ld}\n",
	    ld->round, ld->n, ld->established, ld->snapshots, ld->failed,
	    ld->early, ld->server_conns,
	    (double)(time_mono_us() - ld->t_round) / 1e6, rss,
	    ld->server_heap < 0 ? -1 : ld->server_heap / 1024);
	fflush(stdout);
	if (ld->round >= ld->rounds)
		stop_all(ld);
	else
		churn_round_start(ld);
}

/* Every connection of the round has ended: settle, measure, go on. */
void
churn_closed(struct load *ld)
{
	if (ld->started < ld->n || ld->closed + ld->failed < ld->started ||
	    uv_is_active((uv_handle_t *)&ld->settle))
		return;
	ld->closing_round = 1;
	uv_timer_stop(&ld->stop);
	ld->tot_opened += ld->started;
	ld->tot_snapshots += ld->snapshots;
	ld->tot_failed += ld->failed;
	ld->tot_early += ld->early;
	uv_timer_start(&ld->settle, on_settle, 0, 0);
}

/* Once every client of the round has its first message, close them all. */
void
churn_check(struct load *ld)
{
	struct conn *c;
	unsigned i;

	if (ld->closing_round || ld->started < ld->n ||
	    ld->firsts + ld->failed + ld->early < ld->n)
		return;
	ld->closing_round = 1;
	for (i = 0; i < ld->started; i++) {
		c = &ld->conns[i];
		if (c->wsi == NULL)
			continue;
		c->closing = 1;
		if (i % 2 == 0)
			lws_callback_on_writable(c->wsi);
		else
			lws_set_timeout(c->wsi, PENDING_TIMEOUT_CLOSE_SEND,
			    LWS_TO_KILL_ASYNC);
	}
	churn_closed(ld);
}

/* The run's summary line (cj: the connect latencies as JSON). */
void
churn_report(struct load *ld, const char *cj, double secs)
{
	printf("{\"churn\":true,\"clients\":%u,\"rounds\":%u,"
	    "\"rounds_done\":%u,\"bad_rounds\":%u,\"opened\":%llu,"
	    "\"snapshots\":%llu,\"failed\":%llu,"
	    "\"closed_by_server\":%llu,\"secs\":%.3f,"
	    "\"rss_first_kb\":%ld,\"rss_last_kb\":%ld,"
	    "\"rss_max_kb\":%ld,\"connect_us\":%s}\n", ld->n,
	    ld->rounds, ld->rounds_done, ld->bad_rounds, ld->tot_opened,
	    ld->tot_snapshots, ld->tot_failed, ld->tot_early, secs,
	    ld->rss_first, ld->rss_last, ld->rss_max, cj);
	fflush(stdout);
}
