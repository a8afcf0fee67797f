#!/bin/sh
# shellcheck disable=SC2119 # ktap_start takes optional arguments
# The simulator skips a seq number on the trade channel: kalshi-tap logs
# the gap and resubscribes on the same connection (new sids), and quotes
# keep flowing.
ROOT=${ROOT:?}
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/kalshi-sim.sh"

ksim_keys tap
ksim_start --pubkey "$T/tap.pub.pem" --seq-gap-at 3 --interval 50 --count 60
KTAP_KEY_ID=k KTAP_KEY="$T/tap.pem"
ktap_start
WAIT_SECS=20 wait_for grep -q 'msg=subscribed conn=1 channel=trade sid=4' \
    "$T/sim.log" || fail "no resubscription"
grep -q 'msg="seq gap, resubscribing" sid=2 expected=3 got=4' "$T/tap.log" ||
    fail "gap not logged"
grep -q 'msg=unsubscribed conn=1 sid=1' "$T/sim.log" || fail "old sid kept"
# The frames on the new subscription arrive.
WAIT_SECS=20 wait_for sh -c "[ \$(jq -c 'select(.sid==3)' '$T/sent.ndjson' | wc -l) -ge 20 ]" ||
    fail "no frames on the new subscription"
want=$(jq -c 'select(.type=="ticker")' "$T/sent.ndjson" | wc -l)
wait_for sh -c "[ \$(jq -c 'select(.type==\"quote\")' '$T/out.ndjson' | wc -l) -ge $want ]" ||
    fail "quotes missing"
ktap_stop
expect_eq "exit status" "$KTAP_RC" 0
expect_eq "connections" "$(grep -c 'msg="ws connected"' "$T/sim.log")" 1
