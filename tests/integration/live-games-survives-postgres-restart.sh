#!/bin/sh
# live-games-survives-postgres-restart: Postgres stopped mid-run: the
# live game is still listed, with ESPN's own names and sources.db
# "down"; once Postgres is back, live-games reconnects by itself and the
# names from the database return.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/pg.sh"
pg_available || skip "PostgreSQL 15 not installed (make deps)"
need_cmd jq
need_cmd curl

pg_start || fail "cannot start PostgreSQL"
"$BIN/live-games" --init-db -q || fail "--init-db"
pg_psql -q -f "$ROOT/live-games/sample.sql" >/dev/null || fail "sample.sql"
pg_psql -q -c "UPDATE espn.scoreboard_games SET home_team = 'Pacers (from db)'
    WHERE game_id = '401772994'" || fail "update"

python3 "$ROOT/tests/tools/espn-sim" --dates today --start-offset 600 \
    --ready-fd 3 3>"$T/sim.ready" 2>"$T/sim.err" &
bg $!
wait_ready "$T/sim.ready" || fail "espn-sim did not start"
SIM=http://127.0.0.1:$(head -n 1 "$T/sim.ready")/apis/site/v2/sports/basketball/nba

PORT=$(free_port)
"$BIN/live-games" --listen "127.0.0.1:$PORT" --espn-base-url "$SIM" \
    --cache-ttl 10 --ready-fd 3 3>"$T/lg.ready" 2>"$T/lg.err" &
LG=$!
bg $LG
wait_ready "$T/lg.ready" || { cat "$T/lg.err" >&2; fail "live-games not ready"; }
URL=http://127.0.0.1:$PORT/api/live/games

curl -sf "$URL" >"$T/r.json" || fail "first GET"
expect_eq "db name" "$(jq -r '.games[0].home_team' "$T/r.json")" \
    "Pacers (from db)"
expect_eq "db source" "$(jq -r '.sources.db' "$T/r.json")" ok

pg_stop || fail "cannot stop PostgreSQL"

# At the next refresh: ESPN's names, db down, the game still listed.
# shellcheck disable=SC2317 # called through wait_for
db_is() {
	curl -sf "$URL" >"$T/r.json" &&
	    [ "$(jq -r '.sources.db' "$T/r.json")" = "$1" ]
}
WAIT_SECS=25 wait_for db_is down || fail "db never down: $(cat "$T/r.json")"
expect_eq "espn name" "$(jq -r '.games[0].home_team' "$T/r.json")" \
    "Indiana Pacers"
expect_eq "game still listed" "$(jq -r '.games[0].game_id' "$T/r.json")" \
    401772994
expect_eq "espn source" "$(jq -r '.sources.espn' "$T/r.json")" ok
expect_eq "not stale" "$(jq -r '.stale' "$T/r.json")" false
curl -sf "http://127.0.0.1:$PORT/healthz" >"$T/h.json" || fail healthz
expect_eq "healthz db" "$(jq -r '.sources.db' "$T/h.json")" down

pg_resume || fail "cannot restart PostgreSQL"
WAIT_SECS=40 wait_for db_is ok || fail "db never back: $(cat "$T/r.json")"
expect_eq "db name again" "$(jq -r '.games[0].home_team' "$T/r.json")" \
    "Pacers (from db)"
kill -0 $LG || fail "live-games died"

# A graceful stop frees everything (leaks fail sanitizer builds here).
kill -TERM $LG
rc=0
wait $LG || rc=$?
expect_eq "exit status after SIGTERM" $rc 0
exit 0
