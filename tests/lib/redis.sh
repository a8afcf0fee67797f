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
# REDIS_ARGS: more redis-server options (word-split).
# Everything is stopped and removed at exit (through at_exit).

REDIS_DIR=
REDIS_PORT=
REDIS_PID=

redis_available() { command -v redis-server >/dev/null 2>&1 &&
    command -v redis-cli >/dev/null 2>&1; }

redis_cli() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" "$@"; }

# redis_run: starts the server in the background and waits for PONG.
redis_run() {
	# shellcheck disable=SC2086 # REDIS_ARGS is word-split on purpose
	redis-server --port "$REDIS_PORT" --bind 127.0.0.1 \
	    --dir "$REDIS_DIR" --save '' --appendonly no --daemonize no \
	    --protected-mode no --logfile "$REDIS_DIR/redis.log" \
	    ${REDIS_ARGS:-} &
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

# The pipeline through Redis (after tests/lib/pipeline.sh and pl_init):
#
#   rd_aligner            the aligner, -o redis://.../$RD_NAME
#   rd_fanout N           ws-fanout instance N, -i redis://.../$RD_NAME;
#                         its port is in $PL_DIR/fanout-N.port
#   rd_port N             that port
#   rd_kill NAME [SIG]    stop aligner or fanout-N
#   rd_lb N...            nginx in front of instances N...; LB_PORT
#   rd_snapshot PORT OUT  one snapshot of $PL_GAME from PORT into OUT
RD_NAME=cs

rd_aligner() {
	rm -f "$PL_DIR/aligner.ready"
	# shellcheck disable=SC2086 # options, word-split on purpose
	"$PL_BIN/aligner" --output "$REDIS_URL_BASE/$RD_NAME" ${RD_ALIGNER_ARGS:-} \
	    "unix:$PL_DIR/espn.sock" "unix:$PL_DIR/kalshi.sock" \
	    --ready-fd 3 3>"$PL_DIR/aligner.ready" 2>>"$PL_DIR/aligner.log" &
	echo $! >"$PL_DIR/aligner.pid"
	bg "$!"
	WAIT_SECS=20 wait_for test -s "$PL_DIR/aligner.ready" ||
	    fail "aligner did not become ready: $(tail -n 5 "$PL_DIR/aligner.log")"
}

rd_fanout() {
	n=$1
	shift
	p=$(free_port)
	echo "$p" >"$PL_DIR/fanout-$n.port"
	rm -f "$PL_DIR/fanout-$n.ready"
	"$PL_BIN/ws-fanout" --input "$REDIS_URL_BASE/$RD_NAME" \
	    --listen "127.0.0.1:$p" "$@" \
	    --ready-fd 3 3>"$PL_DIR/fanout-$n.ready" \
	    2>>"$PL_DIR/fanout-$n.log" &
	echo $! >"$PL_DIR/fanout-$n.pid"
	bg "$!"
	WAIT_SECS=20 wait_for test -s "$PL_DIR/fanout-$n.ready" ||
	    fail "fanout-$n did not become ready: $(tail -n 5 "$PL_DIR/fanout-$n.log")"
}

rd_port() { cat "$PL_DIR/fanout-$1.port"; }

# rd_game_two_instances CLIENT_SECS: Redis, the simulators, two
# instances (rd_fanout 1 and 2), the aligner on Redis and both pollers;
# two clients on each instance (ws-load -D $T/cN) until the game's last
# ESPN point (RD_LAST), at most CLIENT_SECS. rd_wait_clients waits for
# them; rd_wait_update WHAT until instance 1's first client has an update.
rd_game_two_instances() {
	redis_start || fail "redis did not start"
	pl_sims 240 -60
	rd_fanout 1
	rd_fanout 2
	rd_aligner
	pl_start espn-poll
	pl_start kalshi-tap
	RD_LAST=$(jq -r '.winprobability[-1].playId' "$PL_FIXTURE")
	for n in 1 2; do
		mkdir -p "$T/c$n"
		"$BIN/ws-load" clients -a "127.0.0.1:$(rd_port $n)" -g "$PL_GAME" \
		    -n 2 -D "$T/c$n" -e "\"play_id\":\"$RD_LAST\"" -t "$1" \
		    >"$T/c$n.json" 2>"$T/c$n.err" &
		eval "RD_LOAD$n=\$!"
	done
}
rd_wait_clients() {
	for n in 1 2; do
		eval "wait \"\$RD_LOAD$n\"" ||
		    fail "clients of instance $n: $(tail -n 3 "$T/c$n.err")"
	done
}
rd_wait_update() {
	WAIT_SECS=60 wait_for sh -c "grep -q '\"type\":\"update\"' $T/c1/client-0.ndjson" ||
	    fail "no update before $1"
}

rd_kill() {
	pid=$(cat "$PL_DIR/$1.pid" 2>/dev/null || true)
	[ -n "$pid" ] || return 0
	kill "-${2:-TERM}" "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	rm -f "$PL_DIR/$1.pid"
}

# rd_metric PORT NAME: a sample's value from instance PORT's /metrics.
rd_metric() {
	curl -sf "http://127.0.0.1:$1/metrics" | awk -v n="$2" '$1 == n { print $2 }'
}

rd_lb() {
	LB_PORT=$(free_port)
	mkdir -p "$PL_DIR/nginx"
	{
		echo "daemon off; master_process off; worker_processes 1;"
		echo "pid $PL_DIR/nginx/nginx.pid; error_log $PL_DIR/nginx/error.log warn;"
		echo "events { worker_connections 4096; }"
		echo "http {"
		echo "  access_log off;"
		for d in client_body proxy fastcgi uwsgi scgi; do
			echo "  ${d}_temp_path $PL_DIR/nginx/$d;"
		done
		echo "  upstream fanout {"
		for n in "$@"; do
			echo "    server 127.0.0.1:$(rd_port "$n") max_fails=1 fail_timeout=60s;"
		done
		echo "  }"
		echo "  server {"
		echo "    listen 127.0.0.1:$LB_PORT;"
		echo "    location / {"
		echo "      proxy_pass http://fanout;"
		echo "      proxy_http_version 1.1;"
		echo "      proxy_set_header Upgrade \$http_upgrade;"
		echo "      proxy_set_header Connection upgrade;"
		echo "      proxy_read_timeout 1h;"
		echo "      proxy_connect_timeout 2s;"
		echo "    }"
		echo "  }"
		echo "}"
	} >"$PL_DIR/nginx/nginx.conf"
	nginx -p "$PL_DIR/nginx" -c "$PL_DIR/nginx/nginx.conf" \
	    2>>"$PL_DIR/nginx/stderr" &
	echo $! >"$PL_DIR/nginx.pid"
	bg "$!"
	wait_for curl -sf "http://127.0.0.1:$LB_PORT/healthz" ||
	    fail "nginx did not start: $(tail -n 5 "$PL_DIR/nginx/error.log" "$PL_DIR/nginx/stderr")"
}

rd_snapshot() {
	rm -rf "$2.d"
	mkdir -p "$2.d"
	"$PL_BIN/ws-load" clients -a "127.0.0.1:$1" -g "$PL_GAME" -n 1 -m 1 \
	    -t 10 -D "$2.d" >/dev/null 2>"$2.err" || return 1
	head -n 1 "$2.d/client-0.ndjson" >"$2"
}
