#!/bin/sh
# live-games-rejects-bad-requests: other methods get 405 and unknown
# paths 404, with JSON bodies; SQL-looking ids in the path or query
# reach nothing (the table is intact); oversized request lines and
# headers are refused without harm; CORS headers follow --cors-origin.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/pg.sh"
pg_available || skip "PostgreSQL 15 not installed (make deps)"
need_cmd jq
need_cmd curl

pg_start || fail "cannot start PostgreSQL"
"$BIN/live-games" --init-db -q || fail "--init-db"
pg_psql -q -f "$ROOT/live-games/sample.sql" >/dev/null || fail "sample.sql"

python3 "$ROOT/tests/tools/espn-sim" --dates today --start-offset 600 \
    --ready-fd 3 3>"$T/sim.ready" 2>"$T/sim.err" &
bg $!
wait_ready "$T/sim.ready" || fail "espn-sim did not start"
SIM=http://127.0.0.1:$(head -n 1 "$T/sim.ready")/apis/site/v2/sports/basketball/nba

PORT=$(free_port)
"$BIN/live-games" --listen "127.0.0.1:$PORT" --espn-base-url "$SIM" \
    --cors-origin https://app.example --ready-fd 3 3>"$T/lg.ready" \
    2>"$T/lg.err" &
LG=$!
bg $LG
wait_ready "$T/lg.ready" || { cat "$T/lg.err" >&2; fail "live-games not ready"; }
B=http://127.0.0.1:$PORT

# status METHOD PATH [curl args]: prints the HTTP status, body in $T/b.
status() {
	m=$1 p=$2
	shift 2
	curl -s -o "$T/b" -w '%{http_code}' -X "$m" "$@" "$B$p" || true
}
json_status() {	# the "status" field of the JSON body
	jq -r '.status' "$T/b" 2>/dev/null
}

for m in POST PUT DELETE PATCH; do
	expect_eq "$m" "$(status $m /api/live/games -d 'x=1')" 405
	expect_eq "$m body" "$(json_status)" 405
done
curl -s -D "$T/h" -o /dev/null -X POST "$B/api/live/games" || true
grep -qi '^allow: GET, HEAD, OPTIONS' "$T/h" || fail "no Allow header"

expect_eq "unknown path" "$(status GET /api/live/nope)" 404
expect_eq "404 body" "$(json_status)" 404
expect_eq "POST unknown path" "$(status POST /nope -d x)" 404

# SQL-looking ids: never parameters of anything.
expect_eq "sql in path" \
    "$(status GET "/api/live/games/1%27%3BDROP%20TABLE%20espn.scoreboard_games%3B--")" 404
expect_eq "sql in query" \
    "$(status GET "/api/live/games?game_id=1%27%20OR%20%271%27%3D%271")" 200
jq -e '.games | length == 1' "$T/b" >/dev/null || fail "query changed the answer"
expect_eq "rows intact" \
    "$(pg_psql -Atc 'SELECT count(*) FROM espn.scoreboard_games')" 9

# Oversized: a 20000-byte path and a 16 KiB header are refused (4xx or a
# closed connection), and the server goes on serving.
long=$(head -c 20000 /dev/zero | tr '\0' a)
code=$(status GET "/$long")
case $code in 4??|000) ;; *) fail "long path answered $code" ;; esac
big=$(head -c 16384 /dev/zero | tr '\0' b)
code=$(status GET /api/live/games -H "X-Big: $big")
case $code in 4??|000) ;; *) fail "big header answered $code" ;; esac
expect_eq "still serving" "$(status GET /api/live/games)" 200
kill -0 $LG || fail "live-games died"

# CORS: the origin on answers, and a preflight.
curl -s -D "$T/h" -o /dev/null "$B/api/live/games" || fail GET
grep -qi '^access-control-allow-origin: https://app.example' "$T/h" ||
    fail "no CORS header: $(cat "$T/h")"
expect_eq "preflight" "$(status OPTIONS /api/live/games \
    -H 'Origin: https://app.example' \
    -H 'Access-Control-Request-Method: GET')" 204
# HEAD: headers only.
curl -s -I "$B/api/live/games" >"$T/h" || fail HEAD
grep -q '^HTTP/1.1 200' "$T/h" || fail "HEAD: $(cat "$T/h")"

# A graceful stop frees everything (leaks fail sanitizer builds here).
kill -TERM $LG
rc=0
wait $LG || rc=$?
expect_eq "exit status after SIGTERM" $rc 0
exit 0
