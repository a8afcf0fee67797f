/*
 * db: libpq in non-blocking mode on libuv. States: down (a backoff timer
 * runs), connecting (PQconnectPoll), preparing, ready, busy (a query is
 * out). Any error drops the connection and reconnects later; this module
 * never logs: it reports through callbacks.
 */
#include <stdlib.h>
#include <string.h>
#include <libpq-fe.h>

#include "backoff.h"
#include "db.h"
#include "digits.h"
#include "strcopy.h"
#include "timeutil.h"

#define STMT	"live_games_meta"
#define QUERY	\
	"SELECT game_id, home_team, away_team, home_abbr, away_abbr, " \
	"COALESCE((extract(epoch FROM start_time) * 1000)::bigint, 0) " \
	"FROM espn.scoreboard_games WHERE game_id = ANY($1::text[])"

enum db_state {
	DB_DOWN = 0,
	DB_CONNECTING,
	DB_PREPARING,
	DB_READY,
	DB_BUSY,
};

struct db {
	uv_loop_t	*loop;
	struct db_cfg	 cfg;
	char		*conninfo;
	enum db_state	 state;
	PGconn		*conn;
	uv_poll_t	*poll;		/* NULL when not watching */
	int		 poll_fd;
	int		 poll_events;
	uv_timer_t	*retry;		/* reconnect */
	uv_timer_t	*deadline;	/* query timeout */
	struct backoff	 backoff;
	db_rows_fn	 done;
	void		*done_arg;
	struct live_dbrow *rows;
	size_t		 nrows;
	int		 result_ok;
	char		 error[256];
	struct db_stats	 stats;
};

static void	start_connect(struct db *);
static void	pump(struct db *);
static void	on_deadline(uv_timer_t *);

static int64_t
timeout_ms(const struct db *d)
{
	return d->cfg.query_timeout_ms > 0 ? d->cfg.query_timeout_ms : 5000;
}

static void
free_handle(uv_handle_t *h)
{
	free(h);
}

static void
unwatch(struct db *d)
{
	if (d->poll == NULL)
		return;
	uv_poll_stop(d->poll);
	uv_close((uv_handle_t *)d->poll, free_handle);
	d->poll = NULL;
}

static void
on_poll(uv_poll_t *p, int status, int events)
{
	struct db *d = p->data;

	(void)status;
	(void)events;
	pump(d);
}

/* Watches the connection's socket for events (it may change while connecting). */
static int
watch(struct db *d, int events)
{
	int fd = PQsocket(d->conn);

	if (fd < 0)
		return -1;
	if (d->poll != NULL && d->poll_fd != fd)
		unwatch(d);
	if (d->poll == NULL) {
		if ((d->poll = calloc(1, sizeof(*d->poll))) == NULL)
			return -1;
		if (uv_poll_init(d->loop, d->poll, fd) != 0) {
			free(d->poll);
			d->poll = NULL;
			return -1;
		}
		d->poll->data = d;
		d->poll_fd = fd;
		d->poll_events = 0;
	}
	if (events != d->poll_events || !uv_is_active((uv_handle_t *)d->poll)) {
		if (uv_poll_start(d->poll, events, on_poll) != 0)
			return -1;
		d->poll_events = events;
	}
	return 0;
}

static void
finish_query(struct db *d, int ok, const char *error)
{
	db_rows_fn done = d->done;

	uv_timer_stop(d->deadline);
	d->done = NULL;
	if (!ok)
		d->stats.failures++;
	if (done != NULL)
		done(d->done_arg, ok, ok ? d->rows : NULL, ok ? d->nrows : 0,
		    error);
	free(d->rows);
	d->rows = NULL;
	d->nrows = 0;
}

static void
on_retry(uv_timer_t *t)
{
	start_connect(t->data);
}

/* Drops the connection, fails what was pending, schedules a reconnect. */
static void
lose(struct db *d, const char *why)
{
	int was_up = d->state == DB_READY || d->state == DB_BUSY;
	int64_t delay;

	/* why NULL: d->error already says it. */
	if (why != NULL)
		strcopy(d->error, sizeof(d->error), why);
	/* libpq messages end in a newline; logfmt wants one line. */
	d->error[strcspn(d->error, "\n")] = '\0';
	unwatch(d);
	uv_timer_stop(d->deadline);
	if (d->conn != NULL) {
		PQfinish(d->conn);
		d->conn = NULL;
	}
	d->state = DB_DOWN;
	if (was_up)
		d->stats.disconnects++;
	if (d->done != NULL)
		finish_query(d, 0, d->error);
	if (d->cfg.on_change != NULL)
		d->cfg.on_change(d->cfg.arg, 0, d->error);
	delay = backoff_next(&d->backoff);
	uv_timer_start(d->retry, on_retry, (uint64_t)delay, 0);
}

static void
start_connect(struct db *d)
{
	d->conn = PQconnectStart(d->conninfo);
	if (d->conn == NULL) {
		lose(d, "out of memory");
		return;
	}
	if (PQstatus(d->conn) == CONNECTION_BAD) {
		lose(d, PQerrorMessage(d->conn));
		return;
	}
	PQsetnonblocking(d->conn, 1);
	d->state = DB_CONNECTING;
	/* libpq enforces connect_timeout only when it blocks: we do it here. */
	uv_timer_start(d->deadline, on_deadline, (uint64_t)timeout_ms(d), 0);
	/* PQconnectStart behaves as if the last poll said "writing". */
	if (watch(d, UV_WRITABLE) == -1)
		lose(d, "cannot watch the socket");
}

/* Sends what libpq holds; returns 0, or -1 when the connection failed. */
static int
flush(struct db *d)
{
	int r = PQflush(d->conn);

	if (r == -1) {
		strcopy(d->error, sizeof(d->error), PQerrorMessage(d->conn));
		return -1;
	}
	return watch(d, UV_READABLE | (r == 1 ? UV_WRITABLE : 0));
}

static void
take_rows(struct db *d, PGresult *res)
{
	int i, n = PQntuples(res);
	struct live_dbrow *r;
	long long ms;

	if (n <= 0 || PQnfields(res) < 6)
		return;
	if ((d->rows = calloc((size_t)n, sizeof(*d->rows))) == NULL)
		return;
	for (i = 0; i < n; i++) {
		r = &d->rows[d->nrows];
		strcopy(r->game_id, sizeof(r->game_id), PQgetvalue(res, i, 0));
		strcopy(r->home_team, sizeof(r->home_team),
		    PQgetvalue(res, i, 1));
		strcopy(r->away_team, sizeof(r->away_team),
		    PQgetvalue(res, i, 2));
		strcopy(r->home_abbr, sizeof(r->home_abbr),
		    PQgetvalue(res, i, 3));
		strcopy(r->away_abbr, sizeof(r->away_abbr),
		    PQgetvalue(res, i, 4));
		ms = strtoll(PQgetvalue(res, i, 5), NULL, 10);
		r->start_time = ms;
		d->nrows++;
	}
}

/* Reads every result that is complete; returns -1 when the link failed. */
static int
drain(struct db *d)
{
	PGresult *res;
	ExecStatusType st;

	if (!PQconsumeInput(d->conn)) {
		strcopy(d->error, sizeof(d->error), PQerrorMessage(d->conn));
		return -1;
	}
	while (!PQisBusy(d->conn)) {
		if ((res = PQgetResult(d->conn)) == NULL) {
			/* The command in flight is complete. */
			if (d->state == DB_PREPARING) {
				if (!d->result_ok)
					return -1;
				d->state = DB_READY;
				uv_timer_stop(d->deadline);
				backoff_reset(&d->backoff);
				d->stats.connects++;
				if (d->cfg.on_change != NULL)
					d->cfg.on_change(d->cfg.arg, 1, NULL);
			} else if (d->state == DB_BUSY) {
				d->state = DB_READY;
				finish_query(d, d->result_ok, d->result_ok ?
				    NULL : d->error);
			}
			break;
		}
		st = PQresultStatus(res);
		if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
			d->result_ok = 1;
			if (d->state == DB_BUSY && d->rows == NULL)
				take_rows(d, res);
		} else {
			d->result_ok = 0;
			strcopy(d->error, sizeof(d->error),
			    PQresultErrorMessage(res));
			d->error[strcspn(d->error, "\n")] = '\0';
		}
		PQclear(res);
	}
	if (PQstatus(d->conn) == CONNECTION_BAD) {
		strcopy(d->error, sizeof(d->error), PQerrorMessage(d->conn));
		return -1;
	}
	return 0;
}

static void
pump(struct db *d)
{
	PostgresPollingStatusType r;

	switch (d->state) {
	case DB_CONNECTING:
		r = PQconnectPoll(d->conn);
		if (r == PGRES_POLLING_FAILED) {
			lose(d, PQerrorMessage(d->conn));
			return;
		}
		if (r == PGRES_POLLING_READING || r == PGRES_POLLING_WRITING) {
			if (watch(d, r == PGRES_POLLING_READING ? UV_READABLE :
			    UV_WRITABLE) == -1)
				lose(d, "cannot watch the socket");
			return;
		}
		/* PGRES_POLLING_OK: connected; prepare the one statement. */
		d->state = DB_PREPARING;
		d->result_ok = 0;
		if (!PQsendPrepare(d->conn, STMT, QUERY, 1, NULL))
			lose(d, PQerrorMessage(d->conn));
		else if (flush(d) == -1)
			lose(d, NULL);
		return;
	case DB_PREPARING:
	case DB_READY:
	case DB_BUSY:
		if (flush(d) == -1 || drain(d) == -1)
			lose(d, NULL);
		return;
	case DB_DOWN:
	default:
		return;
	}
}

static void
on_deadline(uv_timer_t *t)
{
	struct db *d = t->data;

	if (d->state == DB_BUSY)
		lose(d, "query timed out");
	else if (d->state == DB_CONNECTING || d->state == DB_PREPARING)
		lose(d, "connect timed out");
}

struct db *
db_new(uv_loop_t *loop, const struct db_cfg *cfg, struct errbuf *err)
{
	struct db *d;

	if ((d = calloc(1, sizeof(*d))) == NULL ||
	    (d->conninfo = strdup(cfg->conninfo)) == NULL ||
	    (d->retry = calloc(1, sizeof(*d->retry))) == NULL ||
	    (d->deadline = calloc(1, sizeof(*d->deadline))) == NULL) {
		if (d != NULL) {
			free(d->conninfo);
			free(d->retry);
			free(d);
		}
		errbuf_set(err, "out of memory");
		return NULL;
	}
	d->loop = loop;
	d->cfg = *cfg;
	d->cfg.conninfo = d->conninfo;
	uv_timer_init(loop, d->retry);
	uv_timer_init(loop, d->deadline);
	d->retry->data = d;
	d->deadline->data = d;
	backoff_init(&d->backoff, (uint64_t)time_now_ms() ^ (uintptr_t)d);
	d->backoff.give_up = 0;
	if (cfg->max_backoff_ms > 0)
		d->backoff.max_ms = cfg->max_backoff_ms;
	start_connect(d);
	return d;
}

int
db_ready(const struct db *d)
{
	return d->state == DB_READY;
}

int
db_connecting(const struct db *d)
{
	return d->state == DB_CONNECTING || d->state == DB_PREPARING;
}

int
db_up(const struct db *d)
{
	return d->state == DB_READY || d->state == DB_BUSY;
}

static int
is_digits(const char *s)
{
	return *s != '\0' && digits_only(s, strlen(s));
}

int
db_query_games(struct db *d, const char *const *ids, size_t n,
    db_rows_fn done, void *arg, struct errbuf *err)
{
	const char *values[1];
	size_t i, cap = 3, len = 0, k;
	char *arr;
	int rc;

	if (d->state != DB_READY)
		return errbuf_set(err, "not connected");
	for (i = 0; i < n; i++)
		cap += strlen(ids[i]) + 3;
	if ((arr = malloc(cap)) == NULL)
		return errbuf_set(err, "out of memory");
	/* A text[] literal; ids are digits, quoted anyway. */
	arr[len++] = '{';
	for (i = 0; i < n; i++) {
		if (!is_digits(ids[i]))
			continue;
		if (len > 1)
			arr[len++] = ',';
		arr[len++] = '"';
		k = strlen(ids[i]);
		memcpy(arr + len, ids[i], k);
		len += k;
		arr[len++] = '"';
	}
	arr[len++] = '}';
	arr[len] = '\0';
	values[0] = arr;
	rc = PQsendQueryPrepared(d->conn, STMT, 1, values, NULL, NULL, 0);
	free(arr);
	if (!rc) {
		errbuf_set(err, "%s", PQerrorMessage(d->conn));
		lose(d, PQerrorMessage(d->conn));
		return -1;
	}
	d->state = DB_BUSY;
	d->done = done;
	d->done_arg = arg;
	d->result_ok = 0;
	d->stats.queries++;
	uv_timer_start(d->deadline, on_deadline, (uint64_t)timeout_ms(d), 0);
	if (flush(d) == -1) {
		/* done must never run from inside this call. */
		d->done = NULL;
		d->stats.failures++;
		errbuf_set(err, "%s", d->error);
		lose(d, NULL);
		return -1;
	}
	return 0;
}

void
db_stats(const struct db *d, struct db_stats *st)
{
	*st = d->stats;
}

void
db_free(struct db *d)
{
	if (d == NULL)
		return;
	d->done = NULL;
	unwatch(d);
	if (d->conn != NULL)
		PQfinish(d->conn);
	free(d->rows);
	uv_timer_stop(d->retry);
	uv_timer_stop(d->deadline);
	uv_close((uv_handle_t *)d->retry, free_handle);
	uv_close((uv_handle_t *)d->deadline, free_handle);
	free(d->conninfo);
	free(d);
}

int
db_exec_script(const char *conninfo, const char *sql, struct errbuf *err)
{
	PGconn *conn;
	PGresult *res;
	int rc = -1;

	conn = PQconnectdb(conninfo);
	if (conn == NULL || PQstatus(conn) != CONNECTION_OK) {
		errbuf_set(err, "%s", conn ? PQerrorMessage(conn) :
		    "out of memory");
		goto done;
	}
	res = PQexec(conn, "SET client_min_messages = warning");
	PQclear(res);
	res = PQexec(conn, "BEGIN");
	PQclear(res);
	res = PQexec(conn, sql);
	if (PQresultStatus(res) != PGRES_COMMAND_OK &&
	    PQresultStatus(res) != PGRES_TUPLES_OK) {
		errbuf_set(err, "%s", PQresultErrorMessage(res));
		PQclear(res);
		goto done;
	}
	PQclear(res);
	res = PQexec(conn, "COMMIT");
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		errbuf_set(err, "%s", PQresultErrorMessage(res));
	else
		rc = 0;
	PQclear(res);
done:
	if (err != NULL)
		err->msg[strcspn(err->msg, "\n")] = '\0';
	PQfinish(conn);
	return rc;
}
