# tests/lib/soak.sh: helpers of tests/soak.sh (sourced after tests/lib.sh
# and tests/lib/pipeline.sh): random numbers, upstream faults, kills
# restarted as a supervisor would, and RSS sampling. Everything is
# logged to $SOAK_EVENTS, one "SECONDS WHAT DETAIL" line per event.
# Two topologies (SOAK_TOPOLOGY, set up by soak_topology): "pipe" (one
# ws-fanout on the aligner's Unix socket) and "redis" (the aligner
# writes to a redis-server of tests/lib/redis.sh, two ws-fanout
# instances, fanout-1 and fanout-2, read from it behind nginx from
# contrib/nginx/courtside.conf via tests/lib/nginx.sh). These helpers
# must not start anything the topology does not have.

SOAK_STAGES="espn-poll kalshi-tap aligner ws-fanout"
# ws-fanout too: its clients (ws-load -k) reconnect and resume.
# shellcheck disable=SC2034 # read by tests/soak.sh
SOAK_KILLABLE="espn-poll kalshi-tap aligner ws-fanout"
# Faults for espn-sim's /_sim/fault: a few failing requests at a time,
# so that espn-poll retries, never a permanent outage. The outage (12
# summary requests: espn-poll gives up with 69 after 10 and is
# restarted) lasts about 40 s with the soak's retry base (tests/soak.sh),
# so it is only set while that leaves time to recover before the end.
SOAK_ESPN_FAULTS="500:3 503:4 slow=3000:2 truncate:2 malformed:2 short:2
reset:2 404:2"
SOAK_ESPN_OUTAGES="503:12@summary"

soak_now() { echo $(( $(date +%s) - SOAK_T0 )); }
soak_event() { echo "$(soak_now) $*" >>"$SOAK_EVENTS"; }

# soak_rand N: a random integer in [0, N).
soak_rand() {
	r=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')
	echo $(( r % $1 ))
}

# soak_pick WORDS...: one of them at random.
soak_pick() {
	n=$(soak_rand $#)
	shift "$n"
	echo "$1"
}

# soak_alive PID: the process exists and is not a zombie.
soak_alive() {
	[ -n "$1" ] && [ -r "/proc/$1/stat" ] &&
	    [ "$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" != Z ]
}

# soak_espn_fault [outage]: one short fault, or with "outage" one of
# the faults or the outage.
soak_espn_fault() {
	# shellcheck disable=SC2086 # a list of words
	if [ "${1:-}" = outage ]; then
		spec=$(soak_pick $SOAK_ESPN_FAULTS $SOAK_ESPN_OUTAGES)
	else
		spec=$(soak_pick $SOAK_ESPN_FAULTS)
	fi
	if curl -sf "http://127.0.0.1:$(cat "$PL_DIR/espn-sim.port")/_sim/fault?set=$spec" \
	    >/dev/null 2>&1; then
		soak_event fault "espn $spec"
	else
		soak_event fault-failed "espn $spec"
	fi
}

# soak_topology: sets SOAK_STAGES, SOAK_KILLABLE, SOAK_FANOUTS (the
# ws-fanout stages) and SOAK_PORT (where the clients connect); for
# "redis" starts redis-server (its pid in $PL_DIR/redis.pid) and picks
# each instance's port, kept across its restarts (nginx's upstream).
soak_topology() {
	case $SOAK_TOPOLOGY in
	pipe)
		SOAK_FANOUTS=ws-fanout
		SOAK_PORT=$PL_WS_PORT ;;
	redis)
		. "$ROOT/tests/lib/redis.sh"
		. "$ROOT/tests/lib/nginx.sh"
		nginx_available || fail "nginx is not installed (make deps)"
		redis_start || fail "redis did not start"
		echo "$REDIS_PID" >"$PL_DIR/redis.pid"
		SOAK_FANOUTS="fanout-1 fanout-2"
		for s in $SOAK_FANOUTS; do
			free_port >"$PL_DIR/$s.port"
		done
		SOAK_STAGES="espn-poll kalshi-tap aligner $SOAK_FANOUTS redis"
		# shellcheck disable=SC2034 # read by tests/soak.sh
		SOAK_KILLABLE="espn-poll kalshi-tap aligner $SOAK_FANOUTS redis" ;;
	*)	fail "SOAK_TOPOLOGY: pipe or redis, not $SOAK_TOPOLOGY" ;;
	esac
}

# soak_lb: for "redis", nginx in front of both instances, the clients'
# address taken from its X-Forwarded-For (--trust-proxy in
# soak_start), so that ws-fanout's per-address limit still applies per
# client. The live-games and application upstreams are ports nothing
# listens on: the soak uses only /ws/live/.
soak_lb() {
	[ "$SOAK_TOPOLOGY" = redis ] || return 0
	NGINX_WS="$(cat "$PL_DIR/fanout-1.port") $(cat "$PL_DIR/fanout-2.port")"
	NGINX_LIVE=$(free_port)
	NGINX_APP=$(free_port)
	NGINX_DIR=$PL_DIR/nginx
	nginx_start
	echo "$NGINX_PID" >"$PL_DIR/nginx.pid"
	# shellcheck disable=SC2034 # read by tests/soak.sh
	SOAK_PORT=$NGINX_PORT
}

# soak_start STAGE: starts it (pl_start, or the topology's own way) and
# waits until it is ready. redis comes back empty (no persistence).
soak_start() {
	case $SOAK_TOPOLOGY:$1 in
	redis:redis)
		redis_run || fail "redis did not start again"
		echo "$REDIS_PID" >"$PL_DIR/redis.pid" ;;
	redis:aligner)
		rd_aligner ;;
	redis:fanout-*)
		n=${1#fanout-}
		rm -f "$PL_DIR/$1.ready"
		"$PL_BIN/ws-fanout" --input "$REDIS_URL_BASE/$RD_NAME" \
		    --listen "127.0.0.1:$(cat "$PL_DIR/$1.port")" \
		    --trust-proxy 127.0.0.1/32 --www "$ROOT/www" \
		    --ready-fd 3 3>"$PL_DIR/$1.ready" 2>>"$PL_DIR/$1.log" &
		echo $! >"$PL_DIR/$1.pid"
		bg "$!"
		WAIT_SECS=20 wait_for test -s "$PL_DIR/$1.ready" ||
		    fail "$1 (instance $n) did not become ready: $(tail -n 5 "$PL_DIR/$1.log")" ;;
	*)	pl_start "$1" ;;
	esac
}

# soak_fanout_port STAGE: the port a ws-fanout stage listens on.
soak_fanout_port() {
	if [ "$1" = ws-fanout ]; then
		echo "$PL_WS_PORT"
	else
		cat "$PL_DIR/$1.port"
	fi
}

# soak_is_fanout STAGE: it is one of the ws-fanout stages.
soak_is_fanout() {
	case " $SOAK_FANOUTS " in *" $1 "*) return 0 ;; esac
	return 1
}

# soak_busiest: the ws-fanout stage with the most WebSocket connections
# (the first on a tie). Clients that moved stay where they are, so a
# random pick would often kill the instance nobody is on.
soak_busiest() {
	best='' bestc=-1
	for s in $SOAK_FANOUTS; do
		c=$(curl -sf "http://127.0.0.1:$(soak_fanout_port "$s")/metrics" 2>/dev/null |
		    awk '$1 == "ws_fanout_connections" { print $2 }')
		if [ "${c:-0}" -gt "$bestc" ]; then
			best=$s bestc=${c:-0}
		fi
	done
	echo "$best"
}

# soak_game_known: every ws-fanout serves the game (after a restart,
# once the aligner has reconnected and replayed it, or the instance has
# rebuilt it from Redis).
soak_game_known() {
	for s in $SOAK_FANOUTS; do
		curl -sf "http://127.0.0.1:$(soak_fanout_port "$s")/metrics" 2>/dev/null |
		    grep -q "game_id=\"$PL_GAME\"" || return 1
	done
}

# soak_kill STAGE: kill -9 it; the supervisor loop restarts it. For a
# ws-fanout, the event also gives its WebSocket connections just before
# (clients=N: at least that many must reconnect).
soak_kill() {
	stage=$1
	pid=$(pl_pid "$stage")
	[ -n "$pid" ] || return 0
	extra=
	if soak_is_fanout "$stage"; then
		c=$(curl -sf "http://127.0.0.1:$(soak_fanout_port "$stage")/metrics" 2>/dev/null |
		    awk '$1 == "ws_fanout_connections" { print $2 }')
		extra=" clients=${c:-0}"
	fi
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	soak_event kill "$stage pid=$pid$extra"
}

# soak_supervise: restarts every stage that is not running (killed, or
# exited on its own: an exit is counted with its status), like systemd's
# Restart=always with no delay beyond the readiness wait.
soak_supervise() {
	for s in $SOAK_STAGES; do
		pid=$(pl_pid "$s")
		soak_alive "$pid" && continue
		if [ -n "$pid" ] && ! grep -q "kill $s pid=$pid\( \|\$\)" "$SOAK_EVENTS"; then
			st=0
			wait "$pid" 2>/dev/null || st=$?
			soak_event exit "$s pid=$pid status=$st"
		fi
		rm -f "$PL_DIR/$s.pid"
		soak_start "$s"
		soak_event start "$s pid=$(pl_pid "$s")"
	done
}

# soak_sample: one "SECONDS NAME PID RSS_KB" line per process.
soak_sample() {
	t=$(soak_now)
	for s in $SOAK_STAGES espn-sim kalshi-sim; do
		pid=$(pl_pid "$s")
		soak_alive "$pid" || continue
		rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status" 2>/dev/null)
		[ -n "$rss" ] && echo "$t $s $pid $rss" >>"$SOAK_RSS"
	done
}
