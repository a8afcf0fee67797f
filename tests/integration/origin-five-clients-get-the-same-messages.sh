#!/bin/sh
# Five Python websockets clients connected at once through nginx (the
# project's contrib/nginx/courtside.conf) to a game being played: each gets
# a snapshot and then live updates, and once the feed stops all five hold
# the very same series (the same ESPN and Kalshi points, the same seq).
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/pipeline.sh"
. "$ROOT/tests/lib/nginx.sh"
. "$ROOT/tests/lib/ws-load.sh"
need_py
nginx_available || fail "nginx is not installed (make deps)"
pl_game_live
NGINX_WS=$PL_WS_PORT NGINX_LIVE=$(free_port) NGINX_APP=$(free_port)
nginx_start
# Until ws-fanout holds both series (kalshi-tap may still be catching up).
WAIT_SECS=30 wait_for sh -c "'$PY' '$PROBE' recv 'ws://127.0.0.1:$NGINX_PORT/ws/live/$PL_GAME' 1 10 |
    jq -e '(.espn | length) > 0 and (.kalshi | length) > 0'" ||
    fail "ws-fanout never had both series"

# Each client: connect (all five before any reads on), then every message
# until 3 s pass without one; print its series as the messages built it.
"$PY" - "ws://localhost:$NGINX_PORT/ws/live/$PL_GAME" "$T/connected" \
    >"$T/clients.json" 2>"$T/clients.err" <<'EOF' &
import asyncio, json, sys, websockets
url, marker = sys.argv[1], sys.argv[2]
async def run(ws):
    got = {"messages": 0, "updates": 0, "seq": None, "espn": [], "kalshi": []}
    while True:
        try:
            m = json.loads(await asyncio.wait_for(ws.recv(), 3))
        except asyncio.TimeoutError:
            return got
        got["messages"] += 1
        if m["type"] == "snapshot":
            got["espn"], got["kalshi"] = m["espn"], m["kalshi"]
        elif m["type"] == "update":
            got["updates"] += 1
            got["espn"] += m.get("espn", [])
            got["kalshi"] += m.get("kalshi", [])
        got["seq"] = m.get("seq", got["seq"])
async def main():
    conns = await asyncio.gather(*[websockets.connect(url, max_size=None)
                                   for _ in range(5)])
    open(marker, "w").write("5\n")
    for r in await asyncio.gather(*[run(ws) for ws in conns]):
        print(json.dumps(r, sort_keys=True))
    for ws in conns:
        await ws.close()
asyncio.run(main())
EOF
CPID=$!
bg "$CPID"
wait_for test -s "$T/connected" || fail "clients did not connect: $(cat "$T/clients.err")"
sleep 3	# live updates flow (the game runs at 120x)
pl_kill espn-poll
pl_kill kalshi-tap
wait "$CPID" || fail "clients: $(tail -n 5 "$T/clients.err")"
expect_eq clients "$(wc -l <"$T/clients.json")" 5
jq -e 'select(.updates < 1 or (.espn | length) < 20 or (.kalshi | length) < 1)' \
    "$T/clients.json" >/dev/null && fail "a client got no live updates: $(jq -c \
    '{messages, updates, seq, espn: (.espn | length), kalshi: (.kalshi | length)}' \
    "$T/clients.json")"
expect_eq "distinct series among the five" "$(jq -c '{seq, espn, kalshi}' \
    "$T/clients.json" | sort -u | wc -l)" 1
expect_eq "upgrades through nginx" \
    "$(grep -c "\"GET /ws/live/$PL_GAME HTTP/1.1\" 101" "$NGINX_DIR/access.log" |
    awk '{ print ($1 >= 5) }')" 1
