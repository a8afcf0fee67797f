#!/bin/sh
# The rate limit is a rate, not a minimum spacing: a game that ticks at
# 10/s, each tick 20 ms early or late in turn (60 ms, then 140 ms apart),
# has every update written alone and at once. With a 100 ms minimum
# spacing every other one waited ~30 ms. ws-fanout's own write-age
# histogram (ingest to write) says how long each waited.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/ws-load.sh"
start_fanout --stats-interval 60s
G=401800001
N=40
watch_game $N 1 -E 2 -K 2 -r 10 -J 20
ups=$(grep -c '"type":"update"' "$T/d/client-0.ndjson")
expect_eq "updates, none merged" "$ups" $N
curl -sf "$HTTP/metrics" >"$T/metrics"
total=$(awk '$1 == "ws_fanout_write_age_seconds_count" { print $2 }' "$T/metrics")
prompt=$(awk '$1 == "ws_fanout_write_age_seconds_bucket{le=\"0.01\"}" { print $2 }' "$T/metrics")
expect_eq "updates written" "$total" $N
# Within 10 ms of ingest; two may be late on a loaded machine.
[ "$prompt" -ge $((N - 2)) ] ||
    fail "only $prompt of $N updates written within 10 ms: $(grep write_age "$T/metrics")"
