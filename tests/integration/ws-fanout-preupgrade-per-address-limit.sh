#!/bin/sh
# shellcheck disable=SC2119 # start_fanout takes optional arguments
# 128 idle sockets from one address (127.0.0.2) do not stall /healthz
# for another (it took 7 s when they held lws' whole header pool): the
# address gets --max-pending-per-ip (16) of them, the rest are closed at
# accept, and a client from 127.0.0.1 is answered at once.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/ws-load.sh"
EP=$ROOT/tests/tools/edge-probe.py
need_py
start_fanout
mkfifo "$T/hold"
python3 "$EP" hold 127.0.0.1 "$PORT" 128 127.0.0.2 <"$T/hold" >"$T/idle" &
bg $!
exec 4>"$T/hold"
wait_lines "$T/idle" 1 || fail "the idle sockets did not connect"
sleep 0.3
t0=$(date +%s%N)
curl -sf -m 5 "$HTTP/healthz" >/dev/null || fail "/healthz did not answer"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ "$ms" -lt 1000 ] || fail "/healthz took $ms ms beside 128 idle sockets"
wait_for sh -c "[ \$(grep -c '^closed' '$T/idle') -ge 112 ]" ||
    fail "$(grep -c '^closed' "$T/idle") of the 128 closed at accept, not 112"
expect_eq "refused" "$(metric 'ws_fanout_preupgrade_closed_total{reason="per_ip"}')" 112
# The 16 held, and the request for /metrics itself.
expect_eq "pending" "$(metric ws_fanout_preupgrade_connections)" 17
# An upgrade from the same address waits its turn, but another one is in.
expect_eq "other address" "$("$PY" "$PROBE" hold "$URL/401800001" 1 127.0.0.3 </dev/null)" 101
exec 4>&-
