#!/bin/sh
# shellcheck disable=SC2119 # start_fanout takes optional arguments
# Strict before the 101: Sec-WebSocket-Version missing, 8 or 99 gets 426
# with "Sec-WebSocket-Version: 13"; a Sec-WebSocket-Key that is not 16
# bytes of base64 gets 400; conflicting Content-Length headers and a
# Transfer-Encoding on a GET get 400 and the connection closed, the
# "body" never read as a second request (RFC 9112 §6.3); an h2c upgrade
# offer is ignored and the request answered over HTTP/1.1 (was a 404).
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/ws-load.sh"
EP=$ROOT/tests/tools/edge-probe.py
start_fanout
G=401800001
feed_sync -i $G -E 2 -K 2 -n 1 -w 0
send() { python3 "$EP" send 127.0.0.1 "$PORT" "$1" 2; }
up="GET /ws/live/$G HTTP/1.1\\r\\nHost: x\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\n"
key='Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n'
for v in '' 'Sec-WebSocket-Version: 8\r\n' 'Sec-WebSocket-Version: 99\r\n'; do
	out=$(send "$up$key$v\\r\\n")
	expect_eq "version '$v'" "$(echo "$out" | head -n 2 | tr -d '\r' | tr '\n' '|')" \
	    "HTTP/1.1 426 Upgrade Required|sec-websocket-version: 13|"
done
for k in '' 'Sec-WebSocket-Key: c2hvcnQ=\r\n' 'Sec-WebSocket-Key: not base64 at all!!!!!!\r\n'; do
	out=$(send "$up${k}Sec-WebSocket-Version: 13\\r\\n\\r\\n")
	expect_eq "key '$k'" "$(echo "$out" | head -n 1 | tr -d '\r')" \
	    "HTTP/1.1 400 Bad Request"
done
expect_eq "good handshake" "$(send "$up${key}Sec-WebSocket-Version: 13\\r\\n\\r\\n" |
    head -n 1 | tr -d '\r')" "HTTP/1.1 101 Switching Protocols"
# Two Content-Length values: one 400, then closed; the 10 "body" bytes
# (a request of their own) are never answered.
out=$(send 'GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nContent-Length: 10\r\n\r\nGET / HTTP/1.1\r\n\r\n')
expect_eq "conflicting Content-Length" "$(echo "$out" | grep -c '^HTTP/')|$(echo "$out" | head -n 1 | tr -d '\r')" \
    "1|HTTP/1.1 400 Bad Request"
echo "$out" | grep -q '^closed' || fail "not closed after the 400: $out"
out=$(send 'GET /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n')
expect_eq "Transfer-Encoding" "$(echo "$out" | grep -c '^HTTP/')|$(echo "$out" | head -n 1 | tr -d '\r')" \
    "1|HTTP/1.1 400 Bad Request"
out=$(send "$up${key}Sec-WebSocket-Version: 13\\r\\nContent-Length: 1\\r\\nContent-Length: 2\\r\\n\\r\\n")
expect_eq "upgrade with conflicting lengths" "$(echo "$out" | head -n 1 | tr -d '\r')" \
    "HTTP/1.1 400 Bad Request"
# The same value twice is one length, as RFC 9110 allows.
expect_eq "repeated Content-Length" "$(send 'GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nContent-Length: 0\r\n\r\n' |
    head -n 1 | tr -d '\r')" "HTTP/1.1 200 OK"
# h2c: answered over HTTP/1.1, with the JSON of /healthz.
curl -sf -m 3 --http2 -o "$T/h2c" -w '%{http_version} %{http_code}\n' \
    "$HTTP/healthz" >"$T/h2c.status" || fail "curl --http2 failed"
expect_eq "h2c offer" "$(cat "$T/h2c.status")" "1.1 200"
grep -q '"status":"ok"' "$T/h2c" || fail "h2c body: $(cat "$T/h2c")"
expect_eq "counted" "$(metric 'ws_fanout_preupgrade_closed_total{reason="bad_handshake"}')" 6
