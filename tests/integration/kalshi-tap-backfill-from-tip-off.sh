#!/bin/sh
# shellcheck disable=SC2119 # ktap_start takes optional arguments
# kalshi-tap started 40 simulated minutes into the game: before the live
# quotes it has missed, it writes one "backfill":true quote per minute
# whose closing bid or ask changed, from tip-off, with ts = the candle's
# end, equal to what the simulator's candlesticks say (quiet minutes add
# nothing, no-trade minutes carry no "last"), each minute once, all before
# the first live quote's time, and written before any live quote (the
# live ones wait for the backfill). The older candle shape (integer
# cents) gives the very same lines.
ROOT=${ROOT:?}
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/kalshi-sim.sh"
need_cmd curl
ESPN=$ROOT/tests/data/espn/summary-nba-401772994.json
IND=KXNBAGAME-25MAY31NYKIND-IND
NYK=KXNBAGAME-25MAY31NYKIND-NYK

# run NAME SIMARGS...: a simulator and kalshi-tap until both markets are
# backfilled and live; keeps $T/NAME.out, $T/NAME.tap.log, $T/NAME.candles.
run() {
	name=$1
	shift
	ksim_keys "$name"
	ksim_start --pubkey "$T/$name.pub.pem" --espn "$ESPN" \
	    --start-offset 2400 --speed 40 "$@"
	KTAP_KEY_ID=k KTAP_KEY="$T/$name.pem"
	ktap_start
	WAIT_SECS=20 wait_for grep -q 'msg="backfill written"' "$T/tap.log" ||
	    fail "$name: not backfilled: $(grep -E 'backfill|candles' "$T/tap.log")"
	WAIT_SECS=20 wait_for sh -c "jq -e 'select(.type==\"quote\" and (.backfill|not))' '$T/out.ndjson'" ||
	    fail "$name: no live quote"
	now=$(date +%s)
	for tk in $IND $NYK; do
		curl -fsS "$KSIM_REST/series/KXNBAGAME/markets/$tk/candlesticks?start_ts=$((now - 21600))&end_ts=$now&period_interval=1" |
		    jq -c --arg tk "$tk" '.candlesticks[] | [$tk, .end_period_ts * 1000,
		      (.yes_bid.close_dollars | tonumber), (.yes_ask.close_dollars | tonumber)]'
	done >"$T/$name.candles"
	ktap_stop
	expect_eq "$name: exit status" "$KTAP_RC" 0
	kill "$KSIM_PID"
	cp "$T/out.ndjson" "$T/$name.out"
	cp "$T/tap.log" "$T/$name.tap.log"
}

run current
# The candles up to the newest one backfilled (the simulator has made
# more since), per market; then their changes of closing bid/ask.
lasts=$(jq -sc 'map(select(.type=="quote" and .backfill)) | group_by(.ticker) |
    map({key: .[0].ticker, value: (map(.ts) | max)}) | from_entries' "$T/current.out")
last=$(echo "$lasts" | jq '[.[]] | min')
jq -sc --argjson l "$lasts" 'map(select(.[1] <= $l[.[0]])) |
    group_by(.[0])[] | reduce .[] as $c ([];
    if length > 0 and .[-1][2] == $c[2] and .[-1][3] == $c[3] then .
    else . + [$c] end) | .[]' "$T/current.candles" >"$T/want"
jq -c 'select(.type=="quote" and .backfill) | [.ticker, .ts, .bid, .ask]' \
    "$T/current.out" | sort >"$T/got"
sort "$T/want" >"$T/want.sorted"
cmp -s "$T/want.sorted" "$T/got" || { diff "$T/want.sorted" "$T/got" >&2; fail "backfilled quotes differ from the candles"; }
ncandles=$(wc -l <"$T/current.candles" | tr -d ' ')
nback=$(wc -l <"$T/got" | tr -d ' ')
note "candles=$ncandles backfilled=$nback"
[ "$nback" -ge 40 ] || fail "only $nback backfilled quotes for 40 minutes of two markets"
[ "$nback" -lt "$ncandles" ] || fail "no quiet minute left out ($nback of $ncandles)"
# From tip-off: the first play's minute.
first=$(jq -r '[.plays[0].wallclock][0]' "$ESPN")
tip=$(date -d "$first" +%s)
expect_eq "first backfilled minute (IND)" \
    "$(jq -sr "map(select(.type==\"quote\" and .backfill and .ticker==\"$IND\"))[0].ts" "$T/current.out")" \
    "$(( (tip / 60) * 60000 + 60000 ))"
# Up to where the live feed took over (40 minutes in): minute 39 at least.
[ "$last" -ge $(( (tip / 60) * 60000 + 39 * 60000 )) ] ||
    fail "backfill ends at $last, before minute 39 of the game"
# No minute twice; all older than the first live quote of the market.
expect_eq "duplicate minutes" "$(cut -d, -f1,2 "$T/got" | uniq -d | wc -l | tr -d ' ')" 0
for tk in $IND $NYK; do
	jq -se --arg tk "$tk" 'map(select(.type=="quote" and .ticker==$tk)) |
	    (map(select(.backfill)) | max_by(.ts).ts) <
	    (map(select(.backfill|not)) | min_by(.ts).ts)' "$T/current.out" >/dev/null ||
	    fail "$tk: a backfilled quote is not older than the live ones"
done
# Written before the live quotes, in the file's order too.
jq -r 'select(.type=="quote") | if .backfill then "b" else "l" end' \
    "$T/current.out" | awk '$1 == "l" { live = 1 } $1 == "b" && live { bad++ }
    END { exit bad > 0 }' || fail "a backfilled quote was written after a live one"
grep -q 'live quotes sent before the backfill' "$T/current.tap.log" &&
    fail "the live quotes did not wait for the backfill"
# No-trade minutes are there, without last; trade minutes carry it.
[ "$(count_lines '.backfill and .last == null' "$T/current.out")" -gt 0 ] ||
    fail "no backfilled minute without a trade"
[ "$(count_lines '.backfill and .last != null' "$T/current.out")" -gt 0 ] ||
    fail "no backfilled minute with a trade"

# The older candle shape: the same lines (less the receive time).
run older --candles-older
# (Up to the newest minute both runs fetched: the game clock runs on.)
cut=$(jq -sc 'map(select(.backfill)) | group_by(.ticker) |
    map({key: .[0].ticker, value: (map(.ts) | max)}) | from_entries' "$T/current.out")
cut=$(jq -sc 'map(select(.backfill)) | group_by(.ticker) |
    map({key: .[0].ticker, value: (map(.ts) | max)}) | from_entries' "$T/older.out" |
    jq -c --argjson a "$cut" 'with_entries(.value = ([.value, $a[.key]] | min))')
for n in current older; do
	jq -c --argjson c "$cut" 'select(.type=="quote" and .backfill and
	    .ts <= $c[.ticker]) | del(.recv_ts)' "$T/$n.out" | sort >"$T/$n.lines"
done
cmp -s "$T/current.lines" "$T/older.lines" ||
    { diff "$T/current.lines" "$T/older.lines" >&2; fail "older candles give other lines"; }
