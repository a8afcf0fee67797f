#!/bin/sh
# A malformed WebSocket path is refused with 404 at the upgrade; plain
# HTTP answers /healthz, /metrics, the placeholder page and JSON 404s.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/ws-load.sh"
need_py
start_fanout --stats-interval 60s
for p in /nope/1 /ws/live/ /ws/live/1/2 /ws/live; do
	expect_eq "upgrade $p" "$("$PY" "$PROBE" status "ws://127.0.0.1:$PORT$p")" 404
done
expect_eq healthz "$(curl -s -o /dev/null -w '%{http_code}' "$HTTP/healthz")" 200
expect_eq "healthz body" "$(curl -sf "$HTTP/healthz" | jq -r .status)" ok
curl -sf "$HTTP/metrics" >"$T/metrics" || fail "metrics"
for name in ws_fanout_connections ws_fanout_messages_sent_total \
    ws_fanout_bytes_sent_total ws_fanout_merges_total ws_fanout_resyncs_total \
    ws_fanout_write_age_seconds_count; do
	grep -q "^$name " "$T/metrics" || fail "metrics lack $name"
done
expect_eq "404s counted" "$(grep -c 'rejected_total{reason="not_found"} 4$' "$T/metrics")" 1
curl -sf "$HTTP/" | grep -q '/ws/live/' || fail "no placeholder page"
expect_eq "unknown path" "$(curl -s -o "$T/body" -w '%{http_code}' "$HTTP/nothing")" 404
expect_eq "404 body" "$(jq -r .error "$T/body")" "not found"
expect_eq "method" "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$HTTP/healthz")" 405
