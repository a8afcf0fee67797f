#!/bin/sh
# shellcheck disable=SC2119 # ktap_start takes optional arguments
# The simulator mixes malformed frames (cut JSON, a ticker whose msg is not
# an object) into the stream: kalshi-tap skips and counts them in the log
# (rate-limited) and every good ticker frame still becomes a quote line.
ROOT=${ROOT:?}
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/kalshi-sim.sh"

ksim_keys tap
ksim_start --pubkey "$T/tap.pub.pem" --malformed-every 3 --count 10 \
    --interval 50
KTAP_KEY_ID=k KTAP_KEY="$T/tap.pem"
ktap_start
# 10 updates: 20 ticker frames and 6 trade frames.
WAIT_SECS=20 wait_lines "$T/sent.ndjson" 26 || fail "simulator stalled"
wait_for sh -c "[ \$(jq -c 'select(.type==\"quote\")' '$T/out.ndjson' | wc -l) -ge 20 ]" ||
    fail "got $(count_lines '.type=="quote"' "$T/out.ndjson") quotes"
ktap_stop
expect_eq "exit status" "$KTAP_RC" 0
sent_quotes >"$T/want.q"
got_quotes >"$T/got.q"
diff "$T/want.q" "$T/got.q" >&2 || fail "quotes differ"
grep -q 'msg="bad frame skipped"' "$T/tap.log" || fail "not logged"
expect_eq "connections" "$(grep -c 'msg="ws connected"' "$T/sim.log")" 1
