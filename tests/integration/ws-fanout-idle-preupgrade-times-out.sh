#!/bin/sh
# shellcheck disable=SC2119 # start_fanout takes optional arguments
# Every connection has a deadline before the upgrade (--request-timeout,
# default 5 s), whatever state it stalls in: a CONNECT that lws turns
# raw, a socket that never sends a byte, a request line without headers,
# a kept-alive connection between requests. Each is closed within the
# deadline (+1 s), and /healthz answers for others meanwhile. (lws 4.1
# left the CONNECT and the silent socket open for good.)
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/ws-load.sh"
EP=$ROOT/tests/tools/edge-probe.py
start_fanout
mkfifo "$T/hold"
python3 "$EP" hold 127.0.0.1 "$PORT" 1 127.0.0.2 \
    'CONNECT / HTTP/1.1\r\nHost: x\r\n\r\n' <"$T/hold" >"$T/connect" &
bg $!
python3 "$EP" hold 127.0.0.1 "$PORT" 1 127.0.0.3 <"$T/hold" >"$T/silent" &
bg $!
python3 "$EP" hold 127.0.0.1 "$PORT" 1 127.0.0.4 'GET /healthz HTTP/1.1\r\n' \
    <"$T/hold" >"$T/partial" &
bg $!
python3 "$EP" hold 127.0.0.1 "$PORT" 1 127.0.0.5 \
    'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n' <"$T/hold" >"$T/keepalive" &
bg $!
exec 4>"$T/hold"
# Meanwhile the server answers others at once.
sleep 1
t0=$(date +%s%N)
curl -sf -m 2 "$HTTP/healthz" >/dev/null || fail "/healthz did not answer"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ "$ms" -lt 500 ] || fail "/healthz took $ms ms"
for k in connect silent partial keepalive; do
	WAIT_SECS=8 wait_lines "$T/$k" 2 || fail "$k: still open: $(cat "$T/$k")"
	secs=$(awk '/^closed/ { print $3 }' "$T/$k")
	awk -v s="$secs" 'BEGIN { exit !(s >= 4.5 && s <= 6.5) }' ||
	    fail "$k closed after $secs s, not within the 5 s deadline"
done
exec 4>&-
expect_eq "counted" "$(metric 'ws_fanout_preupgrade_closed_total{reason="timeout"}')" 4
