#!/bin/sh
# live-games-lists-live-game-with-db-names: with the recorded game live
# on the ESPN simulator and its row in a real PostgreSQL, GET
# /api/live/games lists it with the names from the database and the
# score from ESPN; a plain `curl http://localhost:PORT/api/live/games`
# gets games and a timestamp; many requests cost one ESPN refresh and
# one query; SIGTERM exits 0.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/pg.sh"
pg_available || skip "PostgreSQL 15 not installed (make deps)"
need_cmd jq
need_cmd curl

pg_start || fail "cannot start PostgreSQL"
# Twice: the schema is idempotent.
"$BIN/live-games" --init-db -q || fail "--init-db"
"$BIN/live-games" --init-db -q || fail "--init-db (second time)"
pg_psql -q -f "$ROOT/live-games/sample.sql" >/dev/null || fail "sample.sql"
pg_psql -q -c "UPDATE espn.scoreboard_games SET home_team = 'Pacers (from db)',
    away_team = 'Knicks (from db)' WHERE game_id = '401772994'" ||
    fail "update"

python3 "$ROOT/tests/tools/espn-sim" --dates today --start-offset 600 \
    --log "$T/sim.log" --ready-fd 3 3>"$T/sim.ready" 2>"$T/sim.err" &
bg $!
wait_ready "$T/sim.ready" || fail "espn-sim did not start"
SIM=http://127.0.0.1:$(head -n 1 "$T/sim.ready")/apis/site/v2/sports/basketball/nba

PORT=$(free_port)
"$BIN/live-games" --listen "$PORT" --espn-base-url "$SIM" \
    --ready-fd 3 3>"$T/lg.ready" 2>"$T/lg.err" &
LG=$!
bg $LG
wait_ready "$T/lg.ready" || { cat "$T/lg.err" >&2; fail "live-games not ready"; }

# The plain check from the issue, by name, on the default-style listen.
curl -sf "http://localhost:$PORT/api/live/games" >"$T/r1.json" ||
    { cat "$T/lg.err" >&2; fail "GET /api/live/games"; }
jq -e 'has("games") and has("timestamp")' "$T/r1.json" >/dev/null ||
    fail "no games/timestamp: $(cat "$T/r1.json")"

expect_eq "games" "$(jq '.games | length' "$T/r1.json")" 1
expect_eq "game_id" "$(jq -r '.games[0].game_id' "$T/r1.json")" 401772994
expect_eq "home_team" "$(jq -r '.games[0].home_team' "$T/r1.json")" \
    "Pacers (from db)"
expect_eq "away_team" "$(jq -r '.games[0].away_team' "$T/r1.json")" \
    "Knicks (from db)"
expect_eq "home_abbr" "$(jq -r '.games[0].home_abbr' "$T/r1.json")" IND
expect_eq "start_time" "$(jq -r '.games[0].start_time' "$T/r1.json")" \
    2025-06-01T00:00:00Z
expect_eq "status" "$(jq -r '.games[0].status' "$T/r1.json")" \
    STATUS_IN_PROGRESS
jq -e '.games[0] | (.home_score|type=="number") and (.away_score|type=="number")
    and (.period >= 1) and (.clock|type=="string")' "$T/r1.json" >/dev/null ||
    fail "score fields: $(cat "$T/r1.json")"
jq -e '.timestamp | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$")' \
    "$T/r1.json" >/dev/null || fail "timestamp: $(cat "$T/r1.json")"
expect_eq "stale" "$(jq -r '.stale' "$T/r1.json")" false
expect_eq "sources" "$(jq -c '.sources' "$T/r1.json")" \
    '{"espn":"ok","db":"ok"}'

# 300 more requests within the TTL: still one refresh (two scoreboard
# days) and one query.
i=0
args=
while [ $i -lt 300 ]; do args="$args http://127.0.0.1:$PORT/api/live/games"; i=$((i + 1)); done
# shellcheck disable=SC2086
curl -sf $args >"$T/many.json" || fail "300 requests"
expect_eq "answers" "$(grep -o '"game_id":"401772994"' "$T/many.json" | wc -l)" 300
curl -sf "http://127.0.0.1:$PORT/metrics" >"$T/metrics" || fail "metrics"
expect_eq "espn requests" \
    "$(awk '$1 == "live_games_espn_requests_total" { print $2 }' "$T/metrics")" 2
expect_eq "db queries" \
    "$(awk '$1 == "live_games_db_queries_total" { print $2 }' "$T/metrics")" 1
expect_eq "scoreboard requests seen by ESPN" \
    "$(grep -c scoreboard "$T/sim.log")" 2
grep -q 'live_games_http_requests_total{route="games",code="200"} 301' \
    "$T/metrics" || fail "request counter: $(grep requests_total "$T/metrics")"

curl -sf "http://127.0.0.1:$PORT/healthz" >"$T/health.json" || fail healthz
expect_eq "healthz" "$(jq -r '.status' "$T/health.json")" ok

kill -TERM $LG
rc=0
wait $LG || rc=$?
expect_eq "exit status after SIGTERM" $rc 0
grep -q 'level=error' "$T/lg.err" && fail "errors logged: $(cat "$T/lg.err")"
exit 0
