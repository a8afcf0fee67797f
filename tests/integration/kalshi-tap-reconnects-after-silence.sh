#!/bin/sh
# shellcheck disable=SC2119 # ktap_start takes optional arguments
# The simulator goes silent on the first connection (no frames, no pings,
# no pongs): kalshi-tap declares it dead after --dead-timeout, reconnects
# and resubscribes.
ROOT=${ROOT:?}
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/kalshi-sim.sh"

ksim_keys tap
ksim_start --pubkey "$T/tap.pub.pem" --silent-after 4 --interval 100
KTAP_KEY_ID=k KTAP_KEY="$T/tap.pem"
ktap_start --dead-timeout 1.5s --ping-interval 0.5s
WAIT_SECS=20 wait_for grep -q 'msg=subscribed conn=2 channel=trade' \
    "$T/sim.log" || fail "no reconnect after silence"
grep -q 'msg="websocket silent, reconnecting" silent_ms=1500' "$T/tap.log" ||
    fail "silence not logged"
n=$(count_lines '.type=="quote"' "$T/out.ndjson")
WAIT_SECS=20 wait_lines "$T/out.ndjson" $((n + 10 + 3)) ||
    fail "quotes stopped"
ktap_stop
expect_eq "exit status" "$KTAP_RC" 0
expect_eq "source states" \
    "$(jq -r 'select(.type=="source") | .state' "$T/out.ndjson" | tr '\n' ' ')" \
    "ok degraded ok "
