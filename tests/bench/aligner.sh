#!/bin/sh
# aligner: input lines per second on a large generated stream (ESPN wp and
# Kalshi quote lines for many games, interleaved, as the two upstreams
# write them) beside `jq -c .` on the same input in the same run, median
# of 5; then memory per game (VmHWM from /proc, a few games against many).
# Env: BENCH_GAMES (100), BENCH_POINTS (2000 per source per game), RUNS (5).
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=$ROOT/${BUILD:-build}/bin
case ${BUILD:-build} in /*) BIN=$BUILD/bin ;; esac
A=$BIN/aligner
[ -x "$A" ] || { echo "aligner: not built ($A)"; exit 1; }
T=$(mktemp -d)
PID=
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$T"' EXIT
G=${BENCH_GAMES:-100}
P=${BENCH_POINTS:-2000}
RUNS=${RUNS:-5}

# gen GAMES POINTS: game lines, then wp and quote lines of every game
# interleaved in time. One date (2025-05-31 ET), so the event tickers are
# KXNBAGAME-25MAY31{AWAY}{HOME}.
gen() {
	awk -v g="$1" -v p="$2" 'BEGIN {
	srand(7)
	nt = split("ATL BOS BKN CHA CHI CLE DAL DEN DET GSW HOU IND LAC LAL MEM MIA MIL MIN NOP NYK OKC ORL PHI PHX POR SAC SAS TOR UTA WAS", k, " ")
	split("ATL BOS BKN CHA CHI CLE DAL DEN DET GS HOU IND LAC LAL MEM MIA MIL MIN NO NY OKC ORL PHI PHX POR SAC SA TOR UTAH WSH", e, " ")
	start = 1748736000000
	for (i = 0; i < g; i++) {
		h[i] = i % nt + 1; a[i] = (i + 7) % nt + 1
		printf "{\"type\":\"game\",\"src\":\"espn\",\"game_id\":\"40177%04d\",\"ts\":%d,\"state\":\"in\",\"status\":\"STATUS_IN_PROGRESS\",\"period\":1,\"clock\":\"12:00\",\"start_time\":%d,\"home\":{\"abbr\":\"%s\",\"name\":\"%s\",\"score\":0},\"away\":{\"abbr\":\"%s\",\"name\":\"%s\",\"score\":0}}\n", i, start, start, e[h[i]], e[h[i]], e[a[i]], e[a[i]]
	}
	for (j = 1; j <= p; j++) for (i = 0; i < g; i++) {
		t = start + j * 7000 + i
		pr = 0.5 + 0.45 * sin((j + i) / 50)
		printf "{\"type\":\"wp\",\"src\":\"espn\",\"game_id\":\"40177%04d\",\"ts\":%d,\"recv_ts\":%d,\"play_id\":\"40177%04d%d\",\"seq\":%d,\"home\":%.3f,\"away\":%.3f,\"tie\":0.0,\"period\":%d,\"clock\":\"%d:%02d\",\"home_score\":%d,\"away_score\":%d}\n", i, t, t + 1500, i, j, j, pr, 1 - pr, j * 4 / p + 1, j % 12, j % 60, j, j - 1
		side = (j % 3 == 0) ? a[i] : h[i]; q = (side == h[i]) ? pr : 1 - pr
		printf "{\"type\":\"quote\",\"src\":\"kalshi\",\"ticker\":\"KXNBAGAME-25MAY31%s%s-%s\",\"ts\":%d,\"recv_ts\":%d,\"bid\":%.3f,\"ask\":%.3f,\"last\":%.3f,\"bid_size\":%d,\"ask_size\":%d,\"volume\":%.2f}\n", k[a[i]], k[h[i]], k[side], t + 300, t + 304, q - 0.01, q + 0.01, q, 100 + j % 400, 50 + j % 300, j * 13.37
	}}'
}
gen "$G" "$P" >"$T/in"
N=$(wc -l <"$T/in")

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
run() {	# command... : prints milliseconds
	s=$(date +%s%N); "$@" <"$T/in" >/dev/null 2>&1; e=$(date +%s%N)
	echo $(( (e - s) / 1000000 ))
}
# Check once that the run did the work: every point in a tick.
"$A" -q - <"$T/in" >"$T/out"
pts=$(grep -c '' "$T/out")
i=0; while [ $i -lt "$RUNS" ]; do run "$A" -q -; i=$((i + 1)); done |
    median >"$T/al"
i=0; while [ $i -lt "$RUNS" ]; do run jq -c .; i=$((i + 1)); done |
    median >"$T/jq"

# Peak memory: aligner holds the stream's games until SIGTERM (a unix:
# input keeps it running after the file ends); a marker line says when
# the file is done.
hwm() {	# file: prints VmHWM in kB once the file is read
	rm -f "$T/hwm.out" "$T/s"
	printf '{"type":"source","src":"bench","ts":1,"state":"ok"}\n' >>"$1"
	"$A" -q "$1" "unix:$T/s" >"$T/hwm.out" 2>/dev/null &
	PID=$!
	i=0
	while ! grep -q '"src":"bench"' "$T/hwm.out" 2>/dev/null; do
		i=$((i + 1)); [ $i -gt 1200 ] && break; sleep 0.05
	done
	awk '/^VmHWM/ { print $2 }' "/proc/$PID/status"
	kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
}
gen 1 "$P" >"$T/one"
m1=$(hwm "$T/one")
mg=$(hwm "$T/in")

awk -v n="$N" -v a="$(cat "$T/al")" -v j="$(cat "$T/jq")" -v g="$G" \
    -v p="$P" -v m1="$m1" -v mg="$mg" -v lines="$pts" 'BEGIN {
	a /= 1000; j /= 1000
	printf "%-10s %10s %14s\n", "reader", "median s", "lines/s"
	printf "%-10s %10.3f %14.0f\n", "aligner", a, n / a
	printf "%-10s %10.3f %14.0f\n", "jq -c .", j, n / j
	printf "ratio: aligner is %.1fx jq (%d lines, %d games, %d output lines)\n", j / a, n, g, lines
	printf "memory: %d kB peak with 1 game, %d kB with %d; %.0f kB per game of %d ESPN + %d Kalshi points\n", m1, mg, g, (mg - m1) / (g - 1), p, p }'
