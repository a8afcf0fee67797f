#!/bin/sh
# aligner agrees with an independent reference as-of join (tests/tools/
# asof-ref) on random interleavings of ESPN and Kalshi lines: late
# arrivals, resent blocks, duplicates, bad lines, games missing a source;
# read from a file and from a pipe, with ticks cut at different places.
# Then the recorded game (401772994) with synthetic Kalshi quotes.
. "$ROOT/tests/lib.sh"
A=$BIN/aligner
TOOLS=$ROOT/tests/tools
python3 -c 'import zoneinfo; zoneinfo.ZoneInfo("America/New_York")' \
    2>/dev/null || skip "python3 without zoneinfo data (tzdata; make deps)"
SEEDS=${ALIGNER_SEEDS:-20}
s=1
while [ $s -le "$SEEDS" ]; do
	"$TOOLS/gen-aligner-mix" --seed $s >"$T/in.$s"
	if [ $((s % 2)) -eq 0 ]; then
		"$A" -q --max-tick $((s % 7 + 1)) "$T/in.$s" >"$T/out.$s" \
		    2>"$T/err.$s" || fail "seed $s: exit $?"
	else
		# shellcheck disable=SC2002 # a pipe on purpose, not a file
		cat "$T/in.$s" | "$A" -q - >"$T/out.$s" 2>"$T/err.$s" ||
		    fail "seed $s: exit $?"
	fi
	"$TOOLS/asof-ref" "$T/in.$s" "$T/out.$s" >"$T/ref.$s" ||
	    fail "seed $s: $(cat "$T/ref.$s")"
	s=$((s + 1))
done
note "$SEEDS seeds agree"

# The recorded game: every point once, the reference's aligned values.
"$TOOLS/gen-aligner-game" --summary "$DATA/espn/summary-nba-401772994.json" \
    >"$T/game.in"
"$A" "$T/game.in" >"$T/game.out" 2>"$T/game.err" || fail "game: exit $?"
"$TOOLS/asof-ref" "$T/game.in" "$T/game.out" >"$T/game.ref" ||
    fail "game: $(cat "$T/game.ref")"
note "$(cat "$T/game.ref")"
expect_eq "ESPN points" "$(jq '.espn | length' "$T/game.out" |
    awk '{n += $1} END {print n}')" 472
expect_eq "game lines" "$(grep -c '"type":"game"' "$T/game.out")" 1
# The final whistle: ESPN says the home team won.
expect_eq "last aligned espn" "$(tail -n 1 "$T/game.out" | jq .aligned.espn)" \
    "$(grep '"type":"wp"' "$T/game.in" | tail -n 1 | jq .home | sed 's/\.0$//')"
grep -q '^ts=.* level=info prog=aligner msg=done .*espn_points=472' \
    "$T/game.err" || fail "no done line: $(cat "$T/game.err")"

# Two inputs read at once, ESPN from a file and Kalshi from a FIFO: the
# series do not depend on how the two interleave.
"$TOOLS/gen-aligner-game" --summary "$DATA/espn/summary-nba-401772994.json" \
    --espn-only >"$T/espn.in"
"$TOOLS/gen-aligner-game" --summary "$DATA/espn/summary-nba-401772994.json" \
    --kalshi-only >"$T/kalshi.in"
mkfifo "$T/kalshi.fifo"
"$A" "$T/espn.in" "$T/kalshi.fifo" >"$T/two.out" 2>"$T/two.err" &
pid=$!
bg $pid
cat "$T/kalshi.in" >"$T/kalshi.fifo"
wait $pid || fail "two inputs: exit $?"
cat "$T/espn.in" "$T/kalshi.in" >"$T/two.in"
"$TOOLS/asof-ref" "$T/two.in" "$T/two.out" >"$T/two.ref" ||
    fail "two inputs: $(cat "$T/two.ref")"
expect_eq "same final aligned" "$(tail -n 1 "$T/two.out" | jq -c .aligned)" \
    "$(tail -n 1 "$T/game.out" | jq -c .aligned)"
exit 0
