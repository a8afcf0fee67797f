#!/bin/sh
# live-games-trusts-only-its-proxies: with --trust-proxy, the client in
# live-games' logs is the address a trusted proxy names in
# X-Forwarded-For (the rightmost hop it did not write itself) or
# X-Real-IP; the same headers from any other peer are ignored (a client
# cannot forge its address); a malformed value from a trusted proxy
# leaves the proxy's address and is counted in /metrics. The default
# trusts no one.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/livegames.sh"
python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.2", 0))' \
    2>/dev/null || skip "cannot bind 127.0.0.2"
lg_start -v --trust-proxy 127.0.0.2/32,10.0.0.0/8

UP='GET /ws/live/401772994 HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n'
# client_seen SRC HEADERS: the client= of the "upgrade refused" line
# logged for one refused upgrade from SRC carrying HEADERS.
n=0
client_seen() {
	lg_raw "$UP$2\\r\\n" 2 "$1" >/dev/null
	n=$((n + 1))
	wait_lines_matching "upgrade refused" $n ||
	    fail "no log line $n: $(tail -n 5 "$T/lg.err")"
	grep 'msg="upgrade refused"' "$T/lg.err" | tail -n 1 |
	    sed 's/.*client=\([^ ]*\).*/\1/'
}
wait_lines_matching() {
	wait_for sh -c "[ \$(grep -c 'msg=\"$1\"' '$T/lg.err') -ge $2 ]"
}

expect_eq "trusted proxy, one hop" \
    "$(client_seen 127.0.0.2 'X-Forwarded-For: 203.0.113.9\r\n')" 203.0.113.9
expect_eq "trusted proxy, rightmost untrusted hop" \
    "$(client_seen 127.0.0.2 'X-Forwarded-For: 198.51.100.1, 203.0.113.9, 10.1.2.3\r\n')" \
    203.0.113.9
expect_eq "trusted proxy, two header lines" \
    "$(client_seen 127.0.0.2 'X-Forwarded-For: 198.51.100.1\r\nX-Forwarded-For: 203.0.113.5\r\n')" \
    203.0.113.5
expect_eq "trusted proxy, X-Real-IP" \
    "$(client_seen 127.0.0.2 'X-Real-IP: 203.0.113.44\r\n')" 203.0.113.44
expect_eq "untrusted peer forging X-Forwarded-For" \
    "$(client_seen 127.0.0.1 'X-Forwarded-For: 203.0.113.9\r\n')" 127.0.0.1
expect_eq "untrusted peer forging X-Real-IP" \
    "$(client_seen 127.0.0.1 'X-Real-IP: 203.0.113.9\r\n')" 127.0.0.1
expect_eq "trusted proxy, malformed" \
    "$(client_seen 127.0.0.2 'X-Forwarded-For: 203.0.113.9, not-an-address\r\n')" \
    127.0.0.2
curl -s "$B/metrics" >"$T/m"
grep -q '^live_games_proxy_malformed_total 1$' "$T/m" ||
    fail "metrics: $(grep proxy "$T/m")"

# A bad list is a usage error.
rc=0
"$BIN/live-games" --trust-proxy 10.0.0.0/33 2>"$T/bad" || rc=$?
expect_eq "bad CIDR: exit" $rc 64
grep -q -- '--trust-proxy' "$T/bad" || fail "bad CIDR: $(cat "$T/bad")"
kill -0 $LG || fail "live-games died"

# Without --trust-proxy no one is believed.
lg_start -v
expect_eq "default, from 127.0.0.2" \
    "$(client_seen 127.0.0.2 'X-Forwarded-For: 203.0.113.9\r\n')" 127.0.0.2
exit 0
