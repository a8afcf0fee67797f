#!/bin/sh
# An output to unix:PATH waits for its listener, reconnects after the
# listener restarts, and sends its state first on each new connection.
. "$ROOT/tests/lib.sh"
R=$BIN/ndjson-relay
sock=$T/down.sock
mkfifo "$T/feed"
# Upstream: reads the FIFO, keeps state, writes to a socket nobody serves yet.
"$R" --state "$T/feed" --output "unix:$sock" 2>"$T/up.err" &
bg $!
exec 4>"$T/feed"
printf '{"n":1}\n{"n":2}\n' >&4

# The listener comes up late: it still gets both lines.
"$R" "unix:$sock" --ready-fd 3 3>"$T/ready1" >"$T/down1" 2>/dev/null &
d1=$!
bg $d1
wait_ready "$T/ready1" || fail "listener 1 not ready"
wait_lines "$T/down1" 2 || fail "late listener got $(wc -l <"$T/down1") lines"
printf '{"n":3}\n' >&4
wait_lines "$T/down1" 3 || fail "live line not delivered"

# Restart the listener: the upstream resends its state (n 1..3) first.
kill "$d1"; wait "$d1" 2>/dev/null || true
printf '{"n":4}\n' >&4	# written while nobody listens: queued
"$R" "unix:$sock" --ready-fd 3 3>"$T/ready2" >"$T/down2" 2>/dev/null &
bg $!
wait_ready "$T/ready2" || fail "listener 2 not ready"
wait_lines "$T/down2" 4 || fail "restarted listener got $(wc -l <"$T/down2") lines"
expect_eq "resync order" "$(jq -c .n "$T/down2" | head -n 3 | tr '\n' ' ')" "1 2 3 "
jq -c .n "$T/down2" | grep -qx 4 || fail "line queued while away was lost"
exec 4>&-
