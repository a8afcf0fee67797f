#!/bin/sh
# 200s whose bodies are not JSON, or JSON cut in half, mid-game: each is a
# failure (degraded, "malformed JSON"), then recovery with nothing lost or
# repeated; the scoreboard getting the same keeps the tool running.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/espn-sim.sh"

poll_game_with_faults 'malformed:2@summary' 'truncate:1@summary' 'malformed:1@scoreboard'
source_recovered
grep -q '"state":"degraded","detail":"[a-z]* [0-9]*: malformed JSON' "$T/out" ||
    fail "degraded detail: $(cat "$T/sources")"
grep -q 'msg="fetch failed" what="summary 401772994" status=200 error="malformed JSON' "$T/err" ||
    fail "summary failure not logged"
n=$(jq -r 'select(.fault != null) | .fault' "$SIM_LOG" | wc -l | tr -d ' ')
expect_eq "faulty answers served" "$n" 4
