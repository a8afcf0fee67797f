#!/bin/sh
# live-games-espn-down-stale-then-503: when ESPN starts failing, the last
# good list is served with "stale":true; once it is older than
# --max-stale, 503 with a JSON error. With nothing ever cached, 503 at
# once. ESPN is still asked at most once per TTL meanwhile.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/pg.sh"
pg_available || skip "PostgreSQL 15 not installed (make deps)"
need_cmd jq
need_cmd curl

pg_start || fail "cannot start PostgreSQL"
"$BIN/live-games" --init-db -q || fail "--init-db"
pg_psql -q -f "$ROOT/live-games/sample.sql" >/dev/null || fail "sample.sql"

python3 "$ROOT/tests/tools/espn-sim" --dates today --start-offset 600 \
    --log "$T/sim.log" --ready-fd 3 3>"$T/sim.ready" 2>"$T/sim.err" &
bg $!
wait_ready "$T/sim.ready" || fail "espn-sim did not start"
SP=$(head -n 1 "$T/sim.ready")
SIM=http://127.0.0.1:$SP/apis/site/v2/sports/basketball/nba

PORT=$(free_port)
"$BIN/live-games" --listen "127.0.0.1:$PORT" --espn-base-url "$SIM" \
    --cache-ttl 10 --max-stale 12s --ready-fd 3 3>"$T/lg.ready" \
    2>"$T/lg.err" &
LG=$!
bg $LG
wait_ready "$T/lg.ready" || { cat "$T/lg.err" >&2; fail "live-games not ready"; }
URL=http://127.0.0.1:$PORT/api/live/games

curl -sf "$URL" >"$T/fresh.json" || fail "first GET"
expect_eq "fresh games" "$(jq '.games | length' "$T/fresh.json")" 1
expect_eq "fresh stale" "$(jq -r '.stale' "$T/fresh.json")" false

curl -sf "http://127.0.0.1:$SP/_sim/fault?set=503@scoreboard" >/dev/null ||
    fail "cannot set the fault"

# The next refresh (one TTL later) fails: the same list, marked stale.
# shellcheck disable=SC2317 # called through wait_for
is_stale() {
	curl -sf "$URL" >"$T/stale.json" &&
	    [ "$(jq -r '.stale' "$T/stale.json")" = true ]
}
WAIT_SECS=20 wait_for is_stale || fail "never stale: $(cat "$T/stale.json")"
expect_eq "stale games" "$(jq -c '[.games[].game_id]' "$T/stale.json")" \
    '["401772994"]'
expect_eq "stale timestamp" "$(jq -r '.timestamp' "$T/stale.json")" \
    "$(jq -r '.timestamp' "$T/fresh.json")"
expect_eq "espn source" "$(jq -r '.sources.espn' "$T/stale.json")" degraded

# Past --max-stale (12 s after the last good list): 503, JSON.
# shellcheck disable=SC2317 # called through wait_for
is_503() {
	[ "$(curl -s -o "$T/gone.json" -w '%{http_code}' "$URL")" = 503 ]
}
WAIT_SECS=25 wait_for is_503 || fail "never 503: $(cat "$T/gone.json")"
jq -e '.error and .message and .status == 503' "$T/gone.json" >/dev/null ||
    fail "503 body: $(cat "$T/gone.json")"

# At most one refresh (two scoreboard days) per TTL, however often asked.
n=$(grep -c scoreboard "$T/sim.log")
[ "$n" -le 8 ] || fail "ESPN asked $n times in about 25 s with a 10 s TTL"

# A second server that never had a list: 503 at once, JSON.
P2=$(free_port)
"$BIN/live-games" --listen "127.0.0.1:$P2" --espn-base-url "$SIM" \
    --ready-fd 3 3>"$T/lg2.ready" 2>"$T/lg2.err" &
bg $!
wait_ready "$T/lg2.ready" || fail "second live-games not ready"
code=$(curl -s -o "$T/none.json" -w '%{http_code}' \
    "http://127.0.0.1:$P2/api/live/games")
expect_eq "nothing cached" "$code" 503
jq -e '.status == 503 and (.error|type=="string")' "$T/none.json" \
    >/dev/null || fail "503 body: $(cat "$T/none.json")"

# A graceful stop frees everything (leaks fail sanitizer builds here).
kill -TERM $LG
rc=0
wait $LG || rc=$?
expect_eq "exit status after SIGTERM" $rc 0
exit 0
