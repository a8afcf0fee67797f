#!/bin/sh
# The project's validation commands, as written, against one origin: nginx
# with the project's contrib/nginx/courtside.conf in front of the whole
# pipeline on the recorded game. curl http://localhost:PORT/api/live/games
# has games and timestamp; a Python websockets client on
# ws://localhost:PORT/ws/live/ID receives within 10 s a JSON message with
# espn, kalshi or error; an unknown id gets an error message, then the
# close; a client that disconnects and reconnects gets data again.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/pipeline.sh"
. "$ROOT/tests/lib/nginx.sh"
. "$ROOT/tests/lib/ws-load.sh"
need_py
nginx_available || fail "nginx is not installed (make deps)"
pl_init "$T"
pl_sims 120 600
pl_db
pl_all
NGINX_WS=$PL_WS_PORT NGINX_LIVE=$PL_API_PORT NGINX_APP=$(free_port)
nginx_start
O=localhost:$NGINX_PORT

# curl http://localhost:PORT/api/live/games
WAIT_SECS=30 wait_for sh -c "curl -sf http://$O/api/live/games |
    grep -q '\"game_id\":\"$PL_GAME\"'" ||
    fail "the game is not in /api/live/games: $(curl -s "http://$O/api/live/games")"
curl -sf "http://$O/api/live/games" >"$T/games.json" || fail "curl /api/live/games"
jq -e 'has("games") and has("timestamp")' "$T/games.json" >/dev/null ||
    fail "no games and timestamp: $(cat "$T/games.json")"

# ws://localhost:PORT/ws/live/ID: a message within 10 s (first, until
# ws-fanout holds both series: kalshi-tap may still be catching up)
WAIT_SECS=30 wait_for sh -c "'$PY' '$PROBE' recv 'ws://$O/ws/live/$PL_GAME' 1 10 |
    jq -e '(.espn | length) > 0 and (.kalshi | length) > 0'" ||
    fail "ws-fanout never had both series"
check_message() {	# FILE: one JSON message with espn, kalshi or error
	[ -s "$1" ] || fail "no message within 10 s"
	jq -e 'has("espn") or has("kalshi") or has("error")' "$1" >/dev/null ||
	    fail "message without espn, kalshi or error: $(head -c 300 "$1")"
}
"$PY" "$PROBE" recv "ws://$O/ws/live/$PL_GAME" 1 10 >"$T/first" || fail probe
check_message "$T/first"
expect_eq "first message" "$(jq -r .type "$T/first")" snapshot
expect_eq "points" "$(jq '(.espn | length) > 0 and (.kalshi | length) > 0' "$T/first")" true

# An unknown id: the error, then the close.
"$PY" "$PROBE" recv "ws://$O/ws/live/4010000000" 2 10 >"$T/unknown" || fail probe
expect_eq "unknown id" "$(head -n 1 "$T/unknown" | jq -r '.type + " " + .code')" \
    "error unknown_game"
expect_eq "then the close" "$(tail -n 1 "$T/unknown")" '{"_closed": 4404}'

# Disconnect, reconnect: data again, and the later state.
"$PY" - "ws://$O/ws/live/$PL_GAME" >"$T/again" <<'EOF' || fail "reconnect client"
import asyncio, json, sys, websockets
async def once(url):
    async with websockets.connect(url, max_size=None) as ws:
        return json.loads(await asyncio.wait_for(ws.recv(), 10))
async def main(url):
    a = await once(url)          # closes cleanly on leaving the block
    await asyncio.sleep(1)
    b = await once(url)
    print(json.dumps({"first": a["seq"], "again": b["seq"], "type": b["type"],
                      "espn": len(b["espn"]), "kalshi": len(b["kalshi"])}))
asyncio.run(main(sys.argv[1]))
EOF
jq -e '.type == "snapshot" and .espn > 0 and .kalshi > 0 and .again >= .first' \
    "$T/again" >/dev/null || fail "after reconnecting: $(cat "$T/again")"

# All of it went through nginx to the tools behind it.
grep -q "\"GET /api/live/games HTTP/1.1\" 200 .*up=127.0.0.1:$PL_API_PORT" \
    "$NGINX_DIR/access.log" || fail "no /api/live/games in nginx's log"
expect_eq "upgrades through nginx" \
    "$(grep -c "\"GET /ws/live/$PL_GAME HTTP/1.1\" 101 .*up=127.0.0.1:$PL_WS_PORT" \
    "$NGINX_DIR/access.log" | awk '{ print ($1 >= 3) }')" 1
