# tests/lib/pg.sh: a throwaway PostgreSQL 15 for tests, demos and
# benchmarks. Source it (after tests/lib.sh when there is one), then:
#
#   pg_available || skip "no PostgreSQL 15"
#   pg_start              # initdb + start; exports DATABASE_URL
#                         # (database $PG_DBNAME, default courtside)
#   pg_psql -c 'select 1' # psql on that server (no password, Unix socket)
#   pg_stop               # stop it ("Postgres stopped mid-run")
#   pg_resume             # start it again, same data, same socket
#
# The server listens only on a Unix socket in its own folder (no TCP);
# the "port" is random and only names the socket file. It runs as the
# postgres user when we are root (PostgreSQL refuses root). Everything is
# stopped and removed at exit (through at_exit from tests/lib.sh, or an
# EXIT trap of our own when that is absent).

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_DIR=
PG_PORT=
PG_LOG=

# pg_run CMD...: runs CMD as the postgres user when root, else as is.
pg_run() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

# pg_available: 0 when a PostgreSQL 15 server can be started here.
pg_available() {
	[ -x "$PG_BIN/initdb" ] && [ -x "$PG_BIN/pg_ctl" ] || return 1
	command -v psql >/dev/null 2>&1 || [ -x "$PG_BIN/psql" ] || return 1
	if [ "$(id -u)" -eq 0 ]; then
		command -v runuser >/dev/null 2>&1 || return 1
		id postgres >/dev/null 2>&1 || return 1
	fi
	return 0
}

pg_psql_bin() {
	if [ -x "$PG_BIN/psql" ]; then echo "$PG_BIN/psql"; else echo psql; fi
}

# pg_start: a new cluster with one database, $PG_DBNAME (default
# courtside); exports DATABASE_URL, PGHOST, PGPORT, PGUSER, PGDATABASE.
# Returns 1 and prints the server log when it fails.
pg_start() {
	pg_db=${PG_DBNAME:-courtside}
	PG_DIR=$(mktemp -d /tmp/courtside-pg.XXXXXX) || return 1
	chmod 755 "$PG_DIR"
	if [ "$(id -u)" -eq 0 ]; then chown postgres: "$PG_DIR"; fi
	if command -v at_exit >/dev/null 2>&1; then
		at_exit pg_cleanup
	else
		trap 'pg_cleanup' EXIT
	fi
	PG_LOG=$PG_DIR/server.log
	# 15 bits of /dev/urandom above 20000: a socket name no other test
	# run on this machine is likely to pick at the same time.
	PG_PORT=$(( 20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 40000 ))
	pg_run "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust \
	    -E UTF8 --locale=C --no-sync >"$PG_DIR/initdb.log" 2>&1 || {
		cat "$PG_DIR/initdb.log" >&2
		return 1
	}
	pg_resume || return 1
	export PGHOST="$PG_DIR" PGPORT="$PG_PORT" PGUSER=postgres
	PGDATABASE=postgres pg_psql -q -c "CREATE DATABASE $pg_db" || return 1
	export PGDATABASE="$pg_db"
	export DATABASE_URL="postgresql:///$pg_db?host=$PG_DIR&port=$PG_PORT&user=postgres"
	return 0
}

# pg_resume: starts the cluster made by pg_start (again), waiting until
# it accepts connections.
pg_resume() {
	[ -n "$PG_DIR" ] || return 1
	pg_run "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_LOG" -w -t 30 \
	    -o "-c listen_addresses='' -k $PG_DIR -p $PG_PORT -c fsync=off -c full_page_writes=off -c synchronous_commit=off" \
	    start >/dev/null 2>&1 || {
		echo "pg_resume: server did not start:" >&2
		tail -n 20 "$PG_LOG" >&2 2>/dev/null
		return 1
	}
}

# pg_stop: stops the server at once (clients see their connections drop).
pg_stop() {
	[ -n "$PG_DIR" ] || return 0
	pg_run "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w -t 30 stop \
	    >/dev/null 2>&1
}

# pg_psql ARGS...: psql on the test server, stopping at the first error.
pg_psql() {
	"$(pg_psql_bin)" -X -v ON_ERROR_STOP=1 -h "$PG_DIR" -p "$PG_PORT" \
	    -U postgres "$@"
}

# pg_cleanup: stops the server (if running) and removes its folder.
pg_cleanup() {
	[ -n "$PG_DIR" ] || return 0
	if [ -f "$PG_DIR/data/postmaster.pid" ]; then
		pg_run "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w \
		    -t 10 stop >/dev/null 2>&1 || true
	fi
	rm -rf "$PG_DIR"
	PG_DIR=
}
