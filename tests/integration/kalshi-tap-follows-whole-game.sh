#!/bin/sh
# shellcheck disable=SC2119 # ktap_start takes optional arguments
# The simulator plays the recorded game (ESPN event 401772994, NY at IND)
# at 2000x, prices following ESPN's win probability: every ticker frame
# of the game arrives as a quote line with exact prices and the game's
# own timestamps, and the home market ends near ESPN's final number.
ROOT=${ROOT:?}
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/kalshi-sim.sh"

summary=$DATA/espn/summary-nba-401772994.json
ksim_keys tap
ksim_start --pubkey "$T/tap.pub.pem" --espn "$summary" --speed 2000 \
    --start-offset -4000
KTAP_KEY_ID=k KTAP_KEY="$T/tap.pem"
ktap_start
plays=$(jq '[.winprobability[] | select(.homeWinPercentage != null)] | length' "$summary")
want=$((plays * 2))
WAIT_SECS=40 wait_for sh -c "[ \$(grep -c '\"type\":\"ticker\"' '$T/sent.ndjson') -ge $want ]" ||
    fail "simulator sent $(grep -c '"type":"ticker"' "$T/sent.ndjson") of $want"
wait_for sh -c "[ \$(grep -c '\"type\":\"quote\"' '$T/out.ndjson') -ge $want ]" ||
    fail "got $(grep -c '"type":"quote"' "$T/out.ndjson") quotes of $want"
ktap_stop
expect_eq "exit status" "$KTAP_RC" 0
sent_quotes >"$T/want.q"
got_quotes >"$T/got.q"
diff "$T/want.q" "$T/got.q" >&2 || fail "quotes differ"
# Event times are the plays' wallclocks: 2025-06-01T00:05:55Z onwards.
first=$(jq -r 'select(.type=="quote") | .ts' "$T/out.ndjson" | head -n 1)
expect_eq "first quote time" "$first" 1748736355000
# IND won (home); the last home quote's mid is near ESPN's last value.
last=$(jq -r '[.winprobability[].homeWinPercentage] | last' "$summary")
mid=$(jq -r 'select(.type=="quote" and (.ticker|endswith("-IND"))) | (.bid + .ask) / 2' "$T/out.ndjson" | tail -n 1)
jq -n --argjson a "$last" --argjson b "$mid" '($a - $b) | fabs < 0.05' |
    grep -q true || fail "final IND mid $mid, ESPN $last"
