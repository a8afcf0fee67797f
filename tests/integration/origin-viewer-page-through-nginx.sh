#!/bin/sh
# Headless Chromium opens the viewer at / on one origin (nginx with the
# project's contrib/nginx/courtside.conf in front of the pipeline and
# live-games, no ?api=): the page lists the game from /api/live/games,
# shows its score and draws ESPN and Kalshi points from /ws/live/ID, all
# through nginx; it never asks the existing application's /api/games.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/pipeline.sh"
. "$ROOT/tests/lib/nginx.sh"
. "$ROOT/tests/lib/viewer.sh"
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
# No ?game=: the page picks the first game of the list it loaded.
viewer_render "$O/" viewer-one-origin
viewer_check_drawn "$PL_GAME"
# What the page asked the origin, as nginx logged it.
log=$NGINX_DIR/access.log
grep -q "\"GET / HTTP/1.1\" 200 .*up=127.0.0.1:$PL_WS_PORT" "$log" || fail "/ not from ws-fanout"
grep -q "\"GET /api/live/games HTTP/1.1\" 200 .*up=127.0.0.1:$PL_API_PORT" "$log" ||
    fail "the page did not load /api/live/games"
# (a WebSocket is logged when it closes, as Chromium exits)
wait_for grep -q "\"GET /ws/live/$PL_GAME HTTP/1.1\" 101 " "$log" ||
    fail "no WebSocket through nginx"
if grep '"GET /api/games' "$log"; then fail "the page asked the application's /api/games"; fi
