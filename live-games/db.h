/*
 * db: one non-blocking libpq connection on a libuv loop (PQsocket +
 * uv_poll), reconnecting with backoff, with one prepared statement: the
 * metadata of a set of games. Thin adapter: no caching, no policy.
 */
#ifndef LIVE_DB_H
#define LIVE_DB_H

#include <stddef.h>
#include <stdint.h>
#include <uv.h>
#include "body.h"
#include "errbuf.h"

struct db;

/*
 * A query ended. ok 0: error says why (rows NULL). rows are borrowed for
 * the call.
 */
typedef void (*db_rows_fn)(void *arg, int ok, const struct live_dbrow *rows,
    size_t n, const char *error);

struct db_cfg {
	const char	*conninfo;	/* libpq connection string or URI */
	int64_t		 max_backoff_ms; /* reconnect delay ceiling */
	int64_t		 query_timeout_ms; /* also bounds a connection attempt */
	/* The connection came up (1) or went down (0) (optional). */
	void		(*on_change)(void *arg, int up, const char *why);
	void		*arg;
};

struct db_stats {
	unsigned long long	queries;	/* sent */
	unsigned long long	failures;	/* queries that failed */
	unsigned long long	connects;	/* connections that came up */
	unsigned long long	disconnects;
};

/* Returns a new db and starts connecting, or NULL with err set. */
struct db *db_new(uv_loop_t *loop, const struct db_cfg *cfg,
	    struct errbuf *err);
/* 1 when connected and idle: a query may be sent. */
int	db_ready(const struct db *d);
/* 1 while a connection attempt is under way (bounded by the timeout). */
int	db_connecting(const struct db *d);
/* 1 when connected (idle or busy). */
int	db_up(const struct db *d);
/*
 * Sends the prepared query for ids (digit strings; others are skipped).
 * done runs once, later, from the loop. Returns 0, or -1 with err set
 * when not ready (done never runs).
 */
int	db_query_games(struct db *d, const char *const *ids, size_t n,
	    db_rows_fn done, void *arg, struct errbuf *err);
void	db_stats(const struct db *d, struct db_stats *st);
/* Drops the connection and frees; a pending done never runs. NULL ok. */
void	db_free(struct db *d);

/*
 * Blocking: connects to conninfo and runs sql (several statements) in
 * one transaction. For --init-db only, never from the loop. 0 / -1.
 */
int	db_exec_script(const char *conninfo, const char *sql,
	    struct errbuf *err);

#endif
