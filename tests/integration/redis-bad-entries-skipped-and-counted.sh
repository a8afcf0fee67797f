#!/bin/sh
# Bad entries on the broker side mid-game: a foreign entry in the game's
# stream, entries of the wrong type (a quote line, an unknown kind), an
# oversized one, and an announced game whose key is not a stream. Each
# is skipped and counted in /metrics by reason; the game goes on and the
# clients end with every ESPN point once.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/pipeline.sh"
. "$ROOT/tests/lib/redis.sh"
pl_init "$T"
redis_start || fail "redis did not start"
pl_sims 240 -60
rd_fanout 1
rd_aligner
pl_start espn-poll
pl_start kalshi-tap
last=$(jq -r '.winprobability[-1].playId' "$PL_FIXTURE")
mkdir -p "$T/c"
"$BIN/ws-load" clients -a "127.0.0.1:$(rd_port 1)" -g "$PL_GAME" -n 2 \
    -D "$T/c" -e "\"play_id\":\"$last\"" -t 150 >"$T/c.json" 2>"$T/c.err" &
load=$!
WAIT_SECS=60 wait_for sh -c "grep -q '\"type\":\"update\"' $T/c/client-0.ndjson" ||
    fail "no update before the bad entries"
key=$RD_NAME:game:$PL_GAME
redis_cli XADD "$key" '*' foo bar >/dev/null || fail "XADD foreign"
redis_cli XADD "$key" '*' k line line \
    "{\"type\":\"quote\",\"game_id\":\"$PL_GAME\"}" >/dev/null || fail "XADD quote"
redis_cli XADD "$key" '*' k bogus >/dev/null || fail "XADD bogus"
redis_cli XADD "$key" '*' k line line 'not json' >/dev/null || fail "XADD not json"
head -c 1200000 /dev/zero | tr '\0' a |
    redis_cli -x XADD "$key" '*' k line line >/dev/null || fail "XADD big"
redis_cli SET "$RD_NAME:game:999" x >/dev/null
redis_cli XADD "$RD_NAME:games" '*' k game id 999 >/dev/null
wait "$load" || fail "clients: $(tail -n 3 "$T/c.err")"
for f in "$T"/c/client-*.ndjson; do
	"$ROOT/tests/tools/e2e-check" --min-kalshi 20 "$f" "$PL_FIXTURE" ||
	    fail "$f: the client's series is wrong"
done
m=$(curl -sf "http://127.0.0.1:$(rd_port 1)/metrics")
count() {
	echo "$m" | awk -v n="ws_fanout_broker_skipped_total{reason=\"$1\"}" \
	    '$1 == n { print $2 }'
}
expect_eq "foreign entries" "$(count foreign)" 1
expect_eq "wrong-type entries" "$(count wrong_type)" 3
expect_eq "oversized entries" "$(count too_big)" 1
expect_eq "not-JSON entries" "$(count not_json)" 1
