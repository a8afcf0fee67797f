#!/bin/sh
# --output unix:PATH: a consumer that connects gets espn-poll's state
# first: the game line, every wp point so far (472) and the source line;
# a consumer restarted later gets the same again. Polls that bring nothing
# new write nothing.
. "$ROOT/tests/lib.sh"
need_cmd jq
R=$BIN/ndjson-relay
need_built ndjson-relay
sock=$T/espn.sock

"$R" "unix:$sock" --ready-fd 3 3>"$T/ready1" >"$T/down1" 2>/dev/null &
d1=$!; bg $d1
wait_ready "$T/ready1" || fail "listener 1 not ready"
"$BIN/espn-poll" --base-url "file://$DATA/espn" --scoreboard-interval 0 \
    --game 401772994 --interval 100ms --output "unix:$sock" --ready-fd 3 \
    3>"$T/ready" 2>"$T/err" &
pid=$!; bg $pid
wait_ready "$T/ready" || fail "espn-poll not ready"
wait_lines "$T/down1" 474 || fail "listener 1 got $(wc -l <"$T/down1") lines"
wait_for grep -q 'msg="game finished"' "$T/err" || fail "not finished"
expect_eq "wp lines" "$(grep -c '"type":"wp"' "$T/down1")" 472

kill "$d1"; wait "$d1" 2>/dev/null || true
"$R" "unix:$sock" --ready-fd 3 3>"$T/ready2" >"$T/down2" 2>/dev/null &
bg $!
wait_ready "$T/ready2" || fail "listener 2 not ready"
wait_lines "$T/down2" 474 || fail "listener 2 got $(wc -l <"$T/down2") lines"
expect_eq "first resent line" "$(head -n 1 "$T/down2" | jq -c '[.type, .state]')" '["game","post"]'
jq -r 'select(.type == "wp") | .play_id' "$T/down1" >"$T/ids1"
jq -r 'select(.type == "wp") | .play_id' "$T/down2" >"$T/ids2"
cmp -s "$T/ids1" "$T/ids2" || fail "resent points differ"
expect_eq "resent source" "$(tail -n 1 "$T/down2" | jq -c '[.type, .state]')" '["source","ok"]'
sleep 0.3	# a few more polls of the same file: nothing new
expect_eq "lines after idle polls" "$(wc -l <"$T/down2" | tr -d ' ')" 474
kill -TERM $pid; rc=0; wait $pid || rc=$?
expect_eq "exit status" "$rc" 0
