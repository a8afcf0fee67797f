#!/bin/sh
# Headless Chromium opens the viewer at / on one origin (nginx with the
# project's contrib/nginx/courtside.conf in front of the pipeline and
# live-games, no ?api=): the page lists the game from /api/live/games,
# shows its score and draws ESPN and Kalshi points from /ws/live/ID, all
# through nginx; it never asks the existing application's /api/games.
# (The Chromium flags are those of e2e-viewer-page-draws-the-game.)
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/pipeline.sh"
. "$ROOT/tests/lib/nginx.sh"
CHROME=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROME" ] || fail "chromium not installed (make deps)"
nginx_available || fail "nginx is not installed (make deps)"
pl_init "$T"
pl_sims 120 600
pl_db
pl_all
NGINX_WS=$PL_WS_PORT NGINX_LIVE=$PL_API_PORT NGINX_APP=$(free_port)
nginx_start
O=http://127.0.0.1:$NGINX_PORT
WAIT_SECS=30 wait_for sh -c "curl -sf $O/api/live/games |
    grep -q '\"game_id\":\"$PL_GAME\"'" || fail "the game is not live in live-games"
chrome() {	# the flags a closed network needs, a fresh profile each time
	profile=$1; shift
	timeout 90 "$CHROME" --headless --no-sandbox --disable-gpu --disable-quic \
	    --no-first-run --disable-background-networking \
	    --disable-component-update --disable-sync \
	    --user-data-dir="$T/profile-$profile" --window-size=1200,800 \
	    --virtual-time-budget=8000 "$@" 2>>"$T/chrome.err"
}
# No ?game=: the page picks the first game of the list it loaded.
chrome dom --dump-dom "$O/" >"$T/dom.html" || fail "chromium: $(tail -n 3 "$T/chrome.err")"
chrome shot --screenshot="$T/viewer.png" "$O/?game=$PL_GAME" >/dev/null ||
    fail "chromium screenshot: $(tail -n 3 "$T/chrome.err")"
cp "$T/viewer.png" "${ARTIFACT_DIR:-$T}/viewer-one-origin.png" 2>/dev/null || true
grep -q "data-game=\"$PL_GAME\"" "$T/dom.html" || fail "the game is not listed"
score=$(sed -n 's/.*id="score">\([^<]*\)<.*/\1/p' "$T/dom.html")
echo "$score" | grep -Eq '^NY [0-9]+ – [0-9]+ IND$' || fail "score line: '$score'"
pts=$(sed -n 's/.*data-points="\([0-9]*\)".*/\1/p' "$T/dom.html")
[ "${pts:-0}" -ge 20 ] || fail "points drawn: '${pts:-none}'"
counts=$(sed -n 's/.*id="counts">\([^<]*\)<.*/\1/p' "$T/dom.html")
echo "$counts" | grep -Eq '^[1-9][0-9]* ESPN points, [1-9][0-9]* Kalshi points' ||
    fail "counts: '$counts'"
test -s "$T/viewer.png" || fail "no screenshot"
# What the page asked the origin, as nginx logged it.
log=$NGINX_DIR/access.log
grep -q "\"GET / HTTP/1.1\" 200 .*up=127.0.0.1:$PL_WS_PORT" "$log" || fail "/ not from ws-fanout"
grep -q "\"GET /api/live/games HTTP/1.1\" 200 .*up=127.0.0.1:$PL_API_PORT" "$log" ||
    fail "the page did not load /api/live/games"
# (a WebSocket is logged when it closes, as Chromium exits)
wait_for grep -q "\"GET /ws/live/$PL_GAME HTTP/1.1\" 101 " "$log" ||
    fail "no WebSocket through nginx"
if grep '"GET /api/games' "$log"; then fail "the page asked the application's /api/games"; fi
