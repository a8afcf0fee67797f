# tests/lib/soak.sh: helpers of tests/soak.sh (sourced after tests/lib.sh
# and tests/lib/pipeline.sh): random numbers, upstream faults, kills
# restarted as a supervisor would, and RSS sampling. Everything is
# logged to $SOAK_EVENTS, one "SECONDS WHAT DETAIL" line per event.

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

# soak_game_known: ws-fanout serves the game (after a restart, once the
# aligner has reconnected and replayed it).
soak_game_known() {
	curl -sf "http://127.0.0.1:$PL_WS_PORT/metrics" 2>/dev/null |
	    grep -q "game_id=\"$PL_GAME\""
}

# soak_kill STAGE: kill -9 it; the supervisor loop restarts it.
soak_kill() {
	stage=$1
	pid=$(pl_pid "$stage")
	[ -n "$pid" ] || return 0
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	soak_event kill "$stage pid=$pid"
}

# soak_supervise: restarts every stage that is not running (killed, or
# exited on its own: an exit is counted with its status), like systemd's
# Restart=always with no delay beyond the readiness wait.
soak_supervise() {
	for s in $SOAK_STAGES; do
		pid=$(pl_pid "$s")
		soak_alive "$pid" && continue
		if [ -n "$pid" ] && ! grep -q "kill $s pid=$pid\$" "$SOAK_EVENTS"; then
			st=0
			wait "$pid" 2>/dev/null || st=$?
			soak_event exit "$s pid=$pid status=$st"
		fi
		rm -f "$PL_DIR/$s.pid"
		pl_start "$s"
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
