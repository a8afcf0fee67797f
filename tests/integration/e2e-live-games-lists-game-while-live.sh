#!/bin/sh
# live-games against the ESPN simulator and a real PostgreSQL, beside the
# running pipeline: the recorded game is listed (with the names from the
# database) while it is live, and no longer once it is over.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/pipeline.sh"
. "$ROOT/tests/lib/pg.sh"
for t in live-games kalshi-sim; do
	need_built "$t"
done
pg_available || skip "PostgreSQL 15 not installed (make deps)"
pl_init "$T"
pl_sims 60 -900
pl_db
# The names in the database differ from ESPN's, so we can tell them apart.
pg_psql -q -c "update espn.scoreboard_games set home_team = 'Pacers (db)'
    where game_id = '$PL_GAME'" >/dev/null || fail "update"
pl_start live-games
api=http://127.0.0.1:$PL_API_PORT/api/live/games
live() { curl -sf "$api" | jq -r --arg g "$PL_GAME" \
    '[.games[] | select(.game_id == $g) | .home_team] | join(",")'; }
# Before tip-off the game is not live.
expect_eq "before tip-off" "$(live)" ""
WAIT_SECS=40 wait_for sh -c "curl -sf '$api' | grep -q 'Pacers (db)'" ||
    fail "the game was never listed: $(curl -s "$api")"
expect_eq "listed with the database's name" "$(live)" "Pacers (db)"
# Jump past the final buzzer: once the cache turns over it is gone.
curl -sf "${PL_ESPN_URL%%/apis/*}/_sim/seek?offset=20000" >/dev/null || fail "seek"
WAIT_SECS=40 wait_for sh -c "[ -z \"\$(curl -sf '$api' | jq -r '.games[].game_id')\" ]" ||
    fail "still listed after the game: $(curl -s "$api")"
expect_eq "games after the final" "$(curl -sf "$api" | jq -c .games)" "[]"
