#!/bin/sh
# A consumer that (re)connects to aligner's output socket first gets the
# whole state: the source lines, each game's game line and one tick with
# the whole series ("snapshot":true, the seq of the last tick), then only
# live ticks that carry the new points.
. "$ROOT/tests/lib.sh"
A=$BIN/aligner
TOOLS=$ROOT/tests/tools
python3 -c 'import zoneinfo; zoneinfo.ZoneInfo("America/New_York")' \
    2>/dev/null || skip "python3 without zoneinfo data (tzdata; make deps)"
"$TOOLS/gen-aligner-game" --summary "$DATA/espn/summary-nba-401772994.json" \
    >"$T/game"
# Hold back the last two plays to send after the reconnect.
grep '"type":"wp"' "$T/game" | tail -n 2 >"$T/later"
grep -v -F -x -f "$T/later" "$T/game" >"$T/first"
held=$(jq -c -s 'map(.play_id)' "$T/later")
expect_eq "held back" "$(wc -l <"$T/later")" 2
printf '{"type":"source","src":"kalshi","ts":1,"state":"degraded"}\n' \
    >"$T/src"

"$TOOLS/gen-aligner-sock" listen "$T/out.sock" "$T/c1" "$T/c1.ready" &
c1=$!
bg $c1
wait_ready "$T/c1.ready" || fail "consumer 1 not ready"
"$A" "unix:$T/in.sock" --output "unix:$T/out.sock" --ready-fd 3 \
    3>"$T/ready" 2>"$T/err" &
pid=$!
bg $pid
wait_ready "$T/ready" || fail "aligner not ready"
"$TOOLS/gen-aligner-sock" send "$T/in.sock" "$T/src"
"$TOOLS/gen-aligner-sock" send "$T/in.sock" "$T/first"
# Consumer 1 sees everything live; wait for all 470 points.
count() { grep '"type":"tick"' "$1" | jq '.espn | length' |
    awk '{n += $1} END {print n + 0}'; }
WAIT_SECS=30 wait_for sh -c "[ \$(grep '\"type\":\"tick\"' '$T/c1' |
    jq '.espn | length' | awk '{n += \$1} END {print n + 0}') -ge 470 ]" ||
    fail "consumer 1 got $(count "$T/c1") points"
last_seq=$(grep '"type":"tick"' "$T/c1" | tail -n 1 | jq .seq)
epoch=$(grep '"type":"tick"' "$T/c1" | tail -n 1 | jq .epoch)

# Consumer 1 goes away; consumer 2 takes its place on the same path.
kill $c1
wait $c1 2>/dev/null || true
"$TOOLS/gen-aligner-sock" listen "$T/out.sock" "$T/c2" "$T/c2.ready" &
c2=$!
bg $c2
wait_ready "$T/c2.ready" || fail "consumer 2 not ready"
WAIT_SECS=40 wait_lines "$T/c2" 3 || fail "no state after reconnect: \
$(tail -n 5 "$T/err")"
expect_eq "first line" "$(sed -n 1p "$T/c2" | jq -c '[.type,.src,.state]')" \
    '["source","kalshi","degraded"]'
expect_eq "second line" "$(sed -n 2p "$T/c2" | jq -c '[.type,.game_id]')" \
    '["game","401772994"]'
expect_eq "snapshot tick" "$(sed -n 3p "$T/c2" | jq -c \
    '[.type,.snapshot,.seq,.epoch,(.espn|length),(.kalshi|length)>0]')" \
    "[\"tick\",true,$last_seq,$epoch,470,true]"

# New points after the reconnect: one live tick with just those.
"$TOOLS/gen-aligner-sock" send "$T/in.sock" "$T/later"
WAIT_SECS=20 wait_lines "$T/c2" 4 || fail "no live tick after the snapshot"
expect_eq "live tick" "$(sed -n 4p "$T/c2" | jq -c \
    '[.type,.snapshot,.seq,(.espn|map(.play_id))]')" \
    "[\"tick\",null,$((last_seq + 1)),$held]"
kill -TERM $pid
set +e
wait $pid; rc=$?
set -e
expect_eq "exit status after SIGTERM" $rc 0
exit 0
