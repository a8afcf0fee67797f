#!/bin/sh
# --replay FILE --speed X writes a recording byte for byte, paced by each
# line's recv_ts (else ts) X times faster: the whole game (8967 s between
# first and last play) at 3000x takes about 3 s, and the line halfway
# through the game's time comes out about halfway through. Bad lines are
# skipped; a missing file exits 74.
. "$ROOT/tests/lib.sh"
need_cmd jq
need_cmd python3

# A recording: the recorded game's lines, received when each play happened.
"$BIN/espn-poll" --once --base-url "file://$DATA/espn" --scoreboard-interval 0 \
    --game 401772994 2>/dev/null |
    jq -c 'if .type == "wp" then .recv_ts = .ts else . end' >"$T/rec"
expect_eq "recorded lines" "$(wc -l <"$T/rec" | tr -d ' ')" 474
# A game line (ts = its write time) would otherwise set the pace: drop it.
grep '"type":"wp"' "$T/rec" >"$T/wp.rec"
{ head -n 1 "$T/wp.rec"; echo 'not json'; tail -n +2 "$T/wp.rec"; } >"$T/rec2"

# Timestamp each line as it arrives, in seconds since espn-poll started
# (python starts it, so its own start-up time does not count).
python3 -c '
import subprocess, sys, time
t0 = time.monotonic()
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE)
for line in p.stdout:
    sys.stdout.write("%.3f\t%s" % (time.monotonic() - t0, line.decode()))
sys.exit(p.wait())
' "$BIN/espn-poll" --replay "$T/rec2" --speed 3000 >"$T/timed" 2>"$T/err" ||
    fail "replay exit $?"
cut -f2- "$T/timed" >"$T/out"
cmp -s "$T/out" "$T/wp.rec" || fail "replayed bytes differ"
grep -q 'msg="line skipped"' "$T/err" || fail "bad line not reported"
total=$(tail -n 1 "$T/timed" | cut -f1)
half=$(awk -F'\t' 'NR == 1 { split($2, a, "\"ts\":"); t0 = substr(a[2], 1, 13) + 0 }
    { split($2, a, "\"ts\":"); t = substr(a[2], 1, 13) + 0
      if (t - t0 >= 8967000 / 2) { print $1; exit } }' "$T/timed")
note "total ${total}s, halfway at ${half}s"
awk -v t="$total" 'BEGIN { exit !(t >= 2.95 && t < 12) }' || fail "total time $total s, want about 3"
awk -v h="$half" -v t="$total" 'BEGIN { exit !(h >= 0.3 * t && h <= 0.7 * t) }' ||
    fail "halfway line at $half s of $total s"

rc=0; "$BIN/espn-poll" --replay "$T/nonexistent" >/dev/null 2>&1 || rc=$?
expect_eq "missing file" "$rc" 74
rc=0; "$BIN/espn-poll" --speed 2 >/dev/null 2>&1 || rc=$?
expect_eq "--speed without --replay" "$rc" 64
