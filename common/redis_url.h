/*
 * redis_url: parses "redis://[HOST][:PORT]/NAME", the spec of a Redis
 * output (aligner) or input (ws-fanout). Pure: no I/O, no allocation,
 * no globals. HOST may be an IPv4 address, a name, or [IPv6].
 */
#ifndef COURTSIDE_REDIS_URL_H
#define COURTSIDE_REDIS_URL_H

#include <stddef.h>

#include "errbuf.h"

#define REDIS_URL_HOST_MAX	253
#define REDIS_URL_NAME_MAX	64
#define REDIS_URL_DEFAULT_HOST	"127.0.0.1"
#define REDIS_URL_DEFAULT_PORT	6379

struct redis_url {
	char	host[REDIS_URL_HOST_MAX + 1];	/* without brackets */
	int	port;
	/* The key prefix: letters, digits, '_', '-', '.'. */
	char	name[REDIS_URL_NAME_MAX + 1];
};

/* 1 when s starts with "redis://". */
int	redis_url_is(const char *s);
/*
 * Fills u from s. Returns 0, or -1 with err saying what is wrong; u is
 * then unspecified. Borrows s.
 */
int	redis_url_parse(const char *s, struct redis_url *u, struct errbuf *err);
/*
 * The stream layout, shared by the writer (aligner) and every reader
 * (ws-fanout): NAME:game:ID, one stream per game, and NAME:games, the
 * index. Each writes into buf (len bytes) and returns 0, or -1 when the
 * key does not fit.
 */
int	redis_url_game_key(const struct redis_url *u, const char *id, char *buf,
	    size_t len);
int	redis_url_index_key(const struct redis_url *u, char *buf, size_t len);

#endif
