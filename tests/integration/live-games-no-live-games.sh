#!/bin/sh
# live-games-no-live-games: when ESPN's scoreboards for today and
# yesterday list no game in progress, GET /api/live/games answers 200
# {"games":[]} with a timestamp, and asks Postgres nothing.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/pg.sh"
pg_available || skip "PostgreSQL 15 not installed (make deps)"
need_cmd jq
need_cmd curl

pg_start || fail "cannot start PostgreSQL"
"$BIN/live-games" --init-db -q || fail "--init-db"
pg_psql -q -f "$ROOT/live-games/sample.sql" >/dev/null || fail "sample.sql"

# The recorded game is listed only on a day long gone.
python3 "$ROOT/tests/tools/espn-sim" --dates 20250601 --start-offset 600 \
    --ready-fd 3 3>"$T/sim.ready" 2>"$T/sim.err" &
bg $!
wait_ready "$T/sim.ready" || fail "espn-sim did not start"
SIM=http://127.0.0.1:$(head -n 1 "$T/sim.ready")/apis/site/v2/sports/basketball/nba

PORT=$(free_port)
"$BIN/live-games" --listen "127.0.0.1:$PORT" --espn-base-url "$SIM" \
    --ready-fd 3 3>"$T/lg.ready" 2>"$T/lg.err" &
bg $!
wait_ready "$T/lg.ready" || { cat "$T/lg.err" >&2; fail "live-games not ready"; }

code=$(curl -s -o "$T/r.json" -w '%{http_code}' \
    "http://127.0.0.1:$PORT/api/live/games") || fail "GET"
expect_eq "status" "$code" 200
expect_eq "games" "$(jq -c '.games' "$T/r.json")" '[]'
jq -e '.timestamp | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$")' \
    "$T/r.json" >/dev/null || fail "timestamp: $(cat "$T/r.json")"
expect_eq "stale" "$(jq -r '.stale' "$T/r.json")" false
expect_eq "espn" "$(jq -r '.sources.espn' "$T/r.json")" ok
curl -sf "http://127.0.0.1:$PORT/metrics" >"$T/metrics" || fail "metrics"
expect_eq "db queries" \
    "$(awk '$1 == "live_games_db_queries_total" { print $2 }' "$T/metrics")" 0
exit 0
