/*
 * ws-load: the load generator's shared state. ws-load.c drives the run
 * (clients, churn) over libwebsockets' client; ws-load-raw.c is the -F
 * client, our own RFC 6455 client on libuv TCP, which reads a frame's
 * payload in one copy where lws 4.1's client parses it a byte at a time
 * (68% of ws-load's time receiving 104 kB snapshots, measured with perf):
 * the benchmark then measures the servers, not its own client.
 * ws-load-feed.c paces frames into a server.
 */
#ifndef WS_LOAD_H
#define WS_LOAD_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <uv.h>

#include "ws-load-hist.h"

struct lws;
struct lws_context;
struct raw;

struct conn {
	struct lws	*wsi;		/* the lws client's connection */
	struct raw	*raw;		/* -F: ours */
	struct load	*ld;
	unsigned	 idx;
	unsigned	 game;
	int64_t		 t_start;	/* mono us at connect */
	int		 established, got_first, done, failed;
	int		 close_code;
	int		 closing;	/* churn: we asked for the close */
	int		 early;		/* churn: closed before we asked */
	unsigned long	 msgs;
	/* -k: reconnecting */
	int		 live;		/* established, not yet closed */
	int		 ever_up;	/* was established once */
	int		 attempting;	/* a connection attempt is out */
	int		 fresh;		/* no message yet on this connection */
	int		 down;		/* lost its connection, not yet back */
	int		 ended;		/* dump closed, counted as gone */
	int		 have_pos;	/* epoch and seq below are known */
	int64_t		 epoch, seq;	/* of the last snapshot or update */
	int64_t		 retry_at;	/* mono us of the next attempt, or 0 */
	unsigned	 backoff_ms;
	unsigned	 reconnects;
	char		*rx;		/* the message being reassembled */
	size_t		 rx_len, rx_cap;
	FILE		*dump;
};

struct load {
	uv_loop_t		 loop;
	struct lws_context	*ctx;
	char			 host[64];
	int			 port;
	char			 prefix[128];
	char			 query[128];
	char			**games;
	unsigned		 ngames;
	unsigned		 n;		/* clients */
	unsigned		 nsrc;		/* 127.0.0.1 .. 127.0.0.nsrc */
	unsigned		 src_base;	/* first host octet */
	double			 connect_rate;	/* per second, 0: burst */
	int			 serial;	/* one at a time */
	double			 duration;	/* measure after all connected */
	double			 timeout;
	unsigned long		 until_msgs;	/* per client, then stop */
	const char		*dump_dir;
	const char		*until_str;	/* a client is done on this */
	const char		*ready_file;	/* created once all have a first */
	struct conn		*conns;
	unsigned		 started, established, failed, closed, firsts;
	unsigned		 finished;
	unsigned long long	 msgs, bytes, stamps;
	struct samples		 connect_us;
	struct samples		 latency_us;
	uv_timer_t		 pace, stop, deadline, check;
	uv_signal_t		 sig;
	int			 finished_run, rc;
	int			 measuring, stopping;
	int64_t			 t0;
	unsigned long long	 msgs_at_measure;
	/* churn mode */
	int			 churn;
	unsigned		 rounds, round, rounds_done;
	unsigned		 settle_ms;	/* after a round, before RSS */
	int			 watch_pid;	/* VmRSS of it per round */
	unsigned		 snapshots;	/* first messages that are one */
	unsigned		 early;		/* closed by the server */
	int			 closing_round;
	int64_t			 t_round;
	unsigned long long	 tot_opened, tot_snapshots, tot_failed;
	unsigned long long	 tot_early;
	unsigned		 bad_rounds;
	unsigned		 settle_tries;
	long			 server_conns;	/* its gauge after the round */
	long			 server_heap;	/* ws_fanout_heap_bytes, or -1 */
	long			 rss_first, rss_last, rss_max;
	uv_timer_t		 settle;
	/* clients -k */
	int			 reconnect;
	uv_timer_t		 retry;
	/* -F: our own client (ws-load-raw.c) */
	int			 raw;
	char			 raw_key[32];	/* Sec-WebSocket-Key */
	char			 raw_accept[32];	/* the answer it needs */
	char			*raw_rbuf;	/* every read lands here */
	size_t			 raw_rcap;
	int			 deflate;	/* -Z: offer permessage-deflate */
	int			 no_inflate;	/* -W: count it, do not inflate */
	char			*zbuf;		/* a message inflated */
	size_t			 zcap;
	unsigned long long	 wire_bytes;	/* data payload bytes read */
	unsigned long long	 deflated_msgs;	/* of the messages, compressed */
	unsigned long long	 drops, attempts, reconnects;
	unsigned		 clients_reconnected;
	unsigned		 down_failed, down_closed;	/* at the end */
	unsigned		 gone;
};

/*
 * What happens to a client's connection, whichever client made it
 * (ws-load.c).
 */
void	conn_failed(struct load *, struct conn *, const char *detail);
void	conn_established(struct load *, struct conn *);
void	on_message(struct load *, struct conn *, const char *, size_t);
void	conn_closed(struct load *, struct conn *);

/* ws-load.c: the run's timers and its end. */
void	stop_all(struct load *);
void	on_stop_timer(uv_timer_t *);
void	on_pace(uv_timer_t *);

/* ws-load-churn.c: a round starts, ends, is checked; the summary. */
void	churn_round_start(struct load *);
void	churn_closed(struct load *);
void	churn_check(struct load *);
void	churn_report(struct load *, const char *cj, double secs);

/* ws-load-raw.c */
int	raw_init(struct load *);
void	raw_fini(struct load *);
/* Starts c's connection to path from source address src (or NULL). */
int	raw_connect(struct load *, struct conn *, const char *path,
	    const char *src);
/* Closes c's connection now; conn_closed() follows. */
void	raw_drop(struct conn *);

/* ws-load-feed.c */
int	feed_main(int argc, char **argv);

#endif
