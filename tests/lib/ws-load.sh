# tests/lib/ws-load.sh: sourced by tests/integration/ws-fanout-*.sh
# after tests/lib.sh. Starts ws-fanout on a free port with a unix-socket
# input, and finds a Python that has the websockets module.

PY=
for p in python3 /usr/bin/python3; do
	if command -v "$p" >/dev/null 2>&1 &&
	    "$p" -c 'import websockets' >/dev/null 2>&1; then
		PY=$p
		break
	fi
done
# shellcheck disable=SC2034 # used by the scenarios
PROBE=$ROOT/tests/tools/ws-load-probe.py
LOAD=$BIN/ws-load
need_built ws-fanout
need_built ws-load

need_py() { [ -n "$PY" ] || skip "python3-websockets not installed (make deps)"; }

# start_fanout [options...]: ws-fanout reading unix:$T/in.sock.
start_fanout() {
	PORT=$(free_port)
	rm -f "$T/ready"
	"$BIN/ws-fanout" --input "unix:$T/in.sock" --listen "127.0.0.1:$PORT" \
	    --ready-fd 3 "$@" 3>"$T/ready" 2>>"$T/fanout.log" &
	FPID=$!
	bg "$FPID"
	wait_ready "$T/ready" || { cat "$T/fanout.log" >&2; fail "ws-fanout not ready"; }
	# shellcheck disable=SC2034 # used by the scenarios
	URL=ws://127.0.0.1:$PORT/ws/live
	HTTP=http://127.0.0.1:$PORT
}

# feed [ws-load feed options...]: frames into ws-fanout's input.
feed() { "$LOAD" feed -o "unix:$T/in.sock" "$@"; }

# feed_sync ARGS: a feed written whole to ws-fanout's input, then waits
# until ws-fanout has read every line (its input_lines_total counter), so
# that a client connecting next sees all of it and nothing after.
FED=0
feed_sync() {
	"$LOAD" feed -o - "$@" >"$T/feed.ndjson" || fail "feed $*"
	FED=$((FED + $(wc -l <"$T/feed.ndjson")))
	python3 - "$T/in.sock" "$T/feed.ndjson" <<'PYEOF' || fail "cannot write the feed"
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall(open(sys.argv[2], "rb").read())
s.close()
PYEOF
	wait_for sh -c "curl -sf '$HTTP/metrics' |
	    grep -qx 'ws_fanout_input_lines_total $FED'" ||
	    fail "ws-fanout read $(metric ws_fanout_input_lines_total) lines, not $FED"
}

# wait_game ID: until ws-fanout knows the game.
wait_game() {
	wait_for sh -c "curl -sf '$HTTP/metrics' | grep -q 'game_id=\"$1\"'" ||
	    fail "game $1 never appeared"
}

# watch_game N CLIENTS [feed options...]: game $G fed N live ticks (seq 1
# to N after its history) once CLIENTS ws-load clients are connected;
# each keeps every message until seq N + 1 in $T/d/client-I.ndjson.
# Fails if the feed or a client does.
watch_game() {
	n=$1 c=$2
	shift 2
	feed -i "$G" -n "$n" -W "$T/clients-ready" "$@" &
	FEED=$!
	bg $FEED
	wait_game "$G"
	mkdir -p "$T/d"
	"$LOAD" clients -a "127.0.0.1:$PORT" -g "$G" -n "$c" -S "$c" -D "$T/d" \
	    -R "$T/clients-ready" -e "\"seq\":$((n + 1))," -t 30 \
	    >"$T/load.json" || fail "clients: $(cat "$T/load.json")"
	wait $FEED || fail "feeder failed"
}

# metric NAME: a sample's value from /metrics.
metric() { curl -sf "$HTTP/metrics" | awk -v n="$1" '$1 == n { print $2 }'; }

# lean_agrees_with_lws FLAG N TIMEOUT: with a feed of game $G under way
# ($FEED, waiting for $T/clients-ready) and seq 41 its last, one
# libwebsockets client and N clients of ws-load FLAG (-F, -Z) take the
# whole game; fails unless every one of the N got byte for byte what
# the lws client got. Leaves their dumps in $T/lws and $T/lean.
lean_agrees_with_lws() {
	mkdir -p "$T/lws" "$T/lean"
	for kind in lws lean; do
		flag=; n=1; [ $kind = lean ] && { flag=$1; n=$2; }
		# shellcheck disable=SC2086 # flag is one word or none
		"$LOAD" clients $flag -a "127.0.0.1:$PORT" -g "$G" -n "$n" -S "$n" \
		    -D "$T/$kind" -R "$T/$kind-ready" -e '"seq":41,' -t "$3" \
		    >"$T/$kind.json" 2>"$T/$kind.err" &
		eval "P_$kind=\$!"
	done
	wait_for test -f "$T/lws-ready" -a -f "$T/lean-ready" ||
	    fail "clients not all connected"
	: >"$T/clients-ready"
	# shellcheck disable=SC2154 # set by the eval above
	{ wait "$P_lws" && wait "$P_lean"; } ||
	    fail "a client run failed: $(cat "$T/lws.err" "$T/lean.err")"
	wait "$FEED" || fail "feeder failed"
	i=0
	while [ $i -lt "$2" ]; do
		cmp -s "$T/lws/client-0.ndjson" "$T/lean/client-$i.ndjson" ||
		    fail "lean client $i ($1) saw other messages than the lws client"
		i=$((i + 1))
	done
}
