#!/bin/sh
# live-games-slowloris-does-not-lock-out: a slowloris of 500 connections
# from one address (half a request each, then holding), more than the
# open-files limit (256 here), does not keep a client from another
# address out: its /healthz is answered at once (well under a second),
# since the connections over --max-pending-per-ip are closed at accept.
# Before, the 500 filled the open files and /healthz got nothing.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/livegames.sh"
python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.2", 0))' \
    2>/dev/null || skip "cannot bind 127.0.0.2"
LG_NOFILE=256 lg_start --request-timeout 10s
lg_hold 500 127.0.0.2 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: '

for i in 1 2 3; do
	t=$(curl -s -m 2 -o "$T/b" -w '%{http_code} %{time_total}' \
	    "$B/healthz") || fail "healthz $i: curl exit $? ($t)"
	expect_eq "healthz $i" "${t% *}" 200
	lg_within 1 "${t#* }" || fail "healthz $i took ${t#* } s"
done
curl -s "$B/metrics" >"$T/m"
# The default cap (64) let in 64 of them; the rest were closed at accept.
grep -q '^live_games_refused_total{reason="max_pending_per_ip"} 436$' "$T/m" ||
    fail "refused: $(grep refused "$T/m")"
grep -q '^live_games_connections 6[45]$' "$T/m" ||
    fail "connections: $(grep '^live_games_connections' "$T/m")"
kill -0 $LG || fail "live-games died"
# A stop with the 64 still open frees everything (sanitizer builds).
kill -TERM $LG
rc=0
wait $LG || rc=$?
expect_eq "exit after SIGTERM" $rc 0
kill -TERM $HOLD
wait $HOLD || true
expect_eq "closed by the server" "$(cat "$T/hold.closed")" 500
exit 0
