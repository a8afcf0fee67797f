#!/bin/sh
# shellcheck disable=SC2119 # ktap_start takes optional arguments
# Market discovery answered 500 twice: kalshi-tap reports the source
# degraded with the status, retries with backoff, then finds the markets,
# subscribes and reports ok.
ROOT=${ROOT:?}
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/kalshi-sim.sh"

ksim_keys tap
ksim_start --pubkey "$T/tap.pub.pem" --rest-fail 2 --interval 100 --count 20
KTAP_KEY_ID=k KTAP_KEY="$T/tap.pem"
ktap_start
WAIT_SECS=20 wait_for grep -q '"state":"ok"' "$T/out.ndjson" ||
    fail "never ok"
WAIT_SECS=20 wait_for grep -q '"type":"quote"' "$T/out.ndjson" ||
    fail "no quotes"
ktap_stop
expect_eq "exit status" "$KTAP_RC" 0
expect_eq "source details" \
    "$(jq -r 'select(.type=="source") | .state + ": " + .detail' "$T/out.ndjson" | tr '\n' '|')" \
    "degraded: market list: HTTP 500|ok: websocket|"
expect_eq "500s served" "$(grep -c 'status=500' "$T/sim.log")" 2
expect_eq "market lines" "$(count_lines '.type=="market"' "$T/out.ndjson")" 2
