#!/bin/sh
# tests/tools/espn-sim-bench.sh: espn-poll's cost per summary poll, for
# `make bench` (not a timed test). Polls the full 472-play summary from
# espn-sim with --churn (every body differs, so every poll is parsed and
# diffed) for BENCH_SECS seconds, then reads espn-poll's own counters.
# Prints one line per figure:
#   espn-poll summary_polls=N cpu_ms_per_poll=X (parse + diff; target < 5)
#   espn-poll wire_bytes_per_poll=N (gzip) body_bytes=N
# Env: BUILD (build folder, default build), BENCH_SECS (default 5).
set -eu
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
secs=${BENCH_SECS:-5}
tmp=$(mktemp -d)
sim=
poll=
trap 'kill $poll $sim 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT

"$ROOT/tests/tools/espn-sim" --start-offset 100000 --churn \
    --port-file "$tmp/port" 2>/dev/null &
sim=$!
i=0
while [ ! -s "$tmp/port" ]; do
	i=$((i + 1)); [ $i -gt 200 ] && { echo "espn-sim did not start" >&2; exit 1; }
	sleep 0.05
done
url=http://127.0.0.1:$(cat "$tmp/port")/apis/site/v2/sports/basketball/nba

body=$(curl -s -A bench "$url/summary?event=401772994" | wc -c)

# A live game's summary: seek to the last minute so state stays "in" and
# every poll brings a new body.
curl -s "http://127.0.0.1:$(cat "$tmp/port")/_sim/seek?offset=8960" >/dev/null
curl -s "http://127.0.0.1:$(cat "$tmp/port")/_sim/speed?x=0.000001" >/dev/null
"$BUILD/bin/espn-poll" --base-url "$url" --scoreboard-interval 0 \
    --game 401772994 --interval 50ms 2>"$tmp/err" >/dev/null &
poll=$!
sleep "$secs"
kill -TERM $poll; wait $poll 2>/dev/null || true
poll=
line=$(grep 'msg=stopping' "$tmp/err")
get() { echo "$line" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
parsed=$(get summaries); cpu=$(get summary_cpu_ms); wire=$(get wire_bytes)
fetches=$(get fetches); fallbacks=$(get fallbacks)
echo "espn-poll summary_polls=$parsed cpu_ms_per_poll=$(echo "$cpu $parsed" | awk '{ printf "%.2f", $1 / $2 }') fallbacks=$fallbacks (parse + diff of the 472-play summary; target < 5)"
echo "espn-poll wire_bytes_per_poll=$(echo "$wire $fetches" | awk '{ printf "%d", $1 / $2 }') (gzip) body_bytes=$body"
