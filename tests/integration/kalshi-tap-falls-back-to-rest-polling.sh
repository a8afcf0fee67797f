#!/bin/sh
# shellcheck disable=SC2119 # ktap_start takes optional arguments
# While the WebSocket keeps failing (the simulator refuses the first three
# handshakes) kalshi-tap polls REST after --fallback-after and writes
# quotes from it, does not give up while polling works, and goes back to
# the WebSocket (and stops polling) once a handshake is accepted.
ROOT=${ROOT:?}
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/kalshi-sim.sh"

ksim_keys tap
ksim_start --pubkey "$T/tap.pub.pem" --reject-first 3 --interval 200
KTAP_KEY_ID=k KTAP_KEY="$T/tap.pem"
ktap_start --fallback-after 0 --poll-interval 0.2s --give-up 2
WAIT_SECS=30 wait_for grep -q 'msg=subscribed conn=1 channel=trade' \
    "$T/sim.log" || fail "never subscribed"
WAIT_SECS=10 wait_for grep -q 'msg="REST polling stopped"' "$T/tap.log" ||
    fail "polling did not stop"
n=$(grep -c 'tickers=' "$T/sim.log")
[ "$n" -ge 3 ] || fail "only $n market data polls"
WAIT_SECS=10 wait_for sh -c "tail -n 1 '$T/out.ndjson' | grep -q '\"type\":\"quote\"'" ||
    fail "no quotes after the switch back"
ktap_stop
expect_eq "exit status" "$KTAP_RC" 0
expect_eq "refusals" "$(grep -c 'msg="auth rejected"' "$T/sim.log")" 3
expect_eq "source states" \
    "$(jq -r 'select(.type=="source") | .state' "$T/out.ndjson" | uniq | tr '\n' ' ')" \
    "degraded ok "
jq -r 'select(.type=="source") | .detail' "$T/out.ndjson" |
    grep -q '^polling REST; websocket: handshake refused (HTTP 401)$' ||
    fail "no polling detail"
# Quotes came from polling (ts = recv_ts) before the WebSocket took over.
p=$(jq -c 'select(.type=="quote" and .ts == .recv_ts)' "$T/out.ndjson" | wc -l)
[ "$p" -ge 2 ] || fail "only $p polled quotes"
ws_first=$(grep -n 'msg=subscribed channel=ticker' "$T/tap.log" | head -n 1)
[ -n "$ws_first" ] || fail "tap never subscribed"
