#!/bin/sh
# ws-fanout fed through Redis Streams beside ws-fanout fed by a Unix
# socket: same feed (ws-load feed: 10 games, 10 updates/s each, a
# halftime-sized history), same clients (ws-load -F), same run. Through
# Redis the feed goes ws-load feed -> ndjson-relay -o redis:// (the
# aligner's own output code) -> redis-server -> ws-fanout -i redis://;
# the relay stands in for the aligner's write, one hop the unix path
# has too. Reports broadcast latency p50/p99 for each and what Redis
# adds, Redis's CPU per 1,000 stream entries, and the same for two
# instances with half the clients each (deliveries per server CPU-s).
# Env: CLIENTS (1000), SECS (10), GAMES (10).
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=$ROOT/${BUILD:-build}/bin
case ${BUILD:-build} in /*) BIN=$BUILD/bin ;; esac
F=$BIN/ws-fanout
L=$BIN/ws-load
R=$BIN/ndjson-relay
for b in "$F" "$L" "$R"; do
	[ -x "$b" ] || { echo "ws-fanout-redis bench: not built ($b)"; exit 1; }
done
command -v redis-server >/dev/null 2>&1 || {
	echo "ws-fanout-redis bench: redis-server not installed (make deps)"; exit 1; }
T=$(mktemp -d)
PIDS=
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null || true; done
	sleep 0.2
	rm -rf "$T"
}
trap cleanup EXIT
CLIENTS=${CLIENTS:-1000}
SECS=${SECS:-10}
GAMES=${GAMES:-10}
ids=$(seq 401800001 $((401800000 + GAMES)) | paste -sd, -)
# shellcheck disable=SC3045 # dash and bash both have ulimit -n
ulimit -n 20000 2>/dev/null || true
. "$ROOT/tests/lib/port.sh"
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
waitfile() {
	i=0
	while [ ! -s "$1" ]; do
		i=$((i + 1)); [ $i -gt 200 ] && { echo "bench: $2 did not start"; exit 1; }
		sleep 0.05
	done
}

# fanout N INPUT: ws-fanout instance N; FPORT_N, FPID_N.
fanout() {
	p=$(free_port)
	rm -f "$T/ready$1"
	"$F" -q --input "$2" --listen "127.0.0.1:$p" --max-per-ip 2000 \
	    --max-conns 19000 --ready-fd 3 3>"$T/ready$1" 2>>"$T/fanout$1.log" &
	PIDS="$PIDS $!"
	eval "FPORT_$1=$p FPID_$1=$!"
	waitfile "$T/ready$1" "ws-fanout $1"
}

# run MODE INSTANCES: one measurement, a JSON line.
run() {
	mode=$1 k=$2
	rm -f "$T/in.sock" "$T/go" "$T"/out*.json "$T"/go.pre*
	rpid=0
	if [ "$mode" = redis ]; then
		rport=$(free_port)
		redis-server --port "$rport" --bind 127.0.0.1 --save '' \
		    --appendonly no --dir "$T" --logfile "$T/redis.log" &
		rpid=$!
		PIDS="$PIDS $rpid"
		i=0
		until redis-cli -p "$rport" ping >/dev/null 2>&1; do
			i=$((i + 1)); [ $i -gt 200 ] && { echo "redis did not start"; exit 1; }
			sleep 0.05
		done
		input=redis://127.0.0.1:$rport/bench
		"$R" -q --output "$input" "unix:$T/in.sock" --ready-fd 3 \
		    3>"$T/relay.ready" 2>>"$T/relay.log" &
		PIDS="$PIDS $!"
		waitfile "$T/relay.ready" "ndjson-relay"
		fanout 1 "$input"
		[ "$k" -gt 1 ] && fanout 2 "$input"
	else
		fanout 1 "unix:$T/in.sock"
	fi
	"$L" feed -i "$ids" -r 10 -d $((SECS + 60)) -E 240 -K 1200 -w 0.5 \
	    -W "$T/go" -o "unix:$T/in.sock" &
	feedpid=$!
	sleep 1
	per=$((CLIENTS / k))
	for n in $(seq 1 "$k"); do
		eval "port=\$FPORT_$n"
		# shellcheck disable=SC2154 # set by the eval above
		"$L" clients -F -a "127.0.0.1:$port" -g "$ids" -n "$per" -S 10 -b 2 \
		    -c 2000 -d "$SECS" -R "$T/go.pre$n" -t $((SECS + 60)) \
		    >"$T/out$n.json" 2>"$T/load$n.err" &
		eval "lpid_$n=$!"
	done
	for n in $(seq 1 "$k"); do
		while [ ! -f "$T/go.pre$n" ]; do sleep 0.1; done
	done
	sleep 0.5
	c0=0
	for n in $(seq 1 "$k"); do
		eval "c0=\$((c0 + \$(ticks \$FPID_$n)))"
	done
	r0=$(ticks "$rpid")
	e0=0
	[ "$mode" = redis ] && e0=$(redis-cli -p "$rport" eval \
	    "local n=0 for _,k in ipairs(redis.call('keys','bench:game:*')) do n=n+redis.call('xlen',k) end return n" 0 \
	    2>/dev/null || echo 0)
	: >"$T/go"
	for n in $(seq 1 "$k"); do
		eval "wait \$lpid_$n" || true
	done
	c1=0
	for n in $(seq 1 "$k"); do
		eval "c1=\$((c1 + \$(ticks \$FPID_$n)))"
	done
	r1=$(ticks "$rpid")
	e1=0
	[ "$mode" = redis ] && e1=$(redis-cli -p "$rport" eval \
	    "local n=0 for _,k in ipairs(redis.call('keys','bench:game:*')) do n=n+redis.call('xlen',k) end return n" 0 \
	    2>/dev/null || echo 0)
	kill "$feedpid" 2>/dev/null || true
	wait "$feedpid" 2>/dev/null || true
	for p in $PIDS; do kill "$p" 2>/dev/null || true; done
	for p in $PIDS; do wait "$p" 2>/dev/null || true; done
	PIDS=
	python3 - "$mode" "$k" "$SECS" "$c0" "$c1" "$r0" "$r1" "$e0" "$e1" \
	    "$(getconf CLK_TCK)" "$T"/out*.json <<'PY'
import json, sys
mode, k, secs = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
c0, c1, r0, r1, e0, e1, hz = map(int, sys.argv[4:11])
lat, est, n = [], 0, 0
p50 = p99 = None
outs = [json.load(open(p)) for p in sys.argv[11:]]
for o in outs:
    est += o["established"]
    n += o["latency_us"].get("n", 0)
# Per-instance percentiles; the worst instance's figure is reported.
p50 = max(o["latency_us"].get("p50") or 0 for o in outs)
p99 = max(o["latency_us"].get("p99") or 0 for o in outs)
cpu = (c1 - c0) / hz
rcpu = (r1 - r0) / hz
ent = e1 - e0
print(json.dumps({"input": mode, "instances": k, "clients": est,
    "p50_us": p50, "p99_us": p99, "deliveries": n,
    "fanout_cpu_s": round(cpu, 2),
    "deliveries_per_cpu_s": round(n / cpu) if cpu > 0 else None,
    "redis_cpu_ms_per_1000_entries": round(rcpu * 1e6 / ent, 1) if ent > 0 else None,
    "entries": ent}))
PY
}

# Rounds alternate the three setups; medians are reported (a shared box).
for i in $(seq 1 "${ROUNDS:-3}"); do
	run unix 1 | tee -a "$T/unix.json"
	run redis 1 | tee -a "$T/redis.json"
	run redis 2 | tee -a "$T/redis2.json"
done
python3 - "$T/unix.json" "$T/redis.json" "$T/redis2.json" <<'PY'
import json, statistics, sys
rows = [[json.loads(l) for l in open(p)] for p in sys.argv[1:]]
def med(rs, k):
    v = [r[k] for r in rs if r.get(k) is not None]
    return statistics.median(v) if v else None
u, r, r2 = rows
for name, rs in (("unix, 1 instance", u), ("redis, 1 instance", r),
                 ("redis, 2 instances x half", r2)):
    print("%-26s p50 %.2f ms  p99 %.2f ms  deliveries/CPU-s %s  redis CPU ms/1000 entries %s"
          % (name, med(rs, "p50_us") / 1000, med(rs, "p99_us") / 1000,
             med(rs, "deliveries_per_cpu_s"), med(rs, "redis_cpu_ms_per_1000_entries")))
print("redis adds (medians): p50 %+.2f ms, p99 %+.2f ms" % (
    (med(r, "p50_us") - med(u, "p50_us")) / 1000,
    (med(r, "p99_us") - med(u, "p99_us")) / 1000))
PY
