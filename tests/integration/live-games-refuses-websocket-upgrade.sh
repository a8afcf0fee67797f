#!/bin/sh
# live-games-refuses-websocket-upgrade: a WebSocket upgrade, on any path
# (the viewer's /ws/live/ID, the API's own path), is answered at once
# with 400 and a JSON body, never 101: a Python websockets client fails
# fast with the status, curl gets the body, and the server keeps serving.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/livegames.sh"
PY=
for p in python3 /usr/bin/python3; do
	"$p" -c 'import websockets' >/dev/null 2>&1 && { PY=$p; break; }
done
[ -n "$PY" ] || skip "python3 websockets not installed"
command -v jq >/dev/null 2>&1 || skip "jq not installed"
lg_start

for path in /ws/live/401772994 /api/live/games /; do
	"$PY" - "ws://127.0.0.1:$PORT$path" >"$T/py" 2>&1 <<'PY' || true
import asyncio, sys, time
import websockets
async def main():
    t0 = time.monotonic()
    try:
        async with websockets.connect(sys.argv[1], open_timeout=5):
            print("opened")
    except websockets.exceptions.InvalidStatusCode as e:
        print("status %d %.2f" % (e.status_code, time.monotonic() - t0))
    except Exception as e:
        print("error %s %.2f" % (type(e).__name__, time.monotonic() - t0))
asyncio.run(main())
PY
	read -r what code secs <"$T/py" || fail "$path: no result: $(cat "$T/py")"
	expect_eq "$path: python client" "$what $code" "status 400"
	lg_within 1 "$secs" || fail "$path: refused after ${secs}s"
done

# curl with the upgrade headers: the JSON body, the connection closed.
curl -s -m 3 -D "$T/h" -o "$T/b" -H 'Connection: Upgrade' \
    -H 'Upgrade: websocket' -H 'Sec-WebSocket-Version: 13' \
    -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' \
    "$B/ws/live/401772994" || fail "curl: no answer"
grep -q '^HTTP/1.1 400' "$T/h" || fail "curl: $(head -n 1 "$T/h")"
expect_eq "error code" "$(jq -r .error "$T/b")" websocket_refused
expect_eq "status field" "$(jq -r .status "$T/b")" 400

# Raw: 400 within a second, closed, and nothing after it.
lg_raw 'GET /ws/live/401772994 HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n' 3 >/dev/null
[ "$STATE" = closed ] || fail "raw upgrade: connection left $STATE"
lg_within 1 "$SECS" || fail "raw upgrade: closed after $SECS s"
grep -aq '^HTTP/1.1 101' "$T/raw" && fail "raw upgrade: 101"
expect_eq "one answer" "$(lg_responses)" 1

# On a kept-alive connection, after a HEAD: the refusal still has its body.
lg_raw 'HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /ws/live/401772994 HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n' 3 >/dev/null
expect_eq "after HEAD: answers" "$(lg_responses)" 2
grep -aq '"error":"websocket_refused"' "$T/raw" ||
    fail "after HEAD: no body: $(cat "$T/raw")"

expect_eq "still serving" \
    "$(curl -s -o /dev/null -w '%{http_code}' "$B/api/live/games")" 200
curl -s "$B/metrics" | grep -q '^live_games_refused_total{reason="websocket_upgrade"} 6$' ||
    fail "metrics: $(curl -s "$B/metrics" | grep refused)"
kill -0 $LG || fail "live-games died"
exit 0
