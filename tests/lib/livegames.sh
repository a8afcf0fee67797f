# tests/lib/livegames.sh: sourced by tests/integration/live-games-*.sh
# after tests/lib.sh. Starts espn-sim with one live game and live-games
# on a free port (no PostgreSQL: ESPN's names serve), and probes it with
# raw sockets.
command -v curl >/dev/null 2>&1 || skip "curl not installed"
[ -x "$BIN/live-games" ] || skip "live-games not built"

# lg_sim: espn-sim with game 401772994 live; sets SIM (the base URL).
lg_sim() {
	python3 "$ROOT/tests/tools/espn-sim" --dates today --start-offset 600 \
	    --ready-fd 3 3>"$T/sim.ready" 2>"$T/sim.err" &
	bg $!
	wait_ready "$T/sim.ready" || fail "espn-sim did not start"
	SIM=http://127.0.0.1:$(head -n 1 "$T/sim.ready")/apis/site/v2/sports/basketball/nba
}

# lg_start [options...]: live-games on 127.0.0.1:PORT reading SIM, with
# a database that refuses (names come from ESPN). Sets LG (pid), PORT, B.
# With LG_NOFILE set, under that open-files limit.
# shellcheck disable=SC2120 # options are optional
lg_start() {
	[ -n "${SIM:-}" ] || lg_sim
	PORT=$(free_port)
	rm -f "$T/lg.ready"
	(
		# LG_NOFILE: the open-files limit it runs under.
		# shellcheck disable=SC3045 # dash and bash have ulimit -n
		[ -z "${LG_NOFILE:-}" ] || ulimit -n "$LG_NOFILE"
		exec "$BIN/live-games" --listen "127.0.0.1:$PORT" \
		    --espn-base-url "$SIM" \
		    --db "host=127.0.0.1 port=1 connect_timeout=1" \
		    --ready-fd 3 "$@" 3>"$T/lg.ready" 2>>"$T/lg.err"
	) &
	LG=$!
	bg $LG
	wait_ready "$T/lg.ready" ||
	    { cat "$T/lg.err" >&2; fail "live-games not ready"; }
	# shellcheck disable=SC2034 # used by the scenarios
	B=http://127.0.0.1:$PORT
}

# lg_raw REQUEST [WAIT_S] [SRC]: sends REQUEST (Python escapes: \r\n)
# on a new connection to 127.0.0.1:PORT from address SRC (default
# 127.0.0.1), reads until the server closes or
# WAIT_S (default 5) passes. Prints "SECONDS closed|open", sets SECS
# and STATE to them, and leaves the bytes received in $T/raw.
lg_raw() {
	_r=$(lg_raw_py "$@") || return 1
	# shellcheck disable=SC2034 # used by the scenarios
	SECS=${_r% *} STATE=${_r#* }
	echo "$_r"
}
lg_raw_py() {
	python3 - "$1" "${2:-5}" "${3:-127.0.0.1}" "$PORT" "$T/raw" <<'PY'
import socket, sys, time
req = sys.argv[1].encode().decode("unicode_escape").encode("latin-1")
wait, src, port, out = float(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sys.argv[5]
s = socket.create_connection(("127.0.0.1", port), source_address=(src, 0))
t0 = time.monotonic()
if req:
    s.sendall(req)
s.settimeout(wait)
got, state = b"", "open"
try:
    while True:
        d = s.recv(65536)
        if not d:
            state = "closed"
            break
        got += d
except socket.timeout:
    pass
except ConnectionResetError:
    state = "closed"
open(out, "wb").write(got)
print("%.2f %s" % (time.monotonic() - t0, state))
PY
}

# lg_responses: how many HTTP responses $T/raw holds (a status line
# may follow the last body on the same line).
lg_responses() {
	grep -ao 'HTTP/1\.[01] [1-5][0-9][0-9] ' "$T/raw" | wc -l | tr -d ' '
}

# lg_within LIMIT SECONDS: true when SECONDS <= LIMIT.
lg_within() { awk -v l="$1" -v s="$2" 'BEGIN { exit !(s <= l) }'; }

# lg_hold N SRC [SEND]: N connections from SRC to PORT in the background,
# each sending SEND (Python escapes; default nothing) and then holding.
# Sets HOLD (its pid); "$T/hold.ready" gets a line once all are open
# (attempted: the server may close some at accept). Counts those the
# server closed in "$T/hold.closed" when killed (SIGTERM).
lg_hold() {
	python3 - "$1" "$2" "$PORT" "${3:-}" "$T/hold.ready" "$T/hold.closed" <<'PY' &
import select, signal, socket, sys
n, src, port = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
send = sys.argv[4].encode().decode("unicode_escape").encode("latin-1")
socks = []
for _ in range(n):
    s = socket.socket()
    s.bind((src, 0))
    try:
        s.connect(("127.0.0.1", port))
        if send:
            s.sendall(send)
    except OSError:
        pass
    socks.append(s)
open(sys.argv[5], "w").write("%d\n" % len(socks))
def done(*_):
    closed = 0
    for s in socks:
        s.setblocking(False)
        try:
            if s.recv(1) == b"":
                closed += 1
        except BlockingIOError:
            pass
        except OSError:
            closed += 1
    open(sys.argv[6], "w").write("%d\n" % closed)
    sys.exit(0)
signal.signal(signal.SIGTERM, done)
while True:
    signal.pause()
PY
	HOLD=$!
	bg $HOLD
	wait_ready "$T/hold.ready" || fail "lg_hold: not started"
}

# lg_cpu_ticks: user+system clock ticks live-games has used so far.
lg_cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$LG/stat"; }
