#!/bin/sh
# Headless Chromium, which offers permessage-deflate, opens the viewer
# page while the recorded game runs through the pipeline: ws-fanout
# negotiates the extension with it, sends its snapshot compressed, and
# the page still lists the game, shows its score and draws ESPN and
# Kalshi points.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/pipeline.sh"
. "$ROOT/tests/lib/viewer.sh"
pl_game_live
# The game list, the score line and the chart, as the page rendered them.
viewer_render "http://127.0.0.1:$PL_WS_PORT/?game=$PL_GAME" deflate-viewer
viewer_check_drawn "$PL_GAME"
m() { curl -sf "http://127.0.0.1:$PL_WS_PORT/metrics" |
    awk -v n="$1" '$1 == n { print $2 }'; }
n=$(m ws_fanout_deflate_connections_total)
[ "${n:-0}" -ge 1 ] || fail "chromium did not negotiate permessage-deflate ($n)"
z=$(m ws_fanout_deflate_messages_total)
[ "${z:-0}" -ge 1 ] || fail "nothing was compressed ($z)"
note "negotiated=$n compressed=$z in=$(m ws_fanout_deflate_in_bytes_total) out=$(m ws_fanout_deflate_out_bytes_total)"
