# tests/lib/pipeline.sh: the whole courtside pipeline on recorded data,
# for the demo (tests/demo.sh) and the end-to-end scenarios. Source it
# after tests/lib.sh (or define bg, fail, wait_for, at_exit yourself).
#
#   pl_init DIR            where sockets, logs and pid files go
#   pl_sims SPEED [OFFSET] start espn-sim and kalshi-sim on one game clock
#                          (OFFSET: simulated seconds from the first play)
#   pl_db                  a throwaway PostgreSQL (unless DATABASE_URL is
#                          set) with live-games' schema and sample data
#   pl_start STAGE         start one stage, wait until it is ready:
#                          ws-fanout aligner espn-poll kalshi-tap live-games
#   pl_kill STAGE [SIG]    stop a stage (default TERM) and wait for it
#   pl_all                 start every stage, downstream first
#   pl_wait_game           until ws-fanout knows the game (30 s), or fail
#   pl_game_live           the simulators ten minutes into the game at
#                          120x, ws-fanout, aligner, espn-poll and
#                          kalshi-tap, until ws-fanout has the game "in"
#   pl_stop                stop every stage, upstream first
# Stages talk over Unix sockets in DIR: espn.sock and kalshi.sock (inputs
# of aligner), frames.sock (input of ws-fanout). Ports: PL_WS_PORT
# (ws-fanout) and PL_API_PORT (live-games), free ones unless set.
# PL_TRUST_PROXY=CIDR[,...]: ws-fanout and live-games take the client
# address from X-Forwarded-For of those peers (a proxy in front).

PL_BIN=${BIN:-$ROOT/build/bin}
# shellcheck disable=SC2034 # used by the scripts that source this
PL_GAME=401772994
PL_FIXTURE=$ROOT/tests/data/espn/summary-nba-401772994.json

pl_init() {
	PL_DIR=$1
	mkdir -p "$PL_DIR"
	PL_WS_PORT=${PL_WS_PORT:-$(free_port)}
	PL_API_PORT=${PL_API_PORT:-$(free_port)}
	PL_KALSHI_PORT=${PL_KALSHI_PORT:-$(free_port)}
	PL_ESPN_POLL_INTERVAL=${PL_ESPN_POLL_INTERVAL:-1s}
}

# pl_pid STAGE: the pid of a running stage, or nothing.
pl_pid() { cat "$PL_DIR/$1.pid" 2>/dev/null || true; }

pl_sims() {
	speed=$1 offset=${2:-0}
	# A throwaway key pair: kalshi-tap signs its WebSocket handshake and
	# kalshi-sim checks it, as Kalshi would. (KALSHI_REST=1: no key, so
	# kalshi-tap polls REST instead.)
	if [ -z "${KALSHI_REST:-}" ]; then
		(umask 077 && openssl genpkey -algorithm RSA \
		    -pkeyopt rsa_keygen_bits:2048 -out "$PL_DIR/kalshi.pem" \
		    2>/dev/null) || fail "openssl genpkey"
		openssl pkey -in "$PL_DIR/kalshi.pem" -pubout \
		    -out "$PL_DIR/kalshi.pub.pem" 2>/dev/null || fail "openssl pkey"
		set -- --pubkey "$PL_DIR/kalshi.pub.pem" --key-id courtside-demo
	else
		set --
	fi
	: >"$PL_DIR/espn-sim.port"
	rm -f "$PL_DIR/espn-sim.port"
	"$ROOT/tests/tools/espn-sim" --port-file "$PL_DIR/espn-sim.port" \
	    --speed "$speed" --start-offset "$offset" --dates any \
	    --log "$PL_DIR/espn-sim.requests" 2>"$PL_DIR/espn-sim.log" &
	echo $! >"$PL_DIR/espn-sim.pid"
	bg "$!"
	"$PL_BIN/kalshi-sim" "$@" --port "$PL_KALSHI_PORT" --espn "$PL_FIXTURE" \
	    --speed "$speed" --start-offset "$offset" \
	    --sent-log "$PL_DIR/kalshi-sim.sent" \
	    --ready-fd 3 3>"$PL_DIR/kalshi-sim.ready" \
	    2>"$PL_DIR/kalshi-sim.log" &
	echo $! >"$PL_DIR/kalshi-sim.pid"
	bg "$!"
	wait_for test -s "$PL_DIR/espn-sim.port" ||
	    fail "espn-sim did not start: $(tail -n 5 "$PL_DIR/espn-sim.log")"
	wait_for test -s "$PL_DIR/kalshi-sim.ready" ||
	    fail "kalshi-sim did not start: $(tail -n 5 "$PL_DIR/kalshi-sim.log")"
	PL_ESPN_URL=http://127.0.0.1:$(cat "$PL_DIR/espn-sim.port")/apis/site/v2/sports/basketball/nba
	PL_KALSHI_WS=ws://127.0.0.1:$PL_KALSHI_PORT/trade-api/ws/v2
	PL_KALSHI_REST=http://127.0.0.1:$PL_KALSHI_PORT/trade-api/v2
}

pl_db() {
	if [ -z "${DATABASE_URL:-}" ]; then
		. "$ROOT/tests/lib/pg.sh"
		pg_available || fail "PostgreSQL 15 is not installed (make deps)"
		pg_start >"$PL_DIR/pg.out" 2>&1 || fail "postgres: $(tail -n 5 "$PL_DIR/pg.out")"
	fi
	"$PL_BIN/live-games" --init-db --db "$DATABASE_URL" 2>"$PL_DIR/init-db.log" ||
	    fail "live-games --init-db: $(cat "$PL_DIR/init-db.log")"
	psql -q -X -v ON_ERROR_STOP=1 "$DATABASE_URL" \
	    -f "$ROOT/live-games/sample.sql" >/dev/null 2>"$PL_DIR/sample.log" ||
	    pg_psql -q -f "$ROOT/live-games/sample.sql" >/dev/null 2>>"$PL_DIR/sample.log" ||
	    fail "sample.sql: $(cat "$PL_DIR/sample.log")"
}

pl_start() {
	stage=$1
	rm -f "$PL_DIR/$stage.ready"
	case $stage in
	ws-fanout)
		set -- --input "unix:$PL_DIR/frames.sock" \
		    --listen "127.0.0.1:$PL_WS_PORT" --www "$ROOT/www" ;;
	aligner)
		set -- --output "unix:$PL_DIR/frames.sock" \
		    "unix:$PL_DIR/espn.sock" "unix:$PL_DIR/kalshi.sock" ;;
	espn-poll)
		set -- --base-url "$PL_ESPN_URL" --interval "$PL_ESPN_POLL_INTERVAL" \
		    --scoreboard-interval "$PL_ESPN_POLL_INTERVAL" \
		    --output "unix:$PL_DIR/espn.sock" ;;
	kalshi-tap)
		set -- --ws-url "$PL_KALSHI_WS" --rest-url "$PL_KALSHI_REST" \
		    --poll-interval 1s --discover-interval 5s \
		    --state "$PL_DIR/kalshi-tap.ndjson" \
		    --output "unix:$PL_DIR/kalshi.sock" ;;
	live-games)
		set -- --listen "127.0.0.1:$PL_API_PORT" --db "$DATABASE_URL" \
		    --espn-base-url "$PL_ESPN_URL" --cache-ttl 10s \
		    --cors-origin '*' ;;
	*)	fail "pl_start: unknown stage $stage" ;;
	esac
	if [ -n "${PL_TRUST_PROXY:-}" ] &&
	    { [ "$stage" = ws-fanout ] || [ "$stage" = live-games ]; }; then
		set -- "$@" --trust-proxy "$PL_TRUST_PROXY"
	fi
	if [ "$stage" = kalshi-tap ] && [ -s "$PL_DIR/kalshi.pem" ]; then
		set -- env KALSHI_API_KEY_ID=courtside-demo \
		    KALSHI_PRIVATE_KEY_PATH="$PL_DIR/kalshi.pem" "$PL_BIN/$stage" "$@"
	else
		set -- "$PL_BIN/$stage" "$@"
	fi
	"$@" --ready-fd 3 3>"$PL_DIR/$stage.ready" 2>>"$PL_DIR/$stage.log" &
	echo $! >"$PL_DIR/$stage.pid"
	bg "$!"
	WAIT_SECS=20 wait_for test -s "$PL_DIR/$stage.ready" ||
	    fail "$stage did not become ready: $(tail -n 5 "$PL_DIR/$stage.log")"
}

pl_kill() {
	pid=$(pl_pid "$1")
	[ -n "$pid" ] || return 0
	kill "-${2:-TERM}" "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	rm -f "$PL_DIR/$1.pid"
}

pl_all() {
	pl_start ws-fanout
	pl_start aligner
	pl_start espn-poll
	pl_start kalshi-tap
	pl_start live-games
}

pl_wait_game() {
	WAIT_SECS=30 wait_for sh -c "curl -sf http://127.0.0.1:$PL_WS_PORT/metrics |
	    grep -q 'game_id=\"$PL_GAME\"'" || fail "ws-fanout never heard of the game"
}

pl_stop() {
	for s in espn-poll kalshi-tap aligner ws-fanout live-games; do
		pl_kill "$s"
	done
	pl_kill espn-sim
	pl_kill kalshi-sim
}

pl_game_live() {
	for _t in espn-poll kalshi-tap aligner ws-fanout kalshi-sim; do
		need_built "$_t"
	done
	pl_init "$T"
	pl_sims 120 600
	pl_start ws-fanout
	pl_start aligner
	pl_start espn-poll
	pl_start kalshi-tap
	WAIT_SECS=30 wait_for sh -c "curl -sf http://127.0.0.1:$PL_WS_PORT/api/games |
	    grep -q '\"state\":\"in\"'" || fail "the game is not in the stream"
}
