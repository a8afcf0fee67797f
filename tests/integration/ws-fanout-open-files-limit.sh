#!/bin/sh
# ws-fanout fits its open-files limit to --max-conns and --max-pending
# (1024 connections not yet upgraded): started from a soft
# limit of 256 it raises it and serves 600 clients; with --max-conns 100
# it lowers a larger one (lws keeps a table the size of the limit and
# walks it on every accept); with a hard limit below what --max-conns
# needs it says how many clients it can serve, a quarter of what is left
# kept for connections not yet upgraded.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/ws-load.sh"
# shellcheck disable=SC3045 # dash and bash both have ulimit -H
[ "$(ulimit -Hn)" = unlimited ] || [ "$(ulimit -Hn)" -ge 1000 ] ||
    skip "hard open-files limit below 1000"
soft() { awk '/^Max open files/ { print $4 }' "/proc/$1/limits"; }
PORT=$(free_port)
sh -c 'ulimit -Sn 256; exec "$@"' sh "$BIN/ws-fanout" \
    --input "unix:$T/in.sock" --listen "127.0.0.1:$PORT" -c 600 -p 1000 \
    --ready-fd 3 3>"$T/ready" 2>>"$T/fanout.log" &
FPID=$!
bg $FPID
wait_ready "$T/ready" || fail "ws-fanout not ready"
HTTP=http://127.0.0.1:$PORT
expect_eq "soft limit raised" "$(soft $FPID)" 1752
feed_sync -i 401800001 -E 2 -K 2 -n 1 -w 0
"$LOAD" clients -F -a "127.0.0.1:$PORT" -g 401800001 -n 600 -S 6 -b 2 \
    -c 2000 -t 30 >"$T/load.json" 2>"$T/load.err" ||
    fail "clients: $(cat "$T/load.json" "$T/load.err" | head -c 600)"
expect_eq "clients with a snapshot" "$(jq .first_msgs "$T/load.json")" 600
kill $FPID
wait $FPID
PORT=$(free_port)
"$BIN/ws-fanout" --listen "127.0.0.1:$PORT" -c 100 --ready-fd 3 \
    3>"$T/ready2" </dev/null 2>>"$T/fanout.log" &
FPID=$!
bg $FPID
wait_ready "$T/ready2" || fail "second ws-fanout not ready"
expect_eq "soft limit lowered" "$(soft $FPID)" 1252
kill $FPID
wait $FPID
PORT=$(free_port)
sh -c 'ulimit -n 512; exec "$@"' sh "$BIN/ws-fanout" \
    --listen "127.0.0.1:$PORT" --ready-fd 3 3>"$T/ready3" </dev/null \
    2>"$T/low.log" &
FPID=$!
bg $FPID
wait_ready "$T/ready3" || fail "third ws-fanout not ready"
grep -q 'msg="open files limit below max-conns" max_conns=15000 hard_limit=512 clients_at_most=288 pending_at_most=96' \
    "$T/low.log" || fail "no warning: $(cat "$T/low.log")"
