#!/bin/sh
# shellcheck disable=SC2119 # start_fanout takes optional arguments
# Without --trust-proxy (the default trusts nothing) X-Forwarded-For is
# ignored: a client sending a different forged address on each of 11
# connections is still counted by its own address, and the 11th gets 429.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/ws-load.sh"
EP=$ROOT/tests/tools/edge-probe.py
start_fanout
G=401800001
feed_sync -i $G -E 2 -K 2 -n 1 -w 0
mkfifo "$T/hold"
python3 "$EP" hold-ws 127.0.0.1 "$PORT" "/ws/live/$G" 11 '203.0.113.%d' \
    <"$T/hold" >"$T/forged" &
bg $!
exec 4>"$T/hold"
wait_lines "$T/forged" 11 || fail "forged: $(cat "$T/forged")"
expect_eq "first ten" "$(head -n 10 "$T/forged" | sort -u)" 101
expect_eq "eleventh" "$(tail -n 1 "$T/forged")" 429
expect_eq "not counted as malformed" "$(metric ws_fanout_forwarded_malformed_total)" 0
exec 4>&-
