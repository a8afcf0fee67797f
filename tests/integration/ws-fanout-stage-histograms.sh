#!/bin/sh
# /metrics splits an update's time into its stages: hold (ingest to
# commit: the rate limit and merging) and fanout (commit to the last
# subscriber handed it), beside write_age (ingest to each write). A game
# ticking at 10/s with 3 clients: every update is committed once and
# fanned out once (counts equal to the updates each client got), a
# steady 10/s is not held, and three subscribers are handed it at once.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/ws-load.sh"
start_fanout --stats-interval 60s
G=401800001
watch_game 30 3 -E 2 -K 2 -r 10
ups=$(grep -c '"type":"update"' "$T/d/client-0.ndjson")
curl -sf "$HTTP/metrics" >"$T/metrics"
m() { awk -v n="$1" '$1 == n { print $2 }' "$T/metrics"; }
expect_eq "updates committed (hold count)" "$(m ws_fanout_hold_seconds_count)" "$ups"
expect_eq "updates fanned out (fanout count)" "$(m ws_fanout_fanout_seconds_count)" "$ups"
expect_eq "writes (write_age count)" "$(m ws_fanout_write_age_seconds_count)" $((ups * 3))
expect_eq "histogram ends at +Inf" "$(m 'ws_fanout_fanout_seconds_bucket{le="+Inf"}')" "$ups"
# Three subscribers take well under 10 ms; a steady 10/s waits under 50 ms
# (two may be late on a loaded machine).
fast=$(m 'ws_fanout_fanout_seconds_bucket{le="0.01"}')
[ "$fast" -ge $((ups - 2)) ] || fail "fan-out over 10 ms for $((ups - fast)) of $ups: $(grep fanout_seconds "$T/metrics")"
held=$(m 'ws_fanout_hold_seconds_bucket{le="0.05"}')
[ "$held" -ge $((ups - 2)) ] || fail "held over 50 ms: $((ups - held)) of $ups: $(grep hold_seconds "$T/metrics")"
