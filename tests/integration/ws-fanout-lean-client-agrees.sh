#!/bin/sh
# ws-load -F, the benchmark's own WebSocket client, sees what the
# libwebsockets client sees: the same snapshot (here larger than the
# client queue limit, so it comes in fragments) and the same updates,
# byte for byte; the server's close code after its error message; a
# refused upgrade as a failed client; and it answers pings.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/ws-load.sh"
start_fanout --stats-interval 60s -Q 16384 --ping-interval 1s \
    --pong-timeout 1s
G=401800001
feed -i $G -E 240 -K 1200 -r 20 -n 40 -e 77 -W "$T/clients-ready" &
FEED=$!
bg $FEED
wait_game $G
lean_agrees_with_lws -F 3 30
python3 - "$T/lean/client-0.ndjson" <<'PYEOF' || fail "message checks"
import json, sys
lines = open(sys.argv[1]).read().splitlines()
snap = json.loads(lines[0])
assert snap["type"] == "snapshot" and len(snap["kalshi"]) == 1200
assert len(lines[0]) > 16384, len(lines[0])	# fragmented by the server
assert json.loads(lines[-2])["seq"] == 41
PYEOF
# Pings every second for 3 s: answered, so the client stays.
"$LOAD" clients -F -a "127.0.0.1:$PORT" -g $G -n 1 -d 3 -t 10 \
    >"$T/ping.json" || fail "lean client did not stay: $(cat "$T/ping.json")"
expect_eq "closed for want of a pong" "$(curl -sf "$HTTP/metrics" |
    grep -c 'rejected_total{reason="pong"} 0$')" 1
# Unknown game: the error message, then the server's close code.
mkdir "$T/d"
"$LOAD" clients -F -a "127.0.0.1:$PORT" -g 12345 -n 1 -D "$T/d" -d 1 \
    -t 10 >/dev/null 2>&1 || true
expect_eq "error first" "$(head -n 1 "$T/d/client-0.ndjson" | jq -r .code)" \
    unknown_game
expect_eq "close code" "$(tail -n 1 "$T/d/client-0.ndjson")" \
    '{"type":"_closed","code":4404}'
# A refused upgrade (404 for a path that is no game's) fails the client.
if "$LOAD" clients -F -a "127.0.0.1:$PORT" -P /nowhere/ -g $G -n 1 -t 10 \
    >"$T/refused.json" 2>"$T/refused.err"; then
	fail "a refused upgrade counted as a success"
fi
grep -q 'upgrade refused: HTTP/1.1 404' "$T/refused.err" ||
    fail "no reason given: $(cat "$T/refused.err")"
expect_eq "failed" "$(jq .failed "$T/refused.json")" 1
