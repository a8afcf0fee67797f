#!/bin/sh
# An upstream on a unix: input dies mid-line and, restarted, sends its
# whole state again before going on: aligner writes no point twice,
# keeps seq gap-free, survives the input closing (socket mode), and on
# SIGTERM writes its last tick and exits 0.
. "$ROOT/tests/lib.sh"
A=$BIN/aligner
TOOLS=$ROOT/tests/tools
python3 -c 'import zoneinfo; zoneinfo.ZoneInfo("America/New_York")' \
    2>/dev/null || skip "python3 without zoneinfo data (tzdata; make deps)"
"$TOOLS/gen-aligner-game" --summary "$DATA/espn/summary-nba-401772994.json" \
    >"$T/game"
total=$(wc -l <"$T/game")
half=$((total / 2))
printf '{"type":"source","src":"test","ts":1,"state":"done"}\n' >"$T/done"

"$A" "unix:$T/in.sock" --ready-fd 3 3>"$T/ready" >"$T/out" 2>"$T/err" &
pid=$!
bg $pid
wait_ready "$T/ready" || fail "not ready"
# First life: half the lines, then half a line, then gone.
"$TOOLS/gen-aligner-sock" send "$T/in.sock" "$T/game" --lines $half --half
# Second life: everything from the start, then a marker.
"$TOOLS/gen-aligner-sock" send "$T/in.sock" "$T/game"
"$TOOLS/gen-aligner-sock" send "$T/in.sock" "$T/done"
WAIT_SECS=30 wait_for grep -q '"src":"test"' "$T/out" ||
    fail "marker not passed through: $(tail -n 3 "$T/err")"
kill -0 $pid || fail "aligner exited when its writers left"
kill -TERM $pid
set +e
wait $pid; rc=$?
set -e
expect_eq "exit status after SIGTERM" $rc 0

# What aligner read, in order: the complete lines of both lives.
{ head -n $half "$T/game"; cat "$T/game" "$T/done"; } >"$T/arrived"
"$TOOLS/asof-ref" "$T/arrived" "$T/out" >"$T/ref" || fail "$(cat "$T/ref")"
note "$(cat "$T/ref")"
expect_eq "ESPN points" "$(grep '"type":"tick"' "$T/out" |
    jq '.espn | length' | awk '{n += $1} END {print n}')" 472
expect_eq "play ids unique" "$(grep '"type":"tick"' "$T/out" |
    jq -r '.espn[].play_id' | sort | uniq -d | wc -l)" 0
expect_eq "seq gap-free" "$(grep '"type":"tick"' "$T/out" | jq .seq |
    awk '$1 != NR {bad++} END {print bad + 0}')" 0
grep -q "msg=done .*wp_dup=472 " "$T/err" || fail "dupes not counted: $(tail -n 1 "$T/err")"
exit 0
