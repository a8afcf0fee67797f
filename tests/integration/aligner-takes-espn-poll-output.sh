#!/bin/sh
# The real neighbour: espn-poll's lines for the recorded game (read from
# the fixtures through file://) and Kalshi quotes, on two inputs, give
# every play once and the reference's as-of values. Skips when espn-poll
# is not built.
. "$ROOT/tests/lib.sh"
A=$BIN/aligner
TOOLS=$ROOT/tests/tools
need_built espn-poll
python3 -c 'import zoneinfo; zoneinfo.ZoneInfo("America/New_York")' \
    2>/dev/null || skip "python3 without zoneinfo data (tzdata; make deps)"
"$BIN/espn-poll" --once -q --base-url "file://$DATA/espn" \
    --date 20250529 --game 401772994 >"$T/espn" 2>"$T/espn.err" ||
    fail "espn-poll: exit $? $(tail -n 2 "$T/espn.err")"
expect_eq "wp lines" "$(grep -c '"type":"wp"' "$T/espn")" 472
"$TOOLS/gen-aligner-game" --summary "$DATA/espn/summary-nba-401772994.json" \
    --kalshi-only >"$T/kalshi"
"$A" "$T/espn" "$T/kalshi" >"$T/out" 2>"$T/err" || fail "exit $?"
cat "$T/espn" "$T/kalshi" >"$T/in"
"$TOOLS/asof-ref" "$T/in" "$T/out" >"$T/ref" || fail "$(cat "$T/ref")"
note "$(cat "$T/ref")"
expect_eq "points of 401772994" "$(grep '"type":"tick"' "$T/out" |
    jq 'select(.game_id == "401772994") | .espn | length' |
    awk '{n += $1} END {print n}')" 472
expect_eq "game lines passed" "$(grep -c '"type":"game"' "$T/out")" \
    "$(grep -c '"type":"game"' "$T/espn")"
exit 0
