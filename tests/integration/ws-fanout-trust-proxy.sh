#!/bin/sh
# --trust-proxy 127.0.0.1: connections from it are counted by the client
# address X-Forwarded-For names (the rightmost one not trusted), so 11
# viewers behind the proxy with 11 addresses all connect, while 11 with
# one address meet the per-address limit (10): the 11th gets 429. A
# malformed value keeps the proxy's address and is counted.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/ws-load.sh"
EP=$ROOT/tests/tools/edge-probe.py
start_fanout --trust-proxy 127.0.0.1,10.0.0.0/8
G=401800001
feed_sync -i $G -E 2 -K 2 -n 1 -w 0
mkfifo "$T/hold"
python3 "$EP" hold-ws 127.0.0.1 "$PORT" "/ws/live/$G" 11 \
    '203.0.113.%d, 10.1.2.3' <"$T/hold" >"$T/many" &
bg $!
python3 "$EP" hold-ws 127.0.0.1 "$PORT" "/ws/live/$G" 11 '198.51.100.7' \
    <"$T/hold" >"$T/one" &
bg $!
exec 4>"$T/hold"
wait_lines "$T/many" 11 || fail "many: $(cat "$T/many")"
wait_lines "$T/one" 11 || fail "one: $(cat "$T/one")"
expect_eq "11 addresses" "$(sort -u "$T/many" | tr '\n' ' ')" "101 "
expect_eq "one address, first ten" "$(head -n 10 "$T/one" | sort -u)" 101
expect_eq "one address, eleventh" "$(tail -n 1 "$T/one")" 429
# Not an address: the proxy's own is used (it has none counted yet).
expect_eq "malformed" "$(python3 "$EP" hold-ws 127.0.0.1 "$PORT" "/ws/live/$G" 1 unknown </dev/null)" 101
expect_eq "malformed counted" "$(metric ws_fanout_forwarded_malformed_total)" 1
exec 4>&-
