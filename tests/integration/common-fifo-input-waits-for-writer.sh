#!/bin/sh
# A FIFO input waits for its writer without blocking the loop (a unix:
# input on the same process keeps working), and the FIFO's EOF ends the
# run with status 0 (socket inputs never reach EOF).
. "$ROOT/tests/lib.sh"
R=$BIN/ndjson-relay
mkfifo "$T/fifo"
"$R" "$T/fifo" "unix:$T/s" --ready-fd 3 3>"$T/ready" >"$T/out" 2>/dev/null &
relay=$!
bg $relay
wait_ready "$T/ready" || fail "not ready"
echo '{"via":"socket"}' | "$R" - --output "unix:$T/s" 2>/dev/null
wait_lines "$T/out" 1 || fail "socket line not delivered while FIFO waits"
echo '{"via":"fifo"}' >"$T/fifo"
wait_lines "$T/out" 2 || fail "FIFO line not delivered"
set +e
wait $relay; rc=$?
expect_eq "exit status at EOF" $rc 0
exit 0
