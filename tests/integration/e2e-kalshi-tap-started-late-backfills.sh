#!/bin/sh
# kalshi-tap started 40 simulated minutes into the game, with no --state
# to go on: the client's first snapshot holds Kalshi points from the
# tip-off minute on, at minute resolution and marked backfill, equal to
# the simulator's candles (the home market's mid where its closing bid or
# ask changed, else the away market's), then live points; one point a
# backfilled minute, times never decrease, no point twice.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/pipeline.sh"
for t in espn-poll kalshi-tap aligner ws-fanout kalshi-sim ws-load; do
	need_built "$t"
done
need_cmd curl
IND=KXNBAGAME-25MAY31NYKIND-IND
NYK=KXNBAGAME-25MAY31NYKIND-NYK
pl_init "$T"
pl_sims 40 2400
pl_start ws-fanout
pl_start aligner
pl_start espn-poll
pl_start kalshi-tap
pl_wait_game
WAIT_SECS=20 wait_for grep -q 'msg="backfill written"' "$PL_DIR/kalshi-tap.log" ||
    fail "kalshi-tap did not backfill: $(grep -E 'backfill|candles' "$PL_DIR/kalshi-tap.log")"
WAIT_SECS=30 wait_for sh -c "grep -v backfill '$PL_DIR/kalshi-tap.ndjson' | grep -q '\"type\":\"quote\"'" ||
    fail "no live quote"
sleep 2	# the aligner's tick for the live quote
"$BIN/ws-load" clients -a "127.0.0.1:$PL_WS_PORT" -g "$PL_GAME" -n 1 \
    -D "$T" -e '"type":"update"' -t 60 >"$T/load.json" 2>"$T/load.err" ||
    fail "client: $(tail -n 3 "$T/load.err")"
head -n 1 "$T/client-0.ndjson" >"$T/snap.json"
expect_eq "first message" "$(jq -r .type "$T/snap.json")" snapshot
jq -c '.kalshi[]' "$T/snap.json" >"$T/points"
nb=$(jq -c "select(.backfill)" "$T/points" | wc -l | tr -d " ")
nl=$(jq -c "select(.backfill | not)" "$T/points" | wc -l | tr -d " ")
note "snapshot: $nb backfilled Kalshi points, $nl live"
[ "$nb" -ge 30 ] || fail "only $nb backfilled points"
[ "$nl" -ge 1 ] || fail "no live point in the snapshot"
# Backfilled first, then live; strictly increasing times.
jq -se 'map(.backfill // false) | . == (sort | reverse)' "$T/points" >/dev/null ||
    fail "backfilled and live points interleave"
jq -se '[.[].ts] as $t | [range(1; $t | length) | select($t[.] < $t[. - 1])] | length == 0' \
    "$T/points" >/dev/null || fail "Kalshi points out of time order"
# One point a minute where backfilled; no point twice anywhere.
expect_eq "backfilled minutes twice" \
    "$(jq -c 'select(.backfill) | .ts' "$T/points" | sort | uniq -d | wc -l | tr -d ' ')" 0
expect_eq "points twice" "$(sort "$T/points" | uniq -d | wc -l | tr -d ' ')" 0
# From tip-off: the minute of the first play.
tip=$(date -d "$(jq -r '.plays[0].wallclock' "$PL_FIXTURE")" +%s)
expect_eq "first Kalshi point" "$(jq -s '.[0].ts' "$T/points")" \
    "$(( (tip / 60) * 60000 + 60000 ))"
# The expected points from the simulator's candles: per minute, the home
# market's mid if its close changed, else 1 - the away market's.
now=$(date +%s)
for tk in $IND $NYK; do
	lastbf=$(jq -s --arg tk "$tk" 'map(select(.backfill and .ticker == $tk) | .ts) | max' \
	    "$PL_DIR/kalshi-tap.ndjson")
	curl -fsS "$PL_KALSHI_REST/series/KXNBAGAME/markets/$tk/candlesticks?start_ts=$((now - 21600))&end_ts=$now&period_interval=1" |
	    jq -c --arg tk "$tk" --argjson l "$lastbf" '[.candlesticks[] |
	      select(.end_period_ts * 1000 <= $l) |
	      {ts: (.end_period_ts * 1000), bid: (.yes_bid.close_dollars | tonumber),
	       ask: (.yes_ask.close_dollars | tonumber)}] |
	    reduce .[] as $c ([]; if length > 0 and .[-1].bid == $c.bid and
	      .[-1].ask == $c.ask then . else . + [$c] end) | .[] | . + {tk: $tk}'
done >"$T/changes"
jq -sc --arg h "$IND" 'group_by(.ts) | map(
    (map(select(.tk == $h)) | first) as $home |
    if $home then {ts: $home.ts, home: ((($home.bid + $home.ask) / 2 * 1e6 | round) / 1e6), rule: "mid"}
    else .[0] | {ts, home: (((1 - (.bid + .ask) / 2) * 1e6 | round) / 1e6), rule: "away_mid"} end) | .[]' \
    "$T/changes" >"$T/want"
jq -c 'select(.backfill) | {ts, home: ((.home * 1e6 | round) / 1e6), rule}' "$T/points" >"$T/got"
cmp -s "$T/want" "$T/got" || { diff "$T/want" "$T/got" | head -20 >&2; fail "backfilled points differ from the candles"; }
