#!/bin/sh
# The NDJSON reader and writer of common/ (ndjson-relay: parse every line,
# write it back) beside `jq -c .` on the same input, same run. Median of 5.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=$ROOT/${BUILD:-build}/bin
case ${BUILD:-build} in /*) BIN=$BUILD/bin ;; esac
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
N=${BENCH_LINES:-400000}
awk -v n="$N" 'BEGIN { srand(1); for (i = 1; i <= n; i++)
    printf "{\"type\":\"wp\",\"src\":\"espn\",\"game_id\":\"4017729%02d\",\"ts\":%d,\"play_id\":\"%d\",\"seq\":%d,\"home\":%.4f,\"away\":%.4f,\"tie\":0.0,\"period\":%d,\"clock\":\"11:%02d\"}\n",
    i % 10, 1748736000000 + i * 1000, i, i, rand(), rand(), i % 4 + 1, i % 60 }' >"$T/in"
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
run() {	# command... : prints milliseconds
	s=$(date +%s%N); "$@" <"$T/in" >/dev/null; e=$(date +%s%N)
	echo $(( (e - s) / 1000000 ))
}
for _ in 1 2 3 4 5; do run "$BIN/ndjson-relay" -q - ; done | median >"$T/relay"
for _ in 1 2 3 4 5; do run jq -c . ; done | median >"$T/jq"
awk -v n="$N" -v r="$(cat "$T/relay")" -v j="$(cat "$T/jq")" 'BEGIN {
	r /= 1000; j /= 1000
	printf "%-14s %10s %14s\n", "reader", "median s", "lines/s"
	printf "%-14s %10.3f %14.0f\n", "ndjson-relay", r, n / r
	printf "%-14s %10.3f %14.0f\n", "jq -c .", j, n / j
	printf "ratio: ndjson-relay is %.1fx jq (%d lines)\n", j / r, n }'
