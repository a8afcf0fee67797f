#!/bin/sh
# live-games-requests-wait-for-refresh: requests that arrive while the
# first refresh is still waiting on a slow ESPN wait for it and all get
# the list; ESPN sees one refresh (two scoreboard days) for all of them.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/pg.sh"
pg_available || skip "PostgreSQL 15 not installed (make deps)"
need_cmd jq
need_cmd curl

pg_start || fail "cannot start PostgreSQL"
"$BIN/live-games" --init-db -q || fail "--init-db"
pg_psql -q -f "$ROOT/live-games/sample.sql" >/dev/null || fail "sample.sql"

# The first two scoreboard answers take 2 s each (in parallel).
python3 "$ROOT/tests/tools/espn-sim" --dates today --start-offset 600 \
    --fault slow=2000:2@scoreboard --log "$T/sim.log" --ready-fd 3 \
    3>"$T/sim.ready" 2>"$T/sim.err" &
bg $!
wait_ready "$T/sim.ready" || fail "espn-sim did not start"
SIM=http://127.0.0.1:$(head -n 1 "$T/sim.ready")/apis/site/v2/sports/basketball/nba

PORT=$(free_port)
"$BIN/live-games" --listen "127.0.0.1:$PORT" --espn-base-url "$SIM" \
    --ready-fd 3 3>"$T/lg.ready" 2>"$T/lg.err" &
bg $!
wait_ready "$T/lg.ready" || { cat "$T/lg.err" >&2; fail "live-games not ready"; }

# 20 clients at once, while the refresh started at readiness is out.
k=0
while [ $k -lt 20 ]; do
	curl -s -o "$T/r$k.json" -w '%{http_code}\n' \
	    "http://127.0.0.1:$PORT/api/live/games" >"$T/code$k" &
	k=$((k + 1))
done
wait_lines "$T/sim.log" 2 || fail "no scoreboard request"
k=0
while [ $k -lt 20 ]; do
	WAIT_SECS=15 wait_lines "$T/code$k" 1 || fail "client $k got nothing"
	expect_eq "client $k" "$(cat "$T/code$k")" 200
	expect_eq "client $k game" "$(jq -r '.games[0].game_id' "$T/r$k.json")" \
	    401772994
	k=$((k + 1))
done
# They really waited (the refresh took 2 s), and nobody waits now.
curl -sf "http://127.0.0.1:$PORT/metrics" >"$T/metrics" || fail metrics
w=$(awk '$1 == "live_games_waited_requests_total" { print $2 }' "$T/metrics")
[ "${w:-0}" -ge 1 ] || fail "no request waited: $(cat "$T/metrics")"
expect_eq "scoreboard requests" "$(grep -c scoreboard "$T/sim.log")" 2
expect_eq "waiting now" \
    "$(awk '$1 == "live_games_waiting_requests" { print $2 }' "$T/metrics")" 0
exit 0
