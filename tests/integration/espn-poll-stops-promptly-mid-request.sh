#!/bin/sh
# SIGTERM while requests hang (the server answers after 20 s): espn-poll
# abandons them and exits 0 at once, writing nothing it did not fetch
# (and, under the sanitizers, leaking nothing).
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/espn-sim.sh"

sim_start --speed 1 --fault slow=20000
"$BIN/espn-poll" --base-url "$SIM_URL" --game "$SIM_GAME" --timeout 60s \
    --ready-fd 3 3>"$T/ready" >"$T/out" 2>"$T/err" &
pid=$!; bg $pid
wait_ready "$T/ready" || fail "not ready"
# Both scoreboards and the summary are in flight.
wait_for sh -c "curl -s http://127.0.0.1:$SIM_PORT/_sim/status | jq -e '(.counts.scoreboard // 0) + (.counts.summary // 0) >= 3'" ||
    fail "requests not made"
start=$(date +%s)
kill -TERM $pid
rc=0; wait $pid || rc=$?
took=$(( $(date +%s) - start ))
expect_eq "exit status" "$rc" 0
[ $took -le 3 ] || fail "took ${took}s to stop"
expect_eq "lines written" "$(wc -l <"$T/out" | tr -d ' ')" 0
