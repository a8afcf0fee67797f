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

#include "clientq.h"
#include "iplimit.h"
#include "server.h"

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
	struct subs	*fo_qnext;	/* rooms with a fan-out under way */
	int		 fo_queued;
};

/* An upgraded WebSocket subscriber; lives in its lws session (pss). */
struct client {
	struct lws	*wsi;
	struct client	*rnext, *rprev;	/* the room's subscribers */
	struct client	*anext, *aprev;	/* every client */
	struct room	*room;
	struct iplimit_ent *ip;		/* in server's ips */
	struct clientq	 q;
	struct msg	*cur;		/* a long message being fragmented */
	size_t		 cur_off;
	int64_t		 last_pong_ms;
	int64_t		 ping_sent_ms;
	size_t		 rx_len;
	unsigned short	 close_code;
	unsigned	 live:1, need_snapshot:1, want_ping:1,
			 awaiting_pong:1;
};

/* lws' per-session storage: a subscriber, or a plain HTTP answer. */
struct pss {
	struct client	 c;
	unsigned char	*body;		/* plain HTTP answer */
	size_t		 body_len;
};

struct server {
	uv_loop_t		*loop;
	struct lws_context	*ctx;
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
void	fanout_push(struct server *s, struct client *c, struct msg *m);
void	fanout_link(struct server *s, struct client *c);
void	fanout_unlink(struct server *s, struct client *c);
/* Drops every fan-out under way (shutdown: only close frames go out). */
void	fanout_cancel(struct server *s);

/* wswrite.c */
int	wswrite_can_direct(const struct client *c);
size_t	wswrite_direct(struct server *s, struct client *c, struct msg **ms,
	    size_t n, size_t limit);
void	wswrite_count(struct server *s, const struct msg *m);
int	wswrite_writable(struct server *s, struct client *c);

/* http.c: answers one plain HTTP request; 0, or -1 to close. */
int	http_serve(struct server *s, struct lws *wsi, struct pss *p,
	    const char *uri);

#endif
