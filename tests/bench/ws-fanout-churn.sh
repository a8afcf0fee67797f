#!/bin/sh
# ws-fanout under connection churn at full scale: CLIENTS (10000)
# WebSocket connections, spread over 127.0.0.x source addresses, opened,
# each waiting for its snapshot, then all closed (half with a close
# frame, half abruptly), ROUNDS (5) times, after one warm-up round,
# while a feed runs (GAMES games, halftime-sized snapshots, 5 ticks/s
# that carry no new points, so that the games' state does not grow).
# Reports ws-fanout's RSS before, after each round and after the churn,
# crashes, clients that failed, and whether RSS came back within 5%
# (+ 1 MiB) of its level after the first measured round (ws-fanout hands
# freed heap back once a crowd has gone; the heap gauge is shown too).
# Env: BUILD, CLIENTS, ROUNDS, GAMES, PER_SRC (clients per source address),
# ESPN_PTS and KALSHI_PTS (snapshot size, default 240 and 1200 points).
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=$ROOT/${BUILD:-build}/bin
case ${BUILD:-build} in /*) BIN=$BUILD/bin ;; esac
F=$BIN/ws-fanout
L=$BIN/ws-load
for b in "$F" "$L"; do
	[ -x "$b" ] || { echo "ws-fanout-churn bench: not built ($b)"; exit 1; }
done
CLIENTS=${CLIENTS:-10000}
ROUNDS=${ROUNDS:-5}
GAMES=${GAMES:-10}
PER_SRC=${PER_SRC:-100}
T=$(mktemp -d)
FPID='' FEEDPID=''
# shellcheck disable=SC2317 # run by the trap
cleanup() {
	for p in $FEEDPID $FPID; do kill "$p" 2>/dev/null || true; done
	sleep 0.2
	rm -rf "$T"
}
trap cleanup EXIT
# shellcheck disable=SC3045 # dash and bash both have ulimit -n
ulimit -n 20000 2>/dev/null || true
ids=$(seq 401800001 $((401800000 + GAMES)) | paste -sd, -)
src=$(( (CLIENTS + PER_SRC - 1) / PER_SRC ))
[ "$src" -gt 250 ] && { echo "too few source addresses: raise PER_SRC"; exit 1; }
rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }
. "$ROOT/tests/lib/port.sh"
port=$(free_port)

# Plain glibc (ws-fanout trims once a crowd has gone). The feed's live
# ticks carry no new points (-A) and the history is short (-H 50), so
# the games' state stops growing once the history is full: what grows
# after that is held for connections.
"$F" -q --input "unix:$T/in.sock" --listen "127.0.0.1:$port" \
    --max-per-ip $((PER_SRC * 2)) --max-conns 19000 -H 50 \
    --ready-fd 3 3>"$T/ready" 2>"$T/fanout.log" &
FPID=$!
i=0
while [ ! -s "$T/ready" ]; do
	i=$((i + 1)); [ $i -gt 200 ] && { echo "ws-fanout did not start"; exit 1; }
	sleep 0.05
done
"$L" feed -i "$ids" -E "${ESPN_PTS:-240}" -K "${KALSHI_PTS:-1200}" -r 5 -d 3600 -w 0 -A -o "unix:$T/in.sock" \
    2>"$T/feed.err" &
FEEDPID=$!
sleep 1
rss0=$(rss_kb "$FPID")
echo "ws-fanout churn: $CLIENTS clients x $ROUNDS rounds (+1 warm-up) over $src source addresses, $GAMES games"
echo "RSS before: $rss0 KiB"
start=$(date +%s)
"$L" churn -a "127.0.0.1:$port" -g "$ids" -n "$CLIENTS" -r 1 -S "$src" -b 2 \
    -c 4000 -x "$FPID" -z 800 -t 120 >"$T/warm.json" 2>"$T/churn.err" || true
sed 's/^/warm-up: /' "$T/warm.json" | head -n 1
rc=0
"$L" churn -a "127.0.0.1:$port" -g "$ids" -n "$CLIENTS" -r "$ROUNDS" -S "$src" \
    -b 2 -c 4000 -x "$FPID" -z 800 -t 120 >"$T/churn.json" 2>>"$T/churn.err" ||
    rc=$?
secs=$(( $(date +%s) - start ))
crashed=no
kill -0 "$FPID" 2>/dev/null || crashed=yes
rss1=$(rss_kb "$FPID")
grew=0
python3 - "$T/churn.json" "$rss0" "$rss1" "$crashed" "$secs" <<'PY' || grew=1
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
per = [r for r in rows if "round" in r]
for r in per:
    print("round %d: %d/%d snapshots, %d failed, %d closed by server, server conns after %s, %.1f s, RSS %d KiB, heap %s KiB"
          % (r["round"], r["snapshots"], r["clients"], r["failed"], r["closed_by_server"],
             r["server_conns"], r["secs"], r["rss_kb"], r.get("heap_kb", "-")))
rss = [r["rss_kb"] for r in per]
failed = sum(r["failed"] + r["clients"] - r["snapshots"] for r in per)
ok = bool(rss) and rss[-1] <= rss[0] * 1.05 + 1024
print("RSS before %s KiB, after the first round %s KiB, after the churn %s KiB: %s"
      % (sys.argv[2], rss[0] if rss else "-", sys.argv[3],
         "within 5% + 1 MiB" if ok else "GREW"))
print("crashed: %s; clients that failed or got no snapshot: %d; %s s in all"
      % (sys.argv[4], failed, sys.argv[5]))
sys.exit(0 if ok else 3)
PY
[ "$grew" = 0 ] || rc=1
[ "$crashed" = no ] || { tail -n 20 "$T/fanout.log"; exit 1; }
kill -TERM "$FPID"
wait "$FPID" || { echo "ws-fanout exit status $?"; exit 1; }
FPID=
[ -s "$T/churn.err" ] && { echo "client errors (first 5):"; sort "$T/churn.err" | uniq -c | sort -rn | head -n 5; }
exit $rc
