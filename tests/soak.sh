#!/bin/sh
# tests/soak.sh (make soak DURATION=minutes, default 5; not in CI): the
# demo pipeline (tests/lib/pipeline.sh: espn-sim, kalshi-sim, espn-poll,
# kalshi-tap, aligner, ws-fanout) on the recorded game for DURATION
# minutes, with random upstream faults (espn-sim /_sim/fault; kalshi-sim
# dropping connections and sending malformed frames), random kill -9 of
# espn-poll, kalshi-tap (its history kept in a --state file), the
# aligner and ws-fanout (at least once, while the game runs), restarted
# as a supervisor would (and any stage that exits on its own),
# SOAK_CLIENTS (100) WebSocket clients connected throughout, which
# reconnect and resume (ws-load -k) when ws-fanout dies, plus rounds of
# connection churn (never across a ws-fanout kill).
#
# The game is paced to end at 60% of the run; the rest is a tail with
# static data, faults and kills, over which no process may keep growing.
# Reports clients disconnected (not connected at the end), connections
# lost and reconnects, points lost (each client's final series against
# the recorded game, tests/tools/e2e-check), RSS over time per process,
# restarts, and warning/error counts. Exits 1 if a client was
# disconnected at the end or lost a point, a churn client failed, a
# process grew in the tail (> 10% + 4 MiB, past its first 10 s) or a
# sanitizer spoke; 0 otherwise.
#
# SOAK_TOPOLOGY=redis: the aligner writes to a redis-server
# (tests/lib/redis.sh; -o redis://), two ws-fanout instances read it
# (-i redis://) behind nginx (contrib/nginx/courtside.conf through
# tests/lib/nginx.sh), and the clients connect through nginx, so that
# those of a killed instance resume on the other with ?since=. The
# kills add kill -9 of Redis (restarted empty: no persistence; at least
# once; not in the last 70 s, so that its RSS is judged in the tail)
# and of an instance (the one most clients are on; at least once, while
# the game runs, never before the other serves the game), and Redis's
# RSS is in the table. The default,
# SOAK_TOPOLOGY=pipe, is one ws-fanout on the aligner's Unix socket.
# Env: DURATION (minutes), SOAK_CLIENTS, SOAK_TOPOLOGY, SOAK_DIR (kept;
# default $BUILD/soak), BUILD.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
BIN=$BUILD/bin
SOAK_DIR=${SOAK_DIR:-$BUILD/soak}
rm -rf "$SOAK_DIR"
mkdir -p "$SOAK_DIR"
TEST_TMP=$SOAK_DIR
export ROOT BIN TEST_TMP
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/pipeline.sh"
. "$ROOT/tests/lib/soak.sh"
for t in espn-poll kalshi-tap aligner ws-fanout kalshi-sim ws-load; do
	[ -x "$BIN/$t" ] || fail "$t not built (make all test-tools)"
done
for c in python3 jq curl; do
	command -v $c >/dev/null || fail "$c is needed"
done
DURATION=${DURATION:-5}
case $DURATION in ''|*[!0-9]*) fail "DURATION: minutes, a whole number" ;; esac
[ "$DURATION" -ge 2 ] || fail "DURATION: at least 2 minutes"
D=$((DURATION * 60))
NCLIENTS=${SOAK_CLIENTS:-100}
SOAK_TOPOLOGY=${SOAK_TOPOLOGY:-pipe}
SOAK_EVENTS=$T/events
SOAK_RSS=$T/rss
: >"$SOAK_EVENTS"
: >"$SOAK_RSS"
# shellcheck disable=SC3045 # dash and bash both have ulimit -n
ulimit -n 20000 2>/dev/null || true
# Built with SANITIZE=address: a small quarantine, as ASan's default
# (256 MiB of freed memory held back) reads as growth in the RSS check.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:quarantine_size_mb=2}"

# kalshi-sim faults: pl_sims takes no extra options, so it runs a
# wrapper that adds them. The first 20 connections are dropped after 150
# data frames and get two malformed frames after every 40th.
mkdir -p "$T/bin"
for t in "$BIN"/*; do ln -sf "$t" "$T/bin/"; done
rm -f "$T/bin/kalshi-sim"
cat >"$T/bin/kalshi-sim" <<EOF
#!/bin/sh
exec "$BIN/kalshi-sim" "\$@" --drops 20 --drop-after 150 --malformed-every 40
EOF
chmod +x "$T/bin/kalshi-sim"
# espn-poll retries from 200 ms (not 1 s), doubling to 6 s: the game runs
# about 80 times faster than real time, and with the default backoff
# (to 30 s, giving up after ~3 min) an outage late in a short run would
# outlast it.
rm -f "$T/bin/espn-poll"
cat >"$T/bin/espn-poll" <<EOF
#!/bin/sh
exec "$BIN/espn-poll" "\$@" --retry-base 200ms
EOF
chmod +x "$T/bin/espn-poll"
# shellcheck disable=SC2034 # read by tests/lib/pipeline.sh
PL_BIN=$T/bin

# Pace the game to end at 60% of the run (from 30 s before tip-off).
span=$(python3 - "$PL_FIXTURE" <<'PY'
import json, sys
from datetime import datetime
d = json.load(open(sys.argv[1]))
ts = [datetime.fromisoformat(p["wallclock"].replace("Z", "+00:00")).timestamp()
      for p in d["plays"] if "wallclock" in p]
print(int(max(ts) - min(ts)))
PY
)
GAME_END=$((D * 60 / 100))
speed=$(python3 -c "print(round(($span + 30) / $GAME_END, 3))")
pl_init "$T"
echo "soak: $DURATION min, topology $SOAK_TOPOLOGY, game of ${span}s at x$speed (ends at ${GAME_END}s), $NCLIENTS clients, in $T"
soak_topology
pl_sims "$speed" -30
SOAK_T0=$(date +%s)
for s in $SOAK_FANOUTS; do soak_start "$s"; done
soak_lb
soak_start aligner
soak_start espn-poll
soak_start kalshi-tap
for s in $SOAK_STAGES; do soak_event start "$s pid=$(pl_pid "$s")"; done
WAIT_SECS=30 wait_for soak_game_known || fail "ws-fanout never heard of the game"

# The clients that stay for the whole run: 8 per source address
# (ws-fanout allows 10 per address), from 127.0.0.10 up. They reconnect
# when ws-fanout is killed (-k), resuming with ?since=.
mkdir -p "$T/clients"
"$BIN/ws-load" clients -k -a "127.0.0.1:$SOAK_PORT" -g "$PL_GAME" -n "$NCLIENTS" \
    -S $(( (NCLIENTS + 7) / 8 )) -b 10 -D "$T/clients" -d $((D + 60)) \
    -t $((D + 120)) \
    >"$T/clients.json" 2>"$T/clients.err" &
CLIENTS=$!
bg "$CLIENTS"

next_fault=$((5 + $(soak_rand 10)))
next_kill=$((10 + $(soak_rand 15)))
next_churn=20
next_sample=0
outage_ok=0
cleared=
CHURN=
chaos_end=$((D - 25))
# Redis is killed up to 45 s before the end of the chaos, so that its
# last instance has a tail of at least 60 s whose RSS is judged.
redis_end=$((chaos_end - 45))
while [ "$(soak_now)" -lt "$D" ]; do
	now=$(soak_now)
	soak_supervise
	if [ "$now" -ge "$next_sample" ]; then
		soak_sample
		next_sample=$((now + 2))
	fi
	if [ "$now" -lt "$chaos_end" ] && [ "$now" -ge "$next_fault" ]; then
		# The long outage only while there is time to recover from it,
		# and never two within 60 s: they queue up (four picked in 74 s
		# kept the summary failing for the rest of a 3-minute run).
		if [ "$now" -lt $((chaos_end - 60)) ] && [ "$now" -ge "$outage_ok" ]; then
			soak_espn_fault outage
			tail -n 1 "$SOAK_EVENTS" | grep -q '@summary' &&
			    outage_ok=$((now + 60))
		else
			soak_espn_fault
		fi
		next_fault=$((now + 5 + $(soak_rand 11)))
	fi
	# Redis (when there is one) at least once: 15 s before the last
	# moment it may be killed at the latest.
	if [ "$SOAK_TOPOLOGY" = redis ] && [ "$now" -ge $((redis_end - 15)) ] &&
	    [ "$now" -lt "$redis_end" ] && ! grep -q ' kill redis ' "$SOAK_EVENTS"; then
		soak_kill redis
	fi
	if [ "$now" -lt "$chaos_end" ] && [ "$now" -ge "$next_kill" ]; then
		# Any stage, at any time (kalshi-tap's --state file keeps its
		# quote history across the kill, also after the game; Redis
		# comes back empty and the aligner republishes), but a
		# ws-fanout only while the game runs: one instance lives
		# through the whole tail, and its RSS there is judged.
		while :; do
			# shellcheck disable=SC2086 # a list of words
			stage=$(soak_pick $SOAK_KILLABLE)
			if soak_is_fanout "$stage"; then
				[ "$now" -lt "$GAME_END" ] && break
			elif [ "$stage" = redis ]; then
				[ "$now" -lt "$redis_end" ] && break
			else
				break
			fi
		done
		# A ws-fanout at least once: by half of the chaos at the
		# latest, while the game runs.
		if [ "$now" -ge $((chaos_end / 2)) ] &&
		    ! grep -q ' kill \(ws-fanout\|fanout-[0-9]\) ' "$SOAK_EVENTS"; then
			# shellcheck disable=SC2086 # a list of words
			stage=$(soak_pick $SOAK_FANOUTS)
		fi
		# Of two instances, the one most clients are on.
		soak_is_fanout "$stage" && stage=$(soak_busiest)
		# Not while a churn round runs (its clients do not reconnect),
		# nor while another instance is not serving the game yet.
		if soak_is_fanout "$stage" &&
		    { { [ -n "$CHURN" ] && soak_alive "$CHURN"; } ||
		    ! soak_game_known; }; then
			next_kill=$((now + 1))
		else
			soak_kill "$stage"
			next_kill=$((now + 8 + $(soak_rand 15)))
		fi
	fi
	# Rounds of churn: 200 connections opened, snapshot, closed, twice;
	# only once a restarted ws-fanout has the game again.
	if [ "$now" -ge "$next_churn" ] && [ "$now" -lt "$chaos_end" ] &&
	    { [ -z "$CHURN" ] || ! soak_alive "$CHURN"; } && soak_game_known; then
		[ -n "$CHURN" ] && { wait "$CHURN" 2>/dev/null || soak_event churn-failed ""; }
		"$BIN/ws-load" churn -a "127.0.0.1:$SOAK_PORT" -g "$PL_GAME" \
		    -n 200 -r 2 -S 50 -b 100 -z 0 -t 60 >>"$T/churn.json" \
		    2>>"$T/churn.err" &
		CHURN=$!
		bg "$CHURN"
		soak_event churn "pid=$CHURN"
		next_churn=$((now + 20 + $(soak_rand 20)))
	fi
	# The end of the chaos: ESPN faults not yet used up are dropped.
	if [ "$now" -ge "$chaos_end" ] && [ -z "$cleared" ]; then
		curl -sf "http://127.0.0.1:$(cat "$PL_DIR/espn-sim.port")/_sim/fault?clear=1" \
		    >/dev/null 2>&1 && soak_event fault "espn cleared"
		cleared=1
	fi
	if ! soak_alive "$CLIENTS"; then
		soak_event clients-ended ""
		break
	fi
	sleep 0.5
done

# The end: the clients stop and report; each ws-fanout stops
# gracefully (frc: the first non-zero status).
[ -n "$CHURN" ] && { wait "$CHURN" 2>/dev/null || soak_event churn-failed ""; }
for s in $SOAK_FANOUTS; do
	curl -sf "http://127.0.0.1:$(soak_fanout_port "$s")/metrics" >"$T/metrics-$s" || true
done
kill -INT "$CLIENTS" 2>/dev/null || true
crc=0
wait "$CLIENTS" || crc=$?
frc=0
for s in $SOAK_FANOUTS; do
	fanout=$(pl_pid "$s")
	kill -TERM "$fanout"
	st=0
	wait "$fanout" || st=$?
	rm -f "$PL_DIR/$s.pid"
	soak_event fanout-exit "$s status=$st"
	[ "$frc" -ne 0 ] || frc=$st
done
pl_stop

# Points lost: every client's final series against the recorded game.
: >"$T/check.out"
lost=0
for f in "$T"/clients/client-*.ndjson; do
	if ! "$ROOT/tests/tools/e2e-check" --min-kalshi 10 "$f" "$PL_FIXTURE" \
	    >"$f.check" 2>&1; then
		lost=$((lost + 1))
		echo "$(basename "$f"): $(head -n 3 "$f.check" | tr '\n' ' ')" >>"$T/check.out"
	fi
done

san=0
if grep -l 'Sanitizer\|runtime error:' "$T"/*.log "$T"/*.err >/dev/null 2>&1; then
	san=1
fi
python3 - "$T" "$D" "$GAME_END" "$NCLIENTS" "$lost" "$crc" "$frc" "$san" "$SOAK_FANOUTS" <<'PY'
import json, os, sys, collections
T, D, GAME_END, N = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
lost, crc, frc, san = int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7]), int(sys.argv[8])
FANOUTS = sys.argv[9].split()
bad = []
ev = [l.split(" ", 2) for l in open(os.path.join(T, "events")) if l.strip()]
count = collections.Counter(e[1] for e in ev)
exits = [e[2].strip() for e in ev if e[1] == "exit"]
kills = collections.Counter(e[2].split()[0] for e in ev if e[1] == "kill")
print("events: %s" % ", ".join("%s %d" % kv for kv in sorted(count.items())))
print("kill -9 per stage: %s" % (", ".join("%s %d" % kv for kv in sorted(kills.items())) or "none"))
for x in exits:
    print("  exited on its own (restarted): %s" % x)
try:
    c = json.loads(open(os.path.join(T, "clients.json")).read().strip().splitlines()[-1])
except Exception:
    c = {"first_msgs": 0, "failed": N, "closed": 0}
# With ws-load -k, closed and failed count the clients without a
# connection at the end: those that did not come back.
disc = c.get("closed", 0) + c.get("failed", 0)
print("clients: %d, got a snapshot %d, disconnected at the end (did not come "
      "back) %d, ws-load status %d" % (N, c.get("first_msgs", 0), disc, crc))
print("reconnects: %d connections lost or refused, %d reconnect attempts, "
      "%d reconnects (served again), %d clients reconnected at least once"
      % (c.get("drops", 0), c.get("reconnect_attempts", 0),
         c.get("reconnects", 0), c.get("clients_reconnected", 0)))
if c.get("first_msgs", 0) != N or disc or crc:
    bad.append("clients disconnected or without snapshot")
# One ws-fanout: all its clients were on it. Two: at least as many as
# the killed instance had connections (clients=N in the kill event) must
# have reconnected.
fkills = [e[2].split() for e in ev if e[1] == "kill" and e[2].split()[0] in FANOUTS]
if fkills:
    need = N if len(FANOUTS) == 1 else max(
        int(w.split("=")[1]) for k in fkills for w in k if w.startswith("clients="))
    need = min(need, N)
    print("ws-fanout kills: %d, largest number of clients on a killed one %d"
          % (len(fkills), need))
    if c.get("clients_reconnected", 0) < need:
        bad.append("a ws-fanout was killed but only %d of %d clients reconnected"
                   % (c.get("clients_reconnected", 0), need))
print("points lost: %d of %d clients' final series differ from the recorded game" % (lost, N))
if lost:
    bad.append("points lost")
    print("".join(open(os.path.join(T, "check.out")).readlines()[:10]).rstrip())
rounds = []
if os.path.exists(os.path.join(T, "churn.json")):
    for l in open(os.path.join(T, "churn.json")):
        try:
            r = json.loads(l)
        except ValueError:
            continue
        if "round" in r:
            rounds.append(r)
cfail = sum(r["clients"] - r["snapshots"] + r["failed"] for r in rounds)
print("churn: %d rounds of 200 connections, %d clients failed or got no snapshot"
      % (len(rounds), cfail))
if cfail or count.get("churn-failed"):
    bad.append("churn clients failed")
print("ws-fanout exit status on SIGTERM: %d" % frc)
if frc:
    bad.append("ws-fanout exit %d" % frc)
if san:
    bad.append("sanitizer report in a log")
# RSS over time, per process (name, pid).
inst = collections.defaultdict(list)
for l in open(os.path.join(T, "rss")):
    t, name, pid, kb = l.split()
    inst[(name, pid)].append((int(t), int(kb)))
print("RSS (KiB) over time, per process; tail = after the game ended (t >= %d s):" % (GAME_END + 10))
marks = [D * i // 8 for i in range(9)]
for name in sorted({k[0] for k in inst}):
    pids = [k for k in inst if k[0] == name]
    series = sorted(s for k in pids for s in inst[k])
    row = []
    for m in marks:
        near = [kb for t, kb in series if abs(t - m) <= 3]
        row.append(str(near[0]) if near else "-")
    print("  %-10s %2d instance(s), max %6d; t=%s: %s" % (
        name, len(pids), max(kb for _, kb in series),
        "/".join(str(m) for m in marks), " ".join(row)))
    for k in pids:
        # An instance's first 10 s (a restart filling up) are not growth.
        born = inst[k][0][0]
        tail = [(t, kb) for t, kb in inst[k] if t >= max(GAME_END + 10, born + 10)]
        if len(tail) < 5 or tail[-1][0] - tail[0][0] < 30:
            continue
        first = min(kb for _, kb in tail[:3])
        last = min(kb for _, kb in tail[-3:])
        if last > first * 1.10 + 4096:
            bad.append("%s pid %s grew from %d to %d KiB in the tail" % (name, k[1], first, last))
        else:
            print("    pid %s: tail %d s, %d -> %d KiB: flat" % (k[1], tail[-1][0] - tail[0][0], first, last))
# Warnings and errors per stage log.
for name in ["espn-poll", "kalshi-tap", "aligner"] + FANOUTS + ["kalshi-sim", "espn-sim"]:
    p = os.path.join(T, name + ".log")
    if not os.path.exists(p):
        continue
    lv = collections.Counter()
    msgs = collections.Counter()
    for l in open(p, errors="replace"):
        for level in ("warn", "error", "fatal"):
            if "level=" + level in l:
                lv[level] += 1
                i = l.find("msg=")
                msgs[l[i:i + 60].split('" ')[0] + '"' if i >= 0 else "?"] += 1
    print("  %-10s warn %d, error %d, fatal %d%s" % (name, lv["warn"], lv["error"], lv["fatal"],
          ("; top: " + ", ".join("%s x%d" % kv for kv in msgs.most_common(3))) if msgs else ""))
for f in FANOUTS:
    try:
        m = dict(l.split()[:2] for l in open(os.path.join(T, "metrics-" + f)) if l and not l.startswith("#") and " " in l)
        keys = [k for k in m if any(w in k for w in ("input_skipped", "resyncs", "rejected", "connections_total", "input_lines", "resumes_total", "broker_connects", "broker_rebuilds", "broker_gaps", "broker_skipped"))]
        print("%s metrics at the end (its last instance): " % f + ", ".join("%s %s" % (k.replace("ws_fanout_", ""), m[k]) for k in sorted(keys)))
    except OSError:
        pass
for b in bad:
    print("SOAK FAIL: %s" % b)
print("soak: %s" % ("FAIL" if bad else "ok"))
sys.exit(1 if bad else 0)
PY
