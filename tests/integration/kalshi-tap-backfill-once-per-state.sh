#!/bin/sh
# A restart on the same --state file does no second backfill: the
# candlesticks are asked for once per market, and the file holds each
# backfilled minute once. --backfill 0 asks for no candles at all.
ROOT=${ROOT:?}
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/kalshi-sim.sh"
ESPN=$ROOT/tests/data/espn/summary-nba-401772994.json
st=$T/state.ndjson

ksim_keys tap
ksim_start --pubkey "$T/tap.pub.pem" --espn "$ESPN" --start-offset 2400 --speed 40
KTAP_KEY_ID=k KTAP_KEY="$T/tap.pem"
ktap_start --state "$st"
WAIT_SECS=20 wait_for grep -q 'msg="backfill written"' "$T/tap.log" ||
    fail "not backfilled"
ktap_stop
expect_eq "candle requests, first run" "$(grep -c 'msg="candles query"' "$T/sim.log")" 2
n1=$(grep -c '"backfill":true' "$st")
[ "$n1" -gt 20 ] || fail "only $n1 backfilled lines in the state file"

# Restarted on the same file: discovery sees the markets again.
ktap_start --state "$st"
WAIT_SECS=20 wait_for grep -q '"state":"ok"' "$T/out.ndjson" || fail "second run never ok"
sleep 1
ktap_stop
expect_eq "exit status" "$KTAP_RC" 0
expect_eq "candle requests after the restart" \
    "$(grep -c 'msg="candles query"' "$T/sim.log")" 2
expect_eq "backfilled lines in the state file" "$(grep -c '"backfill":true' "$st")" "$n1"
expect_eq "a minute twice in the state file" \
    "$(jq -c 'select(.backfill) | [.ticker, .ts]' "$st" | sort | uniq -d | wc -l | tr -d ' ')" 0

# --backfill 0 on a fresh start: no candle request.
ktap_start --backfill 0
WAIT_SECS=20 wait_for grep -q '"state":"ok"' "$T/out.ndjson" || fail "third run never ok"
WAIT_SECS=20 wait_for grep -q '"type":"quote"' "$T/out.ndjson" || fail "third run: no quote"
sleep 1
ktap_stop
expect_eq "candle requests with --backfill 0" \
    "$(grep -c 'msg="candles query"' "$T/sim.log")" 2
expect_eq "backfilled lines with --backfill 0" "$(grep -c '"backfill":true' "$T/out.ndjson")" 0
