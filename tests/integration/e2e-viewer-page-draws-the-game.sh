#!/bin/sh
# Headless Chromium opens the viewer page that ws-fanout serves while the
# recorded game runs through the pipeline: the page lists the game, shows
# its score and draws ESPN and Kalshi points. The screenshot is kept in
# the build's test-artifacts folder.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/pipeline.sh"
. "$ROOT/tests/lib/viewer.sh"
pl_game_live
# The game list, the score line and the chart, as the page rendered them.
viewer_render "http://127.0.0.1:$PL_WS_PORT/?game=$PL_GAME" viewer
viewer_check_drawn "$PL_GAME"
