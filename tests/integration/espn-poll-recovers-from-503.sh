#!/bin/sh
# Three 503s from the summary mid-game: espn-poll reports degraded (with
# the status and a retry delay), retries with backoff, reports ok again,
# and loses or repeats no point.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/espn-sim.sh"

poll_game_with_faults '503:3@summary'
expect_eq "source states" "$(source_seq)" "ok degraded ok"
jq -s -e 'map(select(.type == "source" and .state == "degraded"
    and .detail == "summary 401772994: HTTP 503" and .retry_in_ms > 0))
    | length == 1' "$T/out" >/dev/null || fail "degraded line: $(cat "$T/sources")"
expect_eq "503s served" "$(jq -r 'select(.status == 503) | .path' "$SIM_LOG" | wc -l | tr -d ' ')" 3
grep -q 'msg="fetch failed".*status=503' "$T/err" || fail "no fetch failed log"
