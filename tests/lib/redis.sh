# tests/lib/redis.sh: a throwaway redis-server for tests and benchmarks.
# Source it after tests/lib.sh, then:
#
#   redis_start           start one on a free port in its own folder;
#                         sets REDIS_PORT and REDIS_URL_BASE
#                         (redis://127.0.0.1:PORT)
#   redis_cli ARGS...     redis-cli on that server
#   redis_kill9           kill -9 it (the data is gone: no persistence)
#   redis_restart         start it again on the same port, empty
#   redis_pause/resume    SIGSTOP / SIGCONT it (unreachable, sockets open)
#
# Persistence is off (no RDB, no AOF), so a restart is an empty Redis.
# Everything is stopped and removed at exit (through at_exit).

REDIS_DIR=
REDIS_PORT=
REDIS_PID=

redis_available() { command -v redis-server >/dev/null 2>&1 &&
    command -v redis-cli >/dev/null 2>&1; }

redis_cli() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" "$@"; }

# redis_run: starts the server in the background and waits for PONG.
redis_run() {
	redis-server --port "$REDIS_PORT" --bind 127.0.0.1 \
	    --dir "$REDIS_DIR" --save '' --appendonly no --daemonize no \
	    --protected-mode no --logfile "$REDIS_DIR/redis.log" &
	REDIS_PID=$!
	bg "$REDIS_PID"
	WAIT_SECS=10 wait_for sh -c "redis-cli -p $REDIS_PORT ping | grep -q PONG" || {
		echo "redis did not start:" >&2
		tail -n 20 "$REDIS_DIR/redis.log" >&2 2>/dev/null
		return 1
	}
}

redis_start() {
	redis_available || fail "redis-server is not installed (make deps)"
	REDIS_DIR=$(mktemp -d /tmp/courtside-redis.XXXXXX) || return 1
	at_exit redis_cleanup
	REDIS_PORT=$(free_port)
	# shellcheck disable=SC2034 # used by the scripts that source this
	REDIS_URL_BASE=redis://127.0.0.1:$REDIS_PORT
	redis_run
}

redis_kill9() {
	[ -n "$REDIS_PID" ] || return 0
	kill -9 "$REDIS_PID" 2>/dev/null || true
	wait "$REDIS_PID" 2>/dev/null || true
	REDIS_PID=
}

redis_restart() { redis_kill9; redis_run; }

redis_pause() { kill -STOP "$REDIS_PID"; }
redis_resume() { kill -CONT "$REDIS_PID"; }

redis_cleanup() {
	if [ -n "$REDIS_PID" ]; then
		kill -CONT "$REDIS_PID" 2>/dev/null || true
		kill "$REDIS_PID" 2>/dev/null || true
		wait "$REDIS_PID" 2>/dev/null || true
	fi
	[ -n "$REDIS_DIR" ] && rm -rf "$REDIS_DIR"
	REDIS_DIR=
}
