#!/bin/sh
# shellcheck disable=SC2119 # ktap_start takes optional arguments
# A handshake signed with the wrong key is refused (401) on every attempt:
# kalshi-tap reports the source degraded, logs the reason once per attempt,
# then reports it down and exits 69 after the give-up count.
ROOT=${ROOT:?}
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/kalshi-sim.sh"

ksim_keys good
ksim_keys wrong
ksim_start --pubkey "$T/good.pub.pem"
KTAP_KEY_ID=k KTAP_KEY="$T/wrong.pem"
ktap_start --give-up 3
WAIT_SECS=30 wait_for grep -q '"state":"down"' "$T/out.ndjson" ||
    fail "no down source line"
ktap_wait
expect_eq "exit status" "$KTAP_RC" 69
expect_eq "refusals seen by the simulator" \
    "$(grep -c 'msg="auth rejected" reason="bad signature"' "$T/sim.log")" 3
expect_eq "failures logged" \
    "$(grep -c 'msg="websocket failed".*status=401' "$T/tap.log")" 3
expect_eq "source states" \
    "$(jq -r 'select(.type=="source") | .state' "$T/out.ndjson" | uniq | tr '\n' ' ')" \
    "degraded down "
jq -r 'select(.type=="source" and .state=="degraded") | .detail' \
    "$T/out.ndjson" | grep -q 'HTTP 401' || fail "degraded detail lacks the status"
expect_eq "quotes" "$(count_lines '.type=="quote"' "$T/out.ndjson")" 0
