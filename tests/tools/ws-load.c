/*
 * ws-load: a WebSocket load generator and test client (libwebsockets
 * client on libuv). "ws-load clients" opens N connections spread over
 * games and 127.0.0.x source addresses and reports connect-to-first-
 * message latency and ingest-to-receive latency (from "stamp_us" fields
 * in the messages) as p50/p90/p99/max in one JSON line on stdout.
 * "ws-load feed" paces frames into a server (ws-load-feed.c).
 * "ws-load churn" opens N connections, waits for every snapshot, closes
 * them all and repeats (its rounds: ws-load-churn.c).
 * With -k, a clients-mode client whose connection closes or fails comes
 * back after a backoff (100 ms doubling to 2 s, with jitter), resuming
 * with ?since=EPOCH:SEQ of the last snapshot or update it received, and
 * goes on dumping to the same file; it gives up only at the end of the
 * run. Its summary then counts drops and reconnects apart from clients
 * that ended disconnected. With -F, clients mode uses our own client
 * (ws-load-raw.c) instead of libwebsockets': the benchmark's choice.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libwebsockets.h>
#include <uv.h>

#include "ws-load.h"
#include "timeutil.h"

static void	start_one(struct load *ld);
static void	finish(struct load *ld);
static void	on_deadline(uv_timer_t *t);
static void	conn_connect(struct load *ld, struct conn *c);

static const char *
find(const char *p, const char *end, const char *key, size_t klen)
{
	const char *q;

	for (q = p; q + klen <= end; q++) {
		q = memchr(q, key[0], (size_t)(end - q));
		if (q == NULL || q + klen > end)
			return NULL;
		if (memcmp(q, key, klen) == 0)
			return q;
	}
	return NULL;
}

/* Every "stamp_us":N in the message is one point's send time. */
static void
scan_stamps(struct load *ld, const char *p, size_t len, int64_t now)
{
	static const char key[] = "\"stamp_us\":";
	const char *end = p + len, *q;
	int64_t v;

	while ((q = find(p, end, key, sizeof(key) - 1)) != NULL) {
		q += sizeof(key) - 1;
		v = 0;
		while (q < end && *q >= '0' && *q <= '9')
			v = v * 10 + (*q++ - '0');
		if (ld->measuring)
			samples_add(&ld->latency_us, now - v);
		ld->stamps++;
		p = q;
	}
}

/* -k: a client that lost its connection is served again. */
static void
came_back(struct load *ld, struct conn *c)
{
	c->down = 0;
	ld->reconnects++;
	if (c->reconnects++ == 0)
		ld->clients_reconnected++;
}

/*
 * -k: the epoch and seq of a snapshot or update (ws-fanout writes them
 * first, after type and game_id), the point to resume from. p is NUL-
 * terminated.
 */
static void
track_pos(struct load *ld, struct conn *c, const char *p, size_t len)
{
	const char *end = p + len, *e, *q;

	if (strncmp(p, "{\"type\":\"snapshot\"", 18) != 0 &&
	    strncmp(p, "{\"type\":\"update\"", 16) != 0)
		return;
	if ((e = find(p, end, "\"epoch\":", 8)) == NULL ||
	    (q = find(e, end, "\"seq\":", 6)) == NULL)
		return;
	c->epoch = strtoll(e + 8, NULL, 10);
	c->seq = strtoll(q + 6, NULL, 10);
	c->have_pos = 1;
	c->backoff_ms = 0;	/* it is serving: start the backoff over */
	if (c->down)
		came_back(ld, c);
}

void
on_message(struct load *ld, struct conn *c, const char *p, size_t len)
{
	int64_t now = time_now_us();
	int fresh = c->fresh;

	c->fresh = 0;
	if (ld->reconnect)
		track_pos(ld, c, p, len);
	if (!c->got_first) {
		c->got_first = 1;
		ld->firsts++;
		if (find(p, p + len, "\"type\":\"snapshot\"", 17) != NULL)
			ld->snapshots++;
		samples_add(&ld->connect_us, time_mono_us() - c->t_start);
		if (ld->serial)
			start_one(ld);
	} else if (!fresh)
		scan_stamps(ld, p, len, now);
	c->msgs++;
	ld->msgs++;
	ld->bytes += len;
	if (c->dump != NULL) {
		fwrite(p, 1, len, c->dump);
		fputc('\n', c->dump);
		fflush(c->dump);
	}
	if (ld->until_str != NULL && !c->done &&
	    find(p, p + len, ld->until_str, strlen(ld->until_str)) != NULL) {
		c->done = 1;
		if (++ld->finished == ld->n)
			stop_all(ld);
	}
	if (ld->until_msgs && c->msgs == ld->until_msgs && !c->done) {
		c->done = 1;
		if (++ld->finished == ld->n)
			stop_all(ld);
	}
}

/* A client's last close: its dump ends with the close code. */
static void
conn_release(struct conn *c)
{
	if (c->dump != NULL) {
		fprintf(c->dump, "{\"type\":\"_closed\",\"code\":%d}\n",
		    c->close_code);
		fclose(c->dump);
		c->dump = NULL;
	}
	c->wsi = NULL;
	free(c->rx);
	c->rx = NULL;
	c->rx_len = c->rx_cap = 0;
}

static void
conn_end(struct load *ld, struct conn *c)
{
	conn_release(c);
	if (ld->churn && !ld->stopping) {
		if (!c->closing && !c->failed) {
			c->early = 1;
			ld->early++;
		}
		churn_closed(ld);
		return;
	}
	if (ld->stopping && ld->closed + ld->failed >= ld->started)
		finish(ld);
}

/* -k: the client is done for good (at the end of the run). */
static void
rc_end(struct load *ld, struct conn *c)
{
	if (c->ended)
		return;
	c->ended = 1;
	c->live = c->attempting = 0;
	c->retry_at = 0;
	conn_release(c);
	ld->gone++;
	if (ld->stopping && ld->gone >= ld->started)
		finish(ld);
}

/*
 * -k: the connection closed or could not be made while the run goes on:
 * note it in the dump and come back after the backoff, with jitter.
 */
static void
rc_drop(struct load *ld, struct conn *c, const char *why)
{
	unsigned d;

	c->wsi = NULL;
	c->live = c->attempting = 0;
	c->down = 1;
	c->rx_len = 0;
	ld->drops++;
	if (c->dump != NULL) {
		fprintf(c->dump, "{\"type\":\"_dropped\",\"code\":%d,"
		    "\"reason\":\"%s\"}\n", c->close_code, why);
		fflush(c->dump);
	}
	c->close_code = 0;
	c->backoff_ms = c->backoff_ms == 0 ? 100 :
	    c->backoff_ms >= 1000 ? 2000 : c->backoff_ms * 2;
	/* 75% to 125% of the step. */
	d = c->backoff_ms * 3 / 4 + (unsigned)rand() % (c->backoff_ms / 2 + 1);
	c->retry_at = time_mono_us() + (int64_t)d * 1000;
}

/* -k: starts the attempts that are due. */
static void
on_retry(uv_timer_t *t)
{
	struct load *ld = t->data;
	int64_t now = time_mono_us();
	struct conn *c;
	unsigned i;

	if (ld->stopping)
		return;
	for (i = 0; i < ld->started; i++) {
		c = &ld->conns[i];
		if (c->retry_at == 0 || c->retry_at > now || c->ended)
			continue;
		c->retry_at = 0;
		ld->attempts++;
		conn_connect(ld, c);
	}
}

/* A connection could not be made (or its upgrade was refused). */
void
conn_failed(struct load *ld, struct conn *c, const char *detail)
{
	if (ld->reconnect) {
		if (ld->stopping)
			rc_end(ld, c);
		else
			rc_drop(ld, c, "connect");
		return;
	}
	c->failed = 1;
	ld->failed++;
	fprintf(stderr, "ws-load: client %u: %s\n", c->idx,
	    detail ? detail : "connection error");
	if (c->dump != NULL)
		fprintf(c->dump, "{\"type\":\"_error\",\"detail\":"
		    "\"%s\"}\n", detail ? "connect" : "unknown");
	conn_end(ld, c);
	if (ld->serial)
		start_one(ld);
}

void
conn_established(struct load *ld, struct conn *c)
{
	if (ld->reconnect) {
		c->live = 1;
		c->attempting = 0;
		c->fresh = 1;
		if (c->ever_up)
			return;
		c->ever_up = 1;
	}
	c->established = 1;
	ld->established++;
}

/* An established connection ended (c->close_code: the server's code). */
void
conn_closed(struct load *ld, struct conn *c)
{
	if (ld->reconnect) {
		if (ld->stopping)
			rc_end(ld, c);
		else
			rc_drop(ld, c, "closed");
		return;
	}
	ld->closed++;
	conn_end(ld, c);
}

static int
callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	struct conn *c = user;
	struct load *ld = c ? c->ld : NULL;
	const unsigned char *b = in;
	char *nrx;

	if (ld == NULL)
		return 0;
	switch (reason) {
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		conn_failed(ld, c, in);
		break;
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		{
			int one = 1, fd = (int)lws_get_socket_fd(wsi);

			if (fd >= 0)
				setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one,
				    sizeof(one));
		}
		conn_established(ld, c);
		break;
	case LWS_CALLBACK_CLIENT_WRITEABLE:
		/* churn: a clean close, with a close frame. */
		if (c->closing) {
			unsigned char bye[] = "bye";

			lws_close_reason(wsi, LWS_CLOSE_STATUS_NORMAL, bye, 3);
			return -1;
		}
		break;
	case LWS_CALLBACK_CLIENT_RECEIVE:
		if (lws_is_first_fragment(wsi))
			c->rx_len = 0;
		if (c->rx_len + len + 1 > c->rx_cap) {
			c->rx_cap = (c->rx_len + len + 1) * 2;
			if ((nrx = realloc(c->rx, c->rx_cap)) == NULL)
				return -1;
			c->rx = nrx;
		}
		memcpy(c->rx + c->rx_len, in, len);
		c->rx_len += len;
		c->rx[c->rx_len] = '\0';
		if (lws_is_final_fragment(wsi) &&
		    !lws_remaining_packet_payload(wsi)) {
			on_message(ld, c, c->rx, c->rx_len);
			c->rx_len = 0;
			if (c->rx_cap > 65536) {
				free(c->rx);
				c->rx = NULL;
				c->rx_cap = 0;
			}
		}
		break;
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
		if (len >= 2)
			c->close_code = b[0] << 8 | b[1];
		break;
	case LWS_CALLBACK_CLIENT_CLOSED:
		conn_closed(ld, c);
		break;
	default:
		break;
	}
	return 0;
}

static const struct lws_protocols protocols[] = {
	{ "ws-load", callback, 0, 4096, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 },
};

static void
start_one(struct load *ld)
{
	struct conn *c;

	if (ld->started >= ld->n || ld->stopping)
		return;
	c = &ld->conns[ld->started];
	c->idx = ld->started++;
	c->ld = ld;
	c->game = c->idx % ld->ngames;
	if (ld->dump_dir != NULL) {
		char fn[1024];

		snprintf(fn, sizeof(fn), "%s/client-%u.ndjson", ld->dump_dir,
		    c->idx);
		c->dump = fopen(fn, "w");
	}
	c->t_start = time_mono_us();
	conn_connect(ld, c);
}

/* Opens c's connection: the first, or with -k a reconnect. */
static void
conn_connect(struct load *ld, struct conn *c)
{
	struct lws_client_connect_info ci;
	char path[512], src[32], since[64];

	since[0] = '\0';
	if (ld->reconnect && c->have_pos) {
		snprintf(since, sizeof(since), "since=%" PRId64 ":%" PRId64,
		    c->epoch, c->seq);
		if (c->dump != NULL) {
			fprintf(c->dump, "{\"type\":\"_reconnect\","
			    "\"since\":\"%" PRId64 ":%" PRId64 "\"}\n",
			    c->epoch, c->seq);
			fflush(c->dump);
		}
	} else if (ld->reconnect && c->ever_up && c->dump != NULL) {
		fputs("{\"type\":\"_reconnect\"}\n", c->dump);
		fflush(c->dump);
	}
	snprintf(path, sizeof(path), "%s%s%s%s%s%s", ld->prefix,
	    ld->games[c->game], ld->query[0] || since[0] ? "?" : "",
	    ld->query, ld->query[0] && since[0] ? "&" : "", since);
	snprintf(src, sizeof(src), "127.0.0.%u",
	    ld->src_base + c->idx % ld->nsrc);
	if (ld->raw) {
		c->attempting = 1;
		if (raw_connect(ld, c, path, ld->nsrc > 0 ? src : NULL) == -1)
			conn_failed(ld, c, "connect");
		return;
	}
	memset(&ci, 0, sizeof(ci));
	ci.context = ld->ctx;
	ci.address = ld->host;
	ci.port = ld->port;
	ci.path = path;
	ci.host = ld->host;
	ci.origin = ld->host;
	ci.iface = ld->nsrc > 0 ? src : NULL;
	ci.local_protocol_name = "ws-load";
	ci.pwsi = &c->wsi;
	ci.userdata = c;
	c->attempting = 1;
	if (ld->reconnect) {
		/* The error callback may have run already, or not at all. */
		if (lws_client_connect_via_info(&ci) == NULL && c->attempting)
			rc_drop(ld, c, "connect");
		return;
	}
	if (lws_client_connect_via_info(&ci) == NULL && !c->failed) {
		c->failed = 1;
		ld->failed++;
		if (ld->serial)
			start_one(ld);
		if (ld->churn)
			churn_closed(ld);
	}
}

static void
report(struct load *ld)
{
	char cj[256], lj[256];
	double secs = (double)(time_mono_us() - ld->t0) / 1e6;

	samples_json(&ld->connect_us, cj, sizeof(cj));
	if (ld->churn) {
		churn_report(ld, cj, secs);
		return;
	}
	samples_json(&ld->latency_us, lj, sizeof(lj));
	if (ld->reconnect) {
		/* failed and closed: the clients without a connection now. */
		printf("{\"clients\":%u,\"started\":%u,\"established\":%u,"
		    "\"first_msgs\":%u,\"failed\":%u,\"closed\":%u,"
		    "\"drops\":%llu,\"reconnect_attempts\":%llu,"
		    "\"reconnects\":%llu,\"clients_reconnected\":%u,"
		    "\"msgs\":%llu,\"bytes\":%llu,\"stamps\":%llu,"
		    "\"measured_msgs\":%llu,\"secs\":%.3f,\"connect_us\":%s,"
		    "\"latency_us\":%s,\"negative_latency\":%" PRId64 "}\n",
		    ld->n, ld->started, ld->established, ld->firsts,
		    ld->down_failed, ld->down_closed, ld->drops, ld->attempts,
		    ld->reconnects, ld->clients_reconnected, ld->msgs,
		    ld->bytes, ld->stamps, ld->msgs - ld->msgs_at_measure, secs,
		    cj, lj, ld->latency_us.neg);
		fflush(stdout);
		return;
	}
	printf("{\"clients\":%u,\"started\":%u,\"established\":%u,"
	    "\"first_msgs\":%u,\"failed\":%u,\"closed\":%u,\"msgs\":%llu,"
	    "\"bytes\":%llu,\"stamps\":%llu,\"measured_msgs\":%llu,"
	    "\"secs\":%.3f,\"wire_bytes\":%llu,\"deflated_msgs\":%llu,"
	    "\"connect_us\":%s,\"latency_us\":%s,"
	    "\"negative_latency\":%" PRId64 "}\n", ld->n, ld->started,
	    ld->established, ld->firsts, ld->failed, ld->closed, ld->msgs,
	    ld->bytes, ld->stamps, ld->msgs - ld->msgs_at_measure, secs,
	    ld->wire_bytes, ld->deflated_msgs, cj,
	    lj, ld->latency_us.neg);
	fflush(stdout);
}

void
stop_all(struct load *ld)
{
	unsigned i;

	if (ld->stopping)
		return;
	ld->stopping = 1;
	uv_timer_stop(&ld->pace);
	uv_timer_stop(&ld->stop);
	if (ld->reconnect) {
		uv_timer_stop(&ld->retry);
		for (i = 0; i < ld->n; i++) {
			/* Resumed with nothing missed: back all the same. */
			if (i < ld->started && ld->conns[i].live &&
			    ld->conns[i].down)
				came_back(ld, &ld->conns[i]);
			if (i >= ld->started || !ld->conns[i].live) {
				if (i < ld->started && ld->conns[i].ever_up)
					ld->down_closed++;
				else
					ld->down_failed++;
			}
		}
	}
	report(ld);
	for (i = 0; i < ld->started; i++)
		if (ld->conns[i].raw != NULL)
			raw_drop(&ld->conns[i]);
		else if (ld->conns[i].wsi != NULL)
			lws_set_timeout(ld->conns[i].wsi,
			    PENDING_TIMEOUT_CLOSE_SEND, LWS_TO_KILL_ASYNC);
		else if (ld->reconnect)
			rc_end(ld, &ld->conns[i]);
	/* Never hang on a close: the deadline ends the run. */
	uv_timer_start(&ld->deadline, on_deadline, 2000, 0);
	if (ld->reconnect ? ld->gone >= ld->started :
	    ld->closed + ld->failed >= ld->started)
		finish(ld);
}

static void
on_deadline(uv_timer_t *t)
{
	finish(t->data);
}

/*
 * Destroys the lws context from inside the loop (its libuv handles then
 * close on it) and closes ours, so the loop ends with nothing left.
 */
static void
finish(struct load *ld)
{
	if (ld->finished_run++)
		return;
	if (ld->churn)
		ld->rc = (ld->rounds_done == ld->rounds && ld->bad_rounds == 0) ?
		    0 : 1;
	else if (ld->reconnect)
		ld->rc = (ld->down_failed + ld->down_closed == 0 &&
		    ld->firsts == ld->n) ? 0 : 1;
	else
		ld->rc = (ld->failed == 0 && ld->firsts == ld->n) ? 0 : 1;
	lws_context_destroy(ld->ctx);
	uv_close((uv_handle_t *)&ld->pace, NULL);
	uv_close((uv_handle_t *)&ld->stop, NULL);
	uv_close((uv_handle_t *)&ld->deadline, NULL);
	uv_close((uv_handle_t *)&ld->check, NULL);
	uv_close((uv_handle_t *)&ld->settle, NULL);
	uv_close((uv_handle_t *)&ld->retry, NULL);
	uv_close((uv_handle_t *)&ld->sig, NULL);
}

void
on_stop_timer(uv_timer_t *t)
{
	stop_all(t->data);
}

/* Starts clients at the connect rate; then measures for duration. */
void
on_pace(uv_timer_t *t)
{
	struct load *ld = t->data;
	unsigned i, batch;

	if (ld->serial) {
		uv_timer_stop(t);
		start_one(ld);
	} else {
		batch = ld->connect_rate > 0 ?
		    (unsigned)(ld->connect_rate / 100.0 + 0.5) : ld->n;
		if (batch < 1)
			batch = 1;
		for (i = 0; i < batch; i++)
			start_one(ld);
	}
	if (ld->started >= ld->n && !ld->serial)
		uv_timer_stop(t);
}

/* Waits until every client has its first message, then measures. */
static void
on_check(uv_timer_t *t)
{
	struct load *ld = t->data;

	if (ld->churn) {
		if (!ld->stopping)
			churn_check(ld);
		return;
	}
	if (ld->measuring || ld->stopping)
		return;
	if (ld->firsts + ld->failed + ld->closed >= ld->n &&
	    ld->started >= ld->n) {
		ld->measuring = 1;
		ld->msgs_at_measure = ld->msgs;
		if (ld->ready_file != NULL) {
			FILE *f = fopen(ld->ready_file, "w");

			if (f != NULL)
				fclose(f);
		}
		uv_timer_stop(t);
		if (ld->duration > 0)
			uv_timer_start(&ld->stop, on_stop_timer,
			    (uint64_t)(ld->duration * 1000), 0);
		else if (!ld->until_msgs && ld->until_str == NULL)
			stop_all(ld);
	}
}

static void
on_sigint(uv_signal_t *h, int signum)
{
	(void)signum;
	stop_all(h->data);
}

static void
lws_log(int level, const char *line)
{
	(void)level;
	fprintf(stderr, "ws-load: lws: %s", line);
}

static const char usage[] =
    "usage: ws-load clients [-s] [-a host:port] [-b first] [-c rate] "
    "[-d secs] [-D dir] [-e string] [-F] [-g ids] [-k] [-m msgs] "
    "[-n clients] [-P prefix] [-q query] [-R file] [-S sources] "
    "[-t timeout] [-W] [-Z]\n"
    "         (-k: a client whose connection ends or fails reconnects "
    "after 0.1-2 s,\n"
    "         resuming with ?since=EPOCH:SEQ, until the run ends;\n"
    "         -F: our own lean client instead of libwebsockets;\n"
    "         -Z: -F offering permessage-deflate, inflating what comes;\n"
    "         -W: with -Z, no inflating: a compressed message counts as it\n"
    "         arrives, so the server's time is measured, not ours)\n"
    "       ws-load churn [-a host:port] [-b first] [-c rate] [-g ids] "
    "[-n clients] [-r rounds] [-S sources] [-t round_timeout] [-x pid] "
    "[-z settle_ms]\n"
    "       ws-load feed [options] (ws-load feed -h)\n";

int
main(int argc, char **argv)
{
	struct lws_context_creation_info info;
	struct load ld;
	void *loops[1];
	char *tok, *save, *colon;
	int ch, rc;

	if (argc >= 2 && strcmp(argv[1], "feed") == 0)
		return feed_main(argc - 1, argv + 1);
	if (argc < 2 || (strcmp(argv[1], "clients") != 0 &&
	    strcmp(argv[1], "churn") != 0)) {
		fputs(usage, argc >= 2 && strcmp(argv[1], "-h") == 0 ?
		    stdout : stderr);
		return argc >= 2 && strcmp(argv[1], "-h") == 0 ? 0 : 64;
	}
	memset(&ld, 0, sizeof(ld));
	ld.churn = strcmp(argv[1], "churn") == 0;
	ld.rounds = 5;
	ld.settle_ms = 300;
	argc--;
	argv++;
	snprintf(ld.host, sizeof(ld.host), "127.0.0.1");
	ld.port = 8080;
	snprintf(ld.prefix, sizeof(ld.prefix), "/ws/live/");
	ld.n = 1;
	ld.nsrc = 1;
	ld.src_base = 1;
	ld.timeout = 60;
	while ((ch = getopt(argc, argv, ld.churn ? "a:b:c:g:hn:r:S:t:x:z:" :
	    "a:b:c:d:D:e:Fg:hkm:n:P:q:R:sS:t:WZ")) != -1) {
		switch (ch) {
		case 'a':
			snprintf(ld.host, sizeof(ld.host), "%s", optarg);
			if ((colon = strrchr(ld.host, ':')) != NULL) {
				*colon = '\0';
				ld.port = atoi(colon + 1);
			}
			break;
		case 'b': ld.src_base = (unsigned)atoi(optarg); break;
		case 'c': ld.connect_rate = atof(optarg); break;
		case 'd': ld.duration = atof(optarg); break;
		case 'D': ld.dump_dir = optarg; break;
		case 'e': ld.until_str = optarg; break;
		case 'F': ld.raw = 1; break;
		case 'Z': ld.raw = 1; ld.deflate = 1; break;
		case 'W': ld.no_inflate = 1; break;
		case 'R': ld.ready_file = optarg; break;
		case 'g':
			free(ld.games);
			ld.ngames = 0;
			if ((ld.games = calloc(1024, sizeof(*ld.games))) == NULL)
				return 71;
			for (tok = strtok_r(optarg, ",", &save);
			    tok && ld.ngames < 1024;
			    tok = strtok_r(NULL, ",", &save))
				ld.games[ld.ngames++] = tok;
			break;
		case 'h': free(ld.games); fputs(usage, stdout); return 0;
		case 'k': ld.reconnect = 1; break;
		case 'm': ld.until_msgs = strtoul(optarg, NULL, 10); break;
		case 'n': ld.n = (unsigned)atoi(optarg); break;
		case 'P': snprintf(ld.prefix, sizeof(ld.prefix), "%s", optarg);
			break;
		case 'q': snprintf(ld.query, sizeof(ld.query), "%s", optarg);
			break;
		case 'r': ld.rounds = (unsigned)atoi(optarg); break;
		case 'x': ld.watch_pid = atoi(optarg); break;
		case 'z': ld.settle_ms = (unsigned)atoi(optarg); break;
		case 's': ld.serial = 1; break;
		case 'S': ld.nsrc = (unsigned)atoi(optarg); break;
		case 't': ld.timeout = atof(optarg); break;
		default: free(ld.games); fputs(usage, stderr); return 64;
		}
	}
	if (ld.ngames == 0 || ld.n < 1 || ld.nsrc < 1 || ld.nsrc > 250 ||
	    (ld.churn && ld.rounds < 1)) {
		free(ld.games);
		fputs(usage, stderr);
		return 64;
	}
	signal(SIGPIPE, SIG_IGN);
	if (ld.raw && raw_init(&ld) == -1) {
		free(ld.games);
		fprintf(stderr, "ws-load: out of memory\n");
		return 71;
	}
	ld.conns = calloc(ld.n, sizeof(*ld.conns));
	samples_init(&ld.connect_us, 1u << 20);
	samples_init(&ld.latency_us, 1u << 26);
	uv_loop_init(&ld.loop);
	lws_set_log_level(LLL_ERR, lws_log);
	memset(&info, 0, sizeof(info));
	loops[0] = &ld.loop;
	info.foreign_loops = loops;
	info.options = LWS_SERVER_OPTION_LIBUV |
	    LWS_SERVER_OPTION_UV_NO_SIGSEGV_SIGFPE_SPIN;
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;
	info.max_http_header_pool = 1024;
	info.timeout_secs = 30;
	info.connect_timeout_secs = 30;
	/* lws clears it once a destruction has really finished. */
	info.pcontext = &ld.ctx;
	if ((ld.ctx = lws_create_context(&info)) == NULL) {
		fprintf(stderr, "ws-load: cannot create the lws context\n");
		return 70;
	}
	uv_timer_init(&ld.loop, &ld.pace);
	uv_timer_init(&ld.loop, &ld.stop);
	uv_timer_init(&ld.loop, &ld.deadline);
	uv_timer_init(&ld.loop, &ld.check);
	uv_timer_init(&ld.loop, &ld.settle);
	uv_timer_init(&ld.loop, &ld.retry);
	uv_signal_init(&ld.loop, &ld.sig);
	ld.pace.data = ld.stop.data = ld.deadline.data = ld.check.data = &ld;
	ld.settle.data = ld.retry.data = &ld;
	ld.sig.data = &ld;
	uv_signal_start(&ld.sig, on_sigint, SIGINT);
	uv_timer_start(&ld.check, on_check, 5, 5);
	ld.t0 = time_mono_us();
	if (ld.churn)
		churn_round_start(&ld);
	else {
		uv_timer_start(&ld.pace, on_pace, 0, ld.serial ? 0 : 10);
		if (ld.reconnect) {
			srand((unsigned)(time_mono_us() ^ getpid()));
			uv_timer_start(&ld.retry, on_retry, 20, 20);
		}
		/* The overall timeout reports whatever was measured. */
		uv_timer_start(&ld.stop, on_stop_timer,
		    (uint64_t)(ld.timeout * 1000), 0);
	}
	uv_run(&ld.loop, UV_RUN_DEFAULT);
	/*
	 * With a foreign loop the first call may leave the context half
	 * destroyed once the loop has run dry; a second call finishes it.
	 */
	if (ld.ctx != NULL)
		lws_context_destroy(ld.ctx);
	rc = ld.rc;
	if (uv_loop_close(&ld.loop) != 0)
		fprintf(stderr, "ws-load: handles left open at exit\n");
	samples_fini(&ld.connect_us);
	samples_fini(&ld.latency_us);
	for (unsigned i = 0; ld.conns != NULL && i < ld.n; i++) {
		if (ld.conns[i].dump != NULL)
			fclose(ld.conns[i].dump);
		free(ld.conns[i].rx);
	}
	free(ld.conns);
	free(ld.games);
	raw_fini(&ld);
	return rc;
}
