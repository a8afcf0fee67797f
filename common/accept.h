/*
 * accept: a TCP listener of our own on the libuv loop, for servers whose
 * HTTP library (libwebsockets 4.1) would otherwise accept with no limit
 * of its own: binds exactly the address given, counts the connections
 * handed out per client address and in all, closes at once those over
 * the per-address cap, stops accepting (the kernel's backlog holds the
 * rest) while the total cap is reached, and at EMFILE/ENFILE stops
 * accepting for a moment instead of spinning. What to do with an accepted socket is the caller's
 * (on_accept), typically lws_adopt_descriptor_vhost().
 *
 * A connection stays counted ("pending") from accept until the caller
 * gives its token back with acceptor_release(), e.g. once it is upgraded
 * to a WebSocket, or closed. Loop thread only.
 */
#ifndef COURTSIDE_ACCEPT_H
#define COURTSIDE_ACCEPT_H

#include <stdint.h>
#include <uv.h>

#include "errbuf.h"
#include "iplimit.h"
#include "proxyaddr.h"

#define ACCEPT_MAX_LISTENERS	8

struct acceptor;

enum accept_refusal {
	ACCEPT_REFUSED_PER_ADDR = 0,	/* max_pending_per_addr reached */
	ACCEPT_REFUSED_NOMEM,
};

struct acceptor_cfg {
	const char	*host;		/* NULL or "": every address; "[::1]" ok */
	int		 port;
	int		 backlog;	/* 0: 4096 (the kernel may cap it) */
	unsigned	 max_pending;	/* counted at most, then wait; 0: no cap */
	unsigned	 max_pending_per_addr;	/* per address; 0: no cap */
	const struct proxyaddr *exempt;	/* not capped per address; borrowed */
	int64_t		 pause_ms;	/* at EMFILE/ENFILE; 0: 100 */
	/*
	 * Takes ownership of fd (non-blocking, close-on-exec), whose peer
	 * is ip (canonical text, borrowed). tok is the connection's token:
	 * give it back once with acceptor_release(). Returns 0, or -1 when
	 * the connection could not be kept (fd closed by the callee): the
	 * acceptor then releases tok itself.
	 */
	int		(*on_accept)(void *arg, int fd, const char *ip,
			    struct iplimit_ent *tok);
	/* A connection closed at once (may be NULL): for counters. */
	void		(*on_refuse)(void *arg, const char *ip,
			    enum accept_refusal why);
	void		*arg;
};

/*
 * Returns a new acceptor listening on cfg's address (every address it
 * resolves to, IPv6 sockets v6-only), or NULL with err set ("cannot
 * listen on HOST:PORT: reason"). Borrows cfg's strings and exempt for
 * its lifetime.
 */
struct acceptor *acceptor_new(uv_loop_t *loop, const struct acceptor_cfg *cfg,
	    struct errbuf *err);
/* Gives back a connection's token (NULL: nothing). */
void	acceptor_release(struct acceptor *a, struct iplimit_ent *tok);
/* Counted connections now, and those of ip. */
unsigned acceptor_pending(const struct acceptor *a);
unsigned acceptor_pending_of(const struct acceptor *a, const char *ip);
/* Pauses at EMFILE/ENFILE, and times the total cap held accepts back. */
unsigned long acceptor_fd_pauses(const struct acceptor *a);
unsigned long acceptor_full_waits(const struct acceptor *a);
/* Stops accepting (the sockets stay bound until acceptor_free). */
void	acceptor_stop(struct acceptor *a);
/*
 * Closes the listeners; the memory goes once their handles have closed
 * on the loop. Tokens still out become invalid. NULL ok.
 */
void	acceptor_free(struct acceptor *a);

#endif
