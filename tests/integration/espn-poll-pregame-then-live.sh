#!/bin/sh
# Before tip-off (the pregame fixture) a --game game gives one game line
# in state pre and no wp lines; unchanged polls are conditional (304, no
# re-parse), ask for gzip and carry the courtside User-Agent. Once the
# simulator jumps to the fourth quarter, the points so far come out.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/espn-sim.sh"

sim_start --speed 1 --start-offset -100000
"$BIN/espn-poll" --base-url "$SIM_URL" --game "$SIM_GAME" \
    --scoreboard-interval 0 --interval 50ms --ready-fd 3 -v \
    3>"$T/ready" >"$T/out" 2>"$T/err" &
pid=$!; bg $pid
wait_ready "$T/ready" || fail "not ready"
wait_for sh -c "[ \$(grep -c 'status\": 304' '$SIM_LOG') -ge 5 ]" ||
    fail "no conditional requests: $(tail -n 2 "$SIM_LOG")"
expect_eq "game lines" "$(jq -c 'select(.type == "game") | [.state, .status, .home.abbr, .away.abbr]' "$T/out")" \
    '["pre","STATUS_SCHEDULED","IND","NY"]'
expect_eq "wp lines before tip-off" "$(grep -c '"type":"wp"' "$T/out")" 0
jq -r '.ua' "$SIM_LOG" | sort -u >"$T/uas"
expect_eq "User-Agent" "$(cat "$T/uas")" "courtside/0.1.0 (+https://github.com/courtside/courtside)"
expect_eq "gzip asked" "$(jq -r '.accept_encoding' "$SIM_LOG" | sort -u)" gzip
expect_eq "first answer gzipped" "$(head -n 1 "$SIM_LOG" | jq -r .gzip)" true
expect_eq "conditional after the first" \
    "$(jq -r 'select(.if_none_match == null) | .path' "$SIM_LOG" | wc -l | tr -d ' ')" 1

# 8100 s after the first play: well into the fourth quarter.
sim_ctl "/_sim/seek?offset=8100" >"$T/seek"
wait_for grep -q '"type":"game".*"state":"in"' "$T/out" || fail "no in game line"
# The points come in one batch, which may still be being written.
wait_for sh -c "[ \$(grep -c '\"type\":\"wp\"' '$T/out') -gt 300 ]" ||
    fail "points after the seek: $(grep -c '"type":"wp"' "$T/out")"
n=$(grep -c '"type":"wp"' "$T/out")
[ "$n" -lt 472 ] || fail "points after the seek: $n, the game is not over"
kill -TERM $pid; rc=0; wait $pid || rc=$?
expect_eq "exit status" "$rc" 0
