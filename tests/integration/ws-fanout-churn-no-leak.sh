#!/bin/sh
# While a feed runs, a few thousand WebSocket connections are opened and
# closed repeatedly (ws-load churn: N clients, every one waits for its
# snapshot, then all close, half with a close frame, half abruptly):
# ws-fanout does not crash, every client gets its snapshot, its
# connection gauge returns to 0 after each round, its RSS after the last
# rounds is back within 5% (+ 2 MiB) of its level after the first
# measured round, and it exits 0 on SIGTERM (under ASan: no leak).
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/tools/ws-load-lib.sh"
N=${CHURN_N:-400}
ROUNDS=${CHURN_ROUNDS:-6}
ids=401800001,401800002
# glibc: large blocks are mmapped and returned at free, so that RSS
# follows what is held rather than the allocator's high-water mark.
# ASan: a 1 MiB quarantine (use-after-free of recent frees is still
# caught) and freed memory released to the kernel promptly; with the
# default 256 MiB quarantine RSS only measures the quarantine filling.
GLIBC_TUNABLES=glibc.malloc.mmap_threshold=65536:glibc.malloc.trim_threshold=131072
ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}:quarantine_size_mb=1:allocator_release_to_os_interval_ms=100"
export GLIBC_TUNABLES ASAN_OPTIONS
start_fanout -q --max-per-ip $((N * 2)) -H 50
unset GLIBC_TUNABLES
# A halftime-sized game (240 ESPN + 1200 Kalshi points) in each of two
# games, then 5 ticks a second each for the whole run.
feed -i "$ids" -E 240 -K 1200 -r 5 -d 300 -w 0 2>"$T/feed.err" &
FEED=$!
bg "$FEED"
wait_game 401800001
wait_game 401800002

churn() {	# rounds, output
	"$LOAD" churn -a "127.0.0.1:$PORT" -g "$ids" -n "$N" -r "$1" -S 2 \
	    -c 2000 -x "$FPID" -z 200 -t 40 >"$2" 2>>"$T/churn.err"
}
# Warm-up: the allocator and libwebsockets reach their working size.
churn 2 "$T/warm.json" || fail "warm-up churn: $(tail -n 3 "$T/warm.json" "$T/churn.err")"
churn "$ROUNDS" "$T/churn.json" ||
    fail "churn: $(cat "$T/churn.json"; tail -n 5 "$T/churn.err")"
kill -0 "$FPID" 2>/dev/null || fail "ws-fanout died: $(tail -n 5 "$T/fanout.log")"
kill -0 "$FEED" 2>/dev/null || fail "the feed stopped: $(cat "$T/feed.err")"
note "$(cat "$T/churn.json")"

# Under the sanitizers LeakSanitizer is the leak check and RSS is noisy
# (shadow memory, quarantine): allow more slack there.
SLACK_KB=2048
[ -n "${SANITIZE:-}" ] && SLACK_KB=8192
python3 - "$T/churn.json" "$N" "$ROUNDS" "$SLACK_KB" <<'PY' || fail "churn figures"
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
rss = [r["rss_kb"] for r in per]
if len(rss) >= 3 and min(rss) > 0:
    # The first rounds may still be warming up (allocator arenas, lws
    # pools): the baseline is the higher of the first two. A leak grows
    # every round: the end is the lower of the last two.
    base = max(rss[:2])
    end = min(rss[-2:])
    limit = base * 1.05 + int(sys.argv[4])
    if end > limit:
        bad.append("RSS %d KiB after the first rounds, %d KiB at the end (limit %d): %s"
                   % (base, end, limit, rss))
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
