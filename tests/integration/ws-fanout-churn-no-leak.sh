#!/bin/sh
# While a feed runs, a few thousand WebSocket connections are opened and
# closed repeatedly (ws-load churn: N clients, every one waits for its
# snapshot, then all close, half with a close frame, half abruptly):
# ws-fanout does not crash, every client gets its snapshot, its
# connection gauge returns to 0 after each round, the heap it holds
# (its ws_fanout_heap_bytes gauge) grows by less than 64 bytes per
# connection opened after the first measured round (the feed's own
# growth is a few bytes per connection; any object leaked per connection
# is more), its RSS after the last round is within 5% (+ 1 MiB) of its
# RSS after the first (it trims the heap once a crowd has left), and it
# exits 0 on SIGTERM. Under ASan, where the gauge is not known and RSS is
# the sanitizer's: LeakSanitizer finds no leak.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/ws-load.sh"
N=${CHURN_N:-400}
ROUNDS=${CHURN_ROUNDS:-6}
ids=401800001,401800002
start_fanout -q --max-per-ip $((N * 2)) -H 50
# A halftime-sized game (240 ESPN + 1200 Kalshi points) in each of two
# games, then 5 ticks a second each for the whole run.
feed -i "$ids" -E 240 -K 1200 -r 5 -d 300 -w 0 2>"$T/feed.err" &
FEED=$!
bg "$FEED"
wait_game 401800001
wait_game 401800002

churn() {	# rounds, output
	"$LOAD" churn -a "127.0.0.1:$PORT" -g "$ids" -n "$N" -r "$1" -S 2 \
	    -c 2000 -x "$FPID" -z 800 -t 40 >"$2" 2>>"$T/churn.err"
}
# Warm-up: the allocator and libwebsockets reach their working size.
churn 2 "$T/warm.json" || fail "warm-up churn: $(tail -n 3 "$T/warm.json" "$T/churn.err")"
churn "$ROUNDS" "$T/churn.json" ||
    fail "churn: $(cat "$T/churn.json"; tail -n 5 "$T/churn.err")"
kill -0 "$FPID" 2>/dev/null || fail "ws-fanout died: $(tail -n 5 "$T/fanout.log")"
kill -0 "$FEED" 2>/dev/null || fail "the feed stopped: $(cat "$T/feed.err")"
note "$(cat "$T/churn.json")"

# The heap gauge counts what is held; RSS also counts what the allocator
# keeps (before ws-fanout trimmed, it once stepped by 4.3 MiB in a round
# and stayed there).
python3 - "$T/churn.json" "$N" "$ROUNDS" "${SANITIZE:-}" <<'PY' || fail "churn figures"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
n, rounds = int(sys.argv[2]), int(sys.argv[3])
per = [r for r in rows if "round" in r]
bad = []
if len(per) != rounds:
    bad.append("%d rounds, want %d" % (len(per), rounds))
for r in per:
    if r["snapshots"] != n or r["failed"] or r["closed_by_server"]:
        bad.append("round %d: %d/%d snapshots, %d failed, %d closed by the server"
                   % (r["round"], r["snapshots"], n, r["failed"], r["closed_by_server"]))
    if r["server_conns"] != 0:
        bad.append("round %d: server still counts %s connections" % (r["round"], r["server_conns"]))
heap = [r.get("heap_kb", -1) for r in per]
if len(heap) >= 2 and min(heap) >= 0:
    per_conn = (heap[-1] - heap[0]) * 1024.0 / (n * (len(heap) - 1))
    print("heap %d KiB after the first round, %d KiB after the last: "
          "%.1f bytes per connection" % (heap[0], heap[-1], per_conn))
    if per_conn >= 64:
        bad.append("the heap grew by %.1f bytes per connection: %s KiB"
                   % (per_conn, heap))
elif not sys.argv[4]:
    bad.append("no ws_fanout_heap_bytes gauge: %s" % heap)
rss = [r["rss_kb"] for r in per]
if not sys.argv[4] and len(rss) >= 2:
    print("RSS %d KiB after the first round, %d KiB after the last" % (rss[0], rss[-1]))
    if min(rss) <= 0 or rss[-1] > rss[0] * 1.05 + 1024:
        bad.append("RSS not back within 5%% + 1 MiB: %s KiB" % rss)
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
PY

kill "$FEED" 2>/dev/null || true
kill -TERM "$FPID"
rc=0
wait "$FPID" || rc=$?
expect_eq "ws-fanout exit status after SIGTERM" "$rc" 0
if grep -q 'LeakSanitizer\|AddressSanitizer\|runtime error' "$T/fanout.log"; then
	fail "sanitizer: $(grep -m 5 'Sanitizer\|runtime error\|#[0-9]' "$T/fanout.log")"
fi
