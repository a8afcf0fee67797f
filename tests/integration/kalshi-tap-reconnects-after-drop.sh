#!/bin/sh
# shellcheck disable=SC2119 # ktap_start takes optional arguments
# The simulator drops the first connection after 6 data frames: kalshi-tap
# reports degraded, reconnects within the backoff, signs and subscribes
# again, reports ok, and quotes keep flowing.
ROOT=${ROOT:?}
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/kalshi-sim.sh"

ksim_keys tap
ksim_start --pubkey "$T/tap.pub.pem" --drop-after 6 --interval 100
KTAP_KEY_ID=k KTAP_KEY="$T/tap.pem"
ktap_start
WAIT_SECS=20 wait_for grep -q 'msg=subscribed conn=2 channel=trade' \
    "$T/sim.log" || fail "no second subscription"
n=$(count_lines '.type=="quote"' "$T/out.ndjson")
WAIT_SECS=20 wait_lines "$T/out.ndjson" $((n + 10 + 3)) ||
    fail "quotes stopped after the reconnect"
ktap_stop
expect_eq "exit status" "$KTAP_RC" 0
expect_eq "source states" \
    "$(jq -r 'select(.type=="source") | .state' "$T/out.ndjson" | tr '\n' ' ')" \
    "ok degraded ok "
retry=$(jq -r 'select(.type=="source" and .state=="degraded") | .retry_in_ms' "$T/out.ndjson")
if [ "$retry" -lt 800 ] || [ "$retry" -gt 1200 ]; then
	fail "retry_in_ms $retry"
fi
grep -q 'msg="websocket failed" error="connection closed"' "$T/tap.log" ||
    fail "the drop was not logged"
expect_eq "connections" "$(grep -c 'msg="ws connected"' "$T/sim.log")" 2
