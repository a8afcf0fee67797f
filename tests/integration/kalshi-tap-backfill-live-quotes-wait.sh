#!/bin/sh
# shellcheck disable=SC2119 # ktap_start takes optional arguments
# Candlesticks answered 3 s late (kalshi-sim --candle-delay): the live
# quotes that come meanwhile wait, and go out right after the backfilled
# minutes, in the order they came, none lost and none twice; so every
# market's lines are in time order. (Without the wait they went out
# first, and the aligner then dropped the older minutes as stale.)
ROOT=${ROOT:?}
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/kalshi-sim.sh"
ESPN=$ROOT/tests/data/espn/summary-nba-401772994.json

ksim_keys tap
ksim_start --pubkey "$T/tap.pub.pem" --espn "$ESPN" --start-offset 2400 \
    --speed 40 --candle-delay 3000
KTAP_KEY_ID=k KTAP_KEY="$T/tap.pem"
ktap_start
WAIT_SECS=30 wait_for grep -q 'msg="backfill written"' "$T/tap.log" ||
    fail "not backfilled: $(grep -E 'backfill|candles' "$T/tap.log")"
WAIT_SECS=20 wait_for sh -c "[ \$(jq -c 'select(.type==\"quote\" and (.backfill|not))' '$T/out.ndjson' | wc -l) -ge 20 ]" ||
    fail "too few live quotes after the backfill"
ktap_stop
expect_eq "exit status" "$KTAP_RC" 0
kill "$KSIM_PID"
# Live quotes came while the candles were on their way (else this tests
# nothing): received before the backfill was written.
waited=$(jq -s '(map(select(.type=="quote" and .backfill)) | max_by(.recv_ts).recv_ts) as $w |
    map(select(.type=="quote" and (.backfill|not) and .recv_ts < $w)) | length' "$T/out.ndjson")
note "live quotes that waited for the backfill: $waited"
[ "$waited" -ge 1 ] || fail "no live quote came before the backfill was written"
jq -r 'select(.type=="quote") | if .backfill then "b" else "l" end' \
    "$T/out.ndjson" | awk '$1 == "l" { live = 1 } $1 == "b" && live { bad++ }
    END { exit bad > 0 }' || fail "a backfilled quote was written after a live one"
grep -q 'live quotes sent before the backfill' "$T/tap.log" &&
    fail "the live quotes did not wait"
for tk in KXNBAGAME-25MAY31NYKIND-IND KXNBAGAME-25MAY31NYKIND-NYK; do
	jq -se --arg tk "$tk" '[.[] | select(.type=="quote" and .ticker==$tk) | .ts] |
	    . == sort' "$T/out.ndjson" >/dev/null || fail "$tk: quotes out of time order"
done
# None lost, none twice: the live quotes are those the simulator sent.
expect_eq "duplicate lines" "$(jq -c 'select(.type=="quote")' "$T/out.ndjson" | sort | uniq -d | wc -l | tr -d ' ')" 0
