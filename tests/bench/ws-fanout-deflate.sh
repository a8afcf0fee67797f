#!/bin/sh
# ws-fanout with permessage-deflate beside itself without: 10 games, each
# a halftime snapshot (240 ESPN + 1200 Kalshi points), the lean client
# (ws-load -F plain, -Z offering the extension and inflating). For each:
# payload bytes per snapshot on the wire, connect->snapshot one at a time
# (200) and in a burst of 1000, the server's CPU for each, and memory
# per idle connection (VmRSS growth over 2000 clients / 2000, and the
# growth of the heap in use, ws_fanout_heap_bytes, which pages and the
# allocator's slack do not blur; plain and deflate in turn in one
# process). The
# "deflate-wire" rows offer the extension but do not inflate (ws-load
# -Z -W): the client's own inflating of 1000 snapshots on these 2 cores
# is then out of the figure, which is the server's.
# nchan's nchan_deflate_message_for_websocket is not measured here.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=$ROOT/${BUILD:-build}/bin
case ${BUILD:-build} in /*) BIN=$BUILD/bin ;; esac
F=$BIN/ws-fanout
L=$BIN/ws-load
for b in "$F" "$L"; do
	[ -x "$b" ] || { echo "ws-fanout-deflate bench: not built ($b)"; exit 1; }
done
T=$(mktemp -d)
SPID=''
cleanup() {
	if [ -n "$SPID" ]; then kill "$SPID" 2>/dev/null || true; fi
	sleep 0.2
	rm -rf "$T"
}
trap cleanup EXIT
ids=$(seq 401800001 401800010 | paste -sd, -)
# shellcheck disable=SC3045 # dash and bash both have ulimit -n
ulimit -n 20000 2>/dev/null || true
. "$ROOT/tests/lib/port.sh"
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }
heap() { curl -sf "http://127.0.0.1:$FPORT/metrics" | awk '$1 == "ws_fanout_heap_bytes" { print $2 }'; }

start_fanout() {
	FPORT=$(free_port)
	rm -f "$T/in.sock" "$T/ready"
	"$F" -q --input "unix:$T/in.sock" --listen "127.0.0.1:$FPORT" \
	    --max-per-ip 200 --max-conns 19000 --ready-fd 3 3>"$T/ready" \
	    2>>"$T/fanout.log" &
	SPID=$!
	i=0
	while [ ! -s "$T/ready" ]; do
		i=$((i + 1)); [ $i -gt 200 ] && { echo "ws-fanout did not start"; exit 1; }
		sleep 0.05
	done
	"$L" feed -i "$ids" -n 1 -E 240 -K 1200 -w 0 -o "unix:$T/in.sock"
	sleep 0.5
}

# run CLIENT MODE: one measurement, one JSON line.
run() {
	cf=$1 mode=$2
	start_fanout
	c0=$(cpu_ticks "$SPID")
	# shellcheck disable=SC2086 # client flags, word-split on purpose
	if [ "$mode" = serial ]; then
		"$L" clients $cf -a "127.0.0.1:$FPORT" -g "$ids" -n 200 -S 20 -s -t 60 >"$T/c.json" 2>/dev/null || true
	else
		"$L" clients $cf -a "127.0.0.1:$FPORT" -g "$ids" -n 1000 -S 10 -b 2 -t 60 >"$T/c.json" 2>/dev/null || true
	fi
	c1=$(cpu_ticks "$SPID")
	kill "$SPID"; wait "$SPID" 2>/dev/null || true
	SPID=
	python3 - "$cf" "$mode" "$T/c.json" "$((c1 - c0))" "$(getconf CLK_TCK)" <<'PY'
import json, sys
o = json.load(open(sys.argv[3]))
c = o["connect_us"]
n = max(o["first_msgs"], 1)
print(json.dumps({"client": {"-Z": "deflate", "-Z -W": "deflate-wire"}.get(
    sys.argv[1], "plain"),
    "connect": sys.argv[2], "clients": o["clients"], "ok": o["first_msgs"],
    "bytes_per_snapshot": o["wire_bytes"] // n, "p50_us": c["p50"],
    "p99_us": c["p99"], "max_us": c["max"],
    "server_cpu_ms": int(sys.argv[4]) * 1000 // int(sys.argv[5])}))
PY
}

# idle: 2000 clients that got their snapshot and wait, plain and
# deflate in turn, twice, in one process: what is per process (the
# compressor, each game's compressed snapshot, built for the ten warm-up
# clients first) is then out of the per-connection figure.
idle_one() {
	cf=$1
	r0=$(rss_kb "$SPID")
	h0=$(heap)
	rm -f "$T/idle.ready"
	"$L" clients "$cf" -a "127.0.0.1:$FPORT" -g "$ids" -n 2000 -S 20 -b 2 \
	    -c 2000 -d 4 -R "$T/idle.ready" -t 60 >"$T/idle.json" 2>/dev/null &
	lp=$!
	while [ ! -f "$T/idle.ready" ] && kill -0 $lp 2>/dev/null; do sleep 0.1; done
	sleep 2
	r1=$(rss_kb "$SPID")
	h1=$(heap)
	wait $lp || true
	sleep 1	# the closes are served before the next round
	ok=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["established"])' "$T/idle.json" 2>/dev/null || echo 0)
	echo "{\"client\":\"$( [ "$cf" = -Z ] && echo deflate || echo plain)\",\"idle_clients\":$ok,\"bytes_per_idle_conn\":$(( (r1 - r0) * 1024 / (ok > 0 ? ok : 1) )),\"heap_bytes_per_idle_conn\":$(( (${h1:-0} - ${h0:-0}) / (ok > 0 ? ok : 1) ))}"
}

idle() {
	start_fanout
	"$L" clients -Z -a "127.0.0.1:$FPORT" -g "$ids" -n 10 -S 1 -d 0.5 -t 30 \
	    >/dev/null 2>&1 || true
	for cf in -F -Z -F -Z; do
		idle_one "$cf"
	done
	kill "$SPID"; wait "$SPID" 2>/dev/null || true
	SPID=
}

idle
for mode in serial burst; do
	for cf in -F -Z "-Z -W"; do
		run "$cf" "$mode"
	done
done
