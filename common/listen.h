/*
 * listen: checks that a TCP address can be bound before handing it to
 * libwebsockets, which in 4.1 goes on without its listener when the bind
 * fails and cannot undo that context cleanly on a foreign loop.
 */
#ifndef COURTSIDE_LISTEN_H
#define COURTSIDE_LISTEN_H

#include "errbuf.h"

/*
 * Binds and releases iface:port (iface NULL: every interface; only
 * numeric IPv4 addresses are checked, others pass). Returns 0, or -1
 * with err set ("cannot listen on ADDR:PORT: reason").
 */
int	listen_probe(const char *iface, int port, struct errbuf *err);

#endif
