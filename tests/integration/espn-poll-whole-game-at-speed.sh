#!/bin/sh
# The recorded game replayed live at 1500x: espn-poll writes exactly one
# wp line per winprobability entry (472), in seq order, with the
# fixture's values and wallclocks; game lines follow the score to the
# final; SIGTERM exits 0.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/espn-sim.sh"

sim_start --speed 1500 --start-offset -3
"$BIN/espn-poll" --base-url "$SIM_URL" --date "$SIM_DATE" \
    --scoreboard-interval 150ms --interval 100ms --ready-fd 3 \
    3>"$T/ready" >"$T/out" 2>"$T/err" &
pid=$!; bg $pid
wait_ready "$T/ready" || fail "espn-poll not ready"
WAIT_SECS=40 wait_grep '"type":"game".*"state":"post"' "$T/out" ||
    fail "no final game line: $(tail -3 "$T/err")"
WAIT_SECS=10 wait_for grep -q 'msg="game finished"' "$T/err" ||
    fail "game not finished"
kill -TERM $pid
rc=0; wait $pid || rc=$?
expect_eq "exit status after SIGTERM" "$rc" 0

sim_expected_wp "$SIM_FIXTURE" >"$T/want"
wp_fields_by_seq "$T/out" >"$T/got"
# Written in seq order but for plays ESPN published late (at most a few).
late=$(wp_fields "$T/out" | awk -F '\t' '$2 < max { n++ } $2 > max { max = $2 } END { print n + 0 }')
[ "$late" -le 3 ] || fail "$late points out of seq order"
expect_eq "wp lines" "$(wc -l <"$T/got" | tr -d ' ')" 472
cmp -s "$T/want" "$T/got" || { diff "$T/want" "$T/got" | head >&2; fail "wp lines differ from the fixture"; }
expect_eq "distinct play ids" "$(cut -f1 "$T/got" | sort -u | wc -l | tr -d ' ')" 472
# away = 1 - home - tie, within rounding.
bad=$(jq -r 'select(.type == "wp") | select((.home + .away + .tie - 1) | fabs > 1e-9) | .play_id' "$T/out" | wc -l)
expect_eq "points whose probabilities do not sum to 1" "$bad" 0

# Game lines: never a score that goes down, states pre/in -> post, final 125-108.
jq -c 'select(.type == "game") | [.state, .home.score, .away.score]' "$T/out" >"$T/games"
[ "$(wc -l <"$T/games")" -ge 10 ] || fail "too few game lines: $(wc -l <"$T/games")"
awk -F'[],[]' '{ if ($3 < h || $4 < a) bad = 1; h = $3; a = $4 } END { exit bad }' "$T/games" ||
    fail "a game line's score went down"
expect_eq "last game line" "$(tail -n 1 "$T/games")" '["post",125,108]'
[ "$(grep -c '^\["in"' "$T/games")" -ge 8 ] || fail "too few game lines in play"
expect_eq "post game lines" "$(grep -c '^\["post"' "$T/games")" 1
grep -q '"type":"source".*"state":"ok"' "$T/out" || fail "no source ok line"
! grep -q '"state":"degraded"' "$T/out" || fail "degraded without faults"
