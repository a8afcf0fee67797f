#!/bin/sh
# shellcheck disable=SC2119 # ktap_start takes optional arguments
# Market discovery runs again every --discover-interval: a market listed
# late is added to the live subscription (update_subscription add_markets)
# and gets quotes; a market that leaves the open listing gets a market line
# with status closed and is removed (delete_markets), on one connection.
ROOT=${ROOT:?}
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/kalshi-sim.sh"

ksim_keys tap
ksim_start --pubkey "$T/tap.pub.pem" --list-after 4 --close-after 40 \
    --interval 100
KTAP_KEY_ID=k KTAP_KEY="$T/tap.pem"
ktap_start --discover-interval 1s
WAIT_SECS=20 wait_for grep -q \
    'msg=updated conn=1 sid=2 action=add_markets markets=3' "$T/sim.log" ||
    fail "the late market was not added"
grep -q 'msg=subscribed conn=1 channel=ticker sid=1 markets=1$' \
    "$T/sim.log" || fail "first subscription was not the IND market alone"
WAIT_SECS=20 wait_for grep -q \
    'msg=updated conn=1 sid=2 action=delete_markets markets=1' \
    "$T/sim.log" || fail "the closed market was not removed"
ktap_stop
expect_eq "exit status" "$KTAP_RC" 0
expect_eq "NYK market lines" \
    "$(jq -r 'select(.type=="market" and .team=="NYK") | .status' "$T/out.ndjson" | tr '\n' ' ')" \
    "active closed "
n=$(count_lines '.type=="quote" and .ticker=="KXNBAGAME-25MAY31NYKIND-NYK"' "$T/out.ndjson")
[ "$n" -gt 0 ] || fail "no quotes for the late market"
expect_eq "connections" "$(grep -c 'msg="ws connected"' "$T/sim.log")" 1
