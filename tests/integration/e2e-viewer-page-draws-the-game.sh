#!/bin/sh
# Headless Chromium opens the viewer page that ws-fanout serves while the
# recorded game runs through the pipeline: the page lists the game, shows
# its score and draws ESPN and Kalshi points. The screenshot is kept in
# the build's test-artifacts folder.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/pipeline.sh"
. "$ROOT/tests/lib/viewer.sh"
for t in espn-poll kalshi-tap aligner ws-fanout kalshi-sim; do
	need_built "$t"
done
pl_init "$T"
# Start ten minutes into the game, at 120x.
pl_sims 120 600
pl_start ws-fanout
pl_start aligner
pl_start espn-poll
pl_start kalshi-tap
WAIT_SECS=30 wait_for sh -c "curl -sf http://127.0.0.1:$PL_WS_PORT/api/games |
    grep -q '\"state\":\"in\"'" || fail "the game is not in the stream"
# The game list, the score line and the chart, as the page rendered them.
viewer_render "http://127.0.0.1:$PL_WS_PORT/?game=$PL_GAME" viewer
viewer_check_drawn "$PL_GAME"
