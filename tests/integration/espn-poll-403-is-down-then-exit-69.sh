#!/bin/sh
# ESPN answering 403 (blocked): espn-poll reports source "down" at once,
# keeps retrying with backoff, and after --give-up failures in a row
# writes a last "down" line and exits 69 (EX_UNAVAILABLE).
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/espn-sim.sh"

sim_start --speed 1 --fault 403
rc=0
timeout 30 "$BIN/espn-poll" --base-url "$SIM_URL" --date "$SIM_DATE" \
    --scoreboard-interval 100ms --retry-base 20ms --give-up 4 \
    >"$T/out" 2>"$T/err" || rc=$?
expect_eq "exit status" "$rc" 69
expect_eq "source states" "$(jq -r 'select(.type == "source") | .state' "$T/out" | tr '\n' ' ')" "down down "
grep -q '"state":"down","detail":"scoreboard 20250531: HTTP 403 (blocked)","retry_in_ms":[0-9]' "$T/out" ||
    fail "first down line: $(cat "$T/out")"
grep -q '"state":"down","detail":"scoreboard 20250531: HTTP 403 (blocked); giving up after 4 failures"' "$T/out" ||
    fail "last down line: $(tail -n 1 "$T/out")"
expect_eq "requests made" "$(jq -r 'select(.status == 403) | .path' "$SIM_LOG" | wc -l | tr -d ' ')" 4
! grep -q '"type":"game"' "$T/out" || fail "game line without data"

# The User-Agent rule: a browser-like agent is refused like ESPN does.
rc=0
timeout 30 "$BIN/espn-poll" --base-url "$SIM_URL" --date "$SIM_DATE" \
    --user-agent 'Mozilla/5.0 (X11; Linux x86_64)' --once \
    >"$T/out2" 2>"$T/err2" || rc=$?
expect_eq "exit status with a browser User-Agent" "$rc" 69
grep -q '"state":"down"' "$T/out2" || fail "no down line for a refused agent"
