/*
 * conn: ws-fanout's private connection state, shared by server.c (lws
 * wiring, owns struct server and the lifetime of every client), fanout.c
 * (room subscriber lists, struct subs, owned per room through
 * room_user()), wswrite.c (one client's stream) and http.c (plain HTTP).
 * Nothing here is for main.c.
 */
#ifndef FANOUT_CONN_H
#define FANOUT_CONN_H

#include <stddef.h>
#include <stdint.h>

#include <libwebsockets.h>
#include <uv.h>

#include "accept.h"
#include "clientq.h"
#include "iplimit.h"
#include "server.h"
#include "wscheck.h"

/*
 * Messages longer than this go out as fragments of this size, copied
 * through one scratch buffer: lws keeps the unsent tail of a partial
 * write per connection, so this bounds that copy (a whole snapshot per
 * slow client otherwise).
 */
#define CHUNK		(32 * 1024)
/*
 * Subscribers an update goes to before the other games get a turn:
 * about 2 ms of loopback sends here (9 us each), so a game with 10k
 * subscribers delays a small game's update by a slice, not by 90 ms.
 */
#define FANOUT_SLICE	256
#define TRIM_MIN_CLIENTS 64	/* a crowd worth trimming after */

/*
 * A room's subscribers, newest first, and the update being fanned out to
 * them: m goes to next and every one after it. A client that joins
 * meanwhile goes in front of the cursor; its snapshot has the update.
 */
struct subs {
	struct client	*head;
	unsigned long	 n;
	struct msg	*fo_msg;
	struct client	*fo_next;
	int64_t		 fo_start_us;	/* fo_msg's commit (time_now_us) */
	struct subs	*fo_qnext;	/* rooms with a fan-out under way */
	int		 fo_queued;
};

/* An upgraded WebSocket subscriber; lives in its lws session (pss). */
struct client {
	struct lws	*wsi;
	struct client	*rnext, *rprev;	/* the room's subscribers */
	struct client	*anext, *aprev;	/* every client */
	struct client	*pnext, *pprev;	/* awaiting a pong, by deadline */
	struct room	*room;
	struct iplimit_ent *ip;		/* in server's ips */
	struct clientq	 q;
	struct msg	*cur;		/* a long message being fragmented */
	size_t		 cur_off;
	int64_t		 last_pong_ms;
	int64_t		 ping_sent_ms;
	size_t		 rx_len;
	struct wscheck_rx rx;		/* its frame headers (rxguard) */
	int		 fd;
	unsigned short	 close_code;
	unsigned	 live:1, need_snapshot:1, want_ping:1,
			 awaiting_pong:1, pmd:1;	/* pmd: permessage-deflate */
};

/* lws' per-session storage: a subscriber, or a plain HTTP answer. */
struct pss {
	struct client	 c;
	unsigned char	*body;		/* plain HTTP answer */
	size_t		 body_len;
};

/* What the edge (edge.c) refused or closed, for /metrics. */
struct edge_counters {
	unsigned long long	refused_nomem;
	unsigned long long	refused_per_ip;	/* --max-pending-per-ip */
	unsigned long long	timeouts;	/* --request-timeout */
	unsigned long long	bad_requests;	/* Content-Length, TE: 400 */
	unsigned long long	bad_handshakes;	/* version 426, key 400 */
	unsigned long long	bad_close_codes;	/* answered 1002 */
	unsigned long long	unmasked_frames;	/* closed 1002 */
	unsigned long long	forwarded_malformed;	/* XFF, X-Real-IP */
};

struct pending;

struct server {
	uv_loop_t		*loop;
	struct lws_context	*ctx;
	struct lws_vhost	*vhost;
	struct acceptor		*acc;		/* edge.c's */
	struct deflater		*deflater;	/* NULL: deflate off */
	struct pending		*pd_head, *pd_tail;	/* by deadline */
	struct pending		*pd_orphans;	/* adoption failed, closing */
	struct pending		*adopting;	/* inside lws_adopt */
	int			 adopt_died;
	uv_timer_t		 deadline;
	struct edge_counters	 edge;
	struct client		*pong_head, *pong_tail;	/* by deadline */
	uv_timer_t		 pong;
	struct server_cfg	 cfg;
	struct client		*all;
	unsigned long		 nclients;
	struct iplimit		*ips;		/* upgraded clients per address */
	struct clientq_budget	 budget;
	struct msg		**since_buf;
	unsigned char		*scratch;	/* LWS_PRE + CHUNK */
	uv_timer_t		 sweep;
	uv_timer_t		 grace;
	uv_idle_t		 fanout;	/* turns through fo_head */
	struct subs		*fo_head, *fo_tail;
	unsigned long		 trim_peak;	/* most clients since a trim */
	int			 trim_due;
	int			 stopping;
	int			 timers_open;
	void			(*done)(void *);
	void			*done_arg;
};

static inline void
want_write(struct client *c)
{
	lws_callback_on_writable(c->wsi);
}

/* fanout.c */
/* The rooms' messages to s's clients, until rooms_set_sink(NULL). */
void	fanout_attach(struct server *s);
void	fanout_push(struct server *s, struct client *c, struct msg *m);
void	fanout_link(struct server *s, struct client *c);
void	fanout_unlink(struct server *s, struct client *c);
/* Drops every fan-out under way (shutdown: only close frames go out). */
void	fanout_cancel(struct server *s);

/* server.c: a ping went out to c / c answered or went. */
void	pong_wait(struct server *s, struct client *c);
void	pong_done(struct server *s, struct client *c);

/* wswrite.c */
int	wswrite_can_direct(const struct client *c);
size_t	wswrite_direct(struct server *s, struct client *c, struct msg **ms,
	    size_t n, size_t limit);
void	wswrite_count(struct server *s, const struct msg *m);
/* What c gets for m: m, or m's compressed variant (built once); borrowed. */
struct msg *wswrite_pick(struct server *s, const struct client *c,
	    struct msg *m);
int	wswrite_writable(struct server *s, struct client *c);

/* edge.c: accept, pre-upgrade deadlines, client address, checks. */
int	edge_start(struct server *s, struct errbuf *err);
/* The connection leaves the pre-upgrade phase (upgraded or closed). */
void	edge_done(struct server *s, struct lws *wsi);
/* A new request on a kept-alive connection: a new deadline. */
void	edge_touch(struct server *s, struct lws *wsi);
/*
 * The client address of wsi: the peer, or behind a --trust-proxy peer
 * the one its headers name. count: a malformed header is counted.
 */
void	edge_client_addr(struct server *s, struct lws *wsi, int count,
	    char *out, size_t len);
/* Plain request framing (400 and close): 0, or -1 having answered. */
int	edge_check_request(struct server *s, struct lws *wsi);
/* Upgrade headers: 0 fine, 1 answered (426/400), -1 close. */
int	edge_check_upgrade(struct server *s, struct lws *wsi);
int	edge_refuse(struct lws *wsi, unsigned status, const char *reason,
	    const char *extra_headers, const char *msg);
void	edge_stop(struct server *s);
void	edge_free(struct server *s, uv_close_cb closed);
unsigned edge_pending(const struct server *s);

/* http.c: answers one plain HTTP request; 0, or -1 to close. */
int	http_serve(struct server *s, struct lws *wsi, struct pss *p,
	    const char *uri);

#endif
