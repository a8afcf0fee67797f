#!/bin/sh
# live-games-espn-gives-up-exit-69: after --give-up ESPN failures in a
# row live-games logs "espn down" and exits 69 (EX_UNAVAILABLE) so that
# its supervisor restarts it; until then it answers 503 with JSON.
. "$ROOT/tests/lib.sh"
need_cmd curl

python3 "$ROOT/tests/tools/espn-sim" --dates today --start-offset 600 \
    --fault 503@scoreboard --log "$T/sim.log" --ready-fd 3 \
    3>"$T/sim.ready" 2>"$T/sim.err" &
bg $!
wait_ready "$T/sim.ready" || fail "espn-sim did not start"
SIM=http://127.0.0.1:$(head -n 1 "$T/sim.ready")/apis/site/v2/sports/basketball/nba

# Postgres is not needed to give up on ESPN: point at nothing.
PORT=$(free_port)
"$BIN/live-games" --listen "127.0.0.1:$PORT" --espn-base-url "$SIM" \
    -d "host=$T/nowhere connect_timeout=1" --cache-ttl 10 --give-up 2 \
    --ready-fd 3 3>"$T/lg.ready" 2>"$T/lg.err" &
LG=$!
bg $LG
wait_ready "$T/lg.ready" || { cat "$T/lg.err" >&2; fail "live-games not ready"; }

# The refresh at start failed once: 503 with a JSON error.
code=$(curl -s -o "$T/r.json" -w '%{http_code}' \
    "http://127.0.0.1:$PORT/api/live/games")
expect_eq "status while failing" "$code" 503
grep -q '"status":503' "$T/r.json" || fail "body: $(cat "$T/r.json")"

# That request keeps the refreshes going: the second failure, a TTL
# later, is the last.
rc=0
WAIT_SECS=30 wait_for sh -c "! kill -0 $LG" || fail "still running"
wait $LG || rc=$?
expect_eq "exit status" $rc 69
grep -q 'msg="espn down"' "$T/lg.err" || fail "no log: $(cat "$T/lg.err")"
# Giving up is no signal: the stop says the status it exits with.
grep -q 'msg=stopping status=69' "$T/lg.err" ||
    fail "no stopping status=69: $(cat "$T/lg.err")"
if grep -q 'signal=0' "$T/lg.err"; then fail "logged signal=0"; fi
expect_eq "scoreboard requests" "$(grep -c scoreboard "$T/sim.log")" 4
exit 0
