#!/bin/sh
# --once against a file:// base URL of recorded responses: the scoreboard
# gives one game line per game (7 final games), --game adds that game's
# 472 points and its final line; then exit 0. A missing file is a failed
# fetch: exit 69 with a degraded source line.
. "$ROOT/tests/lib.sh"
need_cmd jq
base=file://$DATA/espn

"$BIN/espn-poll" --once --base-url "$base" --date 20241215 >"$T/out" 2>"$T/err" ||
    fail "exit $?: $(cat "$T/err")"
expect_eq "game lines" "$(grep -c '"type":"game"' "$T/out")" 7
expect_eq "wp lines" "$(grep -c '"type":"wp"' "$T/out")" 0
expect_eq "first game" "$(jq -c 'select(.type == "game") | [.game_id, .state, .home.abbr, .home.score, .away.abbr, .away.score]' "$T/out" | head -n 1)" \
    '["401736810","post","IND",119,"NO",104]'
expect_eq "ids" "$(jq -r 'select(.type == "game") | .game_id' "$T/out" | tr '\n' ' ')" \
    "401736810 401736811 401737902 401736812 401736813 401737912 401736814 "
expect_eq "source" "$(jq -r 'select(.type == "source") | .state' "$T/out")" ok

"$BIN/espn-poll" --once --base-url "$base" --date 20241215 --game 401772994 \
    >"$T/out2" 2>"$T/err2" || fail "exit $?: $(cat "$T/err2")"
expect_eq "game lines" "$(grep -c '"type":"game"' "$T/out2")" 8
expect_eq "wp lines" "$(grep -c '"type":"wp"' "$T/out2")" 472
jq -r 'select(.type == "wp") | .seq' "$T/out2" >"$T/seqs"
sort -n "$T/seqs" | cmp -s - "$T/seqs" || fail "wp lines not in seq order"
expect_eq "final" "$(jq -c 'select(.type == "game" and .game_id == "401772994") | [.state, .home.score, .away.score]' "$T/out2")" \
    '["post",125,108]'
# The game line comes before its points.
expect_eq "first line for the game" "$(grep -m 1 '401772994' "$T/out2" | jq -r .type)" game

rc=0
"$BIN/espn-poll" --once --base-url "$base" --date 20200101 >"$T/out3" 2>"$T/err3" || rc=$?
expect_eq "exit status for a missing file" "$rc" 69
grep -q '"type":"source".*"state":"degraded","detail":"scoreboard 20200101: ' "$T/out3" ||
    fail "no degraded line: $(cat "$T/out3")"

# One game's bad payload does not stop another: 999 has no summary.
rc=0
"$BIN/espn-poll" --once --base-url "$base" --scoreboard-interval 0 \
    --game 999 --game 401772994 >"$T/out4" 2>"$T/err4" || rc=$?
expect_eq "exit status with one bad game" "$rc" 69
expect_eq "wp lines of the good game" "$(grep -c '"type":"wp","src":"espn","game_id":"401772994"' "$T/out4")" 472
grep -q '"type":"source".*"detail":"summary 999: ' "$T/out4" || fail "no source line for the bad game"

# Usage errors exit 64.
rc=0; "$BIN/espn-poll" --date 2024 >/dev/null 2>&1 || rc=$?
expect_eq "bad --date" "$rc" 64
rc=0; "$BIN/espn-poll" --scoreboard-interval 0 >/dev/null 2>&1 || rc=$?
expect_eq "nothing to poll" "$rc" 64
"$BIN/espn-poll" --help | grep -q -- '--replay FILE' || fail "--help"
