#!/bin/sh
# shellcheck disable=SC2119 # ktap_start takes optional arguments
# The candlestick requests answered 429, then 500, then a body that is not
# JSON: each shows in a source line (degraded, with the reason), is retried
# with backoff, and the backfill then completes; a candle without yes_ask
# is skipped and counted. Live quotes flow meanwhile: the first is written
# before any backfilled one. Requests are one at a time, spaced, and the
# 429's Retry-After (3 s) is waited out before the next.
ROOT=${ROOT:?}
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/kalshi-sim.sh"
ESPN=$ROOT/tests/data/espn/summary-nba-401772994.json

ksim_keys tap
ksim_start --pubkey "$T/tap.pub.pem" --espn "$ESPN" --start-offset 2400 --speed 40 \
    --candle-429 1 --candle-retry-after 3 --candle-500 1 --candle-garbage 1 \
    --candle-drop-ask 5
KTAP_KEY_ID=k KTAP_KEY="$T/tap.pem"
ktap_start
WAIT_SECS=30 wait_for grep -q 'msg="backfill written"' "$T/tap.log" ||
    fail "not backfilled: $(grep -E 'backfill|candles' "$T/tap.log")"
WAIT_SECS=10 wait_for grep -q '"state":"ok"' "$T/out.ndjson" || fail "never ok again"
ktap_stop
expect_eq "exit status" "$KTAP_RC" 0
expect_eq "source lines" \
    "$(jq -r 'select(.type=="source") | .state + ": " + .detail' "$T/out.ndjson" |
      grep -v '^ok' | sed 's/backfill KXNBAGAME-25MAY31NYKIND-[A-Z]*/backfill M/' | tr '\n' '|')" \
    "degraded: backfill M: HTTP 429|degraded: backfill M: HTTP 500|degraded: backfill M: bad body|"
expect_eq "candle requests" "$(grep -c 'msg="candles query"' "$T/sim.log")" 5
# The request after the 429 came no sooner than its Retry-After.
gap=$(grep 'msg="candles query"' "$T/sim.log" | head -n 2 | sed 's/^ts=\([^ ]*\) .*/\1/' |
    while read -r ts; do date -d "$ts" +%s%3N; done | awk 'NR == 1 { a = $1 } NR == 2 { print $1 - a }')
note "ms between the 429 and the next request: $gap"
[ "$gap" -ge 3000 ] || fail "the retry after a 429 with Retry-After: 3 came $gap ms later"
grep -q 'msg="candles skipped".*skipped=1 total=1' "$T/tap.log" ||
    fail "the candle without yes_ask was not counted"
expect_eq "markets backfilled" \
    "$(jq -r 'select(.backfill) | .ticker' "$T/out.ndjson" | sort -u | wc -l | tr -d ' ')" 2
# Never blocks live quotes: the retries took seconds, the live feed not.
first_live=$(grep -n '"type":"quote"' "$T/out.ndjson" | grep -v backfill | head -1 | cut -d: -f1)
first_back=$(grep -n '"backfill":true' "$T/out.ndjson" | head -1 | cut -d: -f1)
[ "$first_live" -lt "$first_back" ] ||
    fail "live quotes waited for the backfill (line $first_live vs $first_back)"
# Spread over time: no two candle requests within 200 ms.
grep 'msg="candles query"' "$T/sim.log" | sed 's/^ts=[^T]*T\([0-9:.]*\)Z.*/\1/' |
    awk -F: '{ ms = (($1 * 60 + $2) * 60 + $3) * 1000
	if (NR > 1 && ms - prev < 200) { print "gap " ms - prev; bad = 1 }
	prev = ms } END { exit bad }' || fail "candle requests closer than 200 ms"
