#!/bin/sh
# make demo serves one origin: the URLs it prints are on API_PORT, where
# the nginx it started from contrib/nginx/courtside.conf answers the API,
# the viewer page and the WebSocket (ws-fanout and live-games trusting
# its X-Forwarded-For). A Ctrl-C typed at the terminal (a
# pty, as a user's) stops everything: make exits 0, prints no
# "make: ***" line, and no process of the demo is left running.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/nginx.sh"
. "$ROOT/tests/lib/ws-load.sh"
need_py
nginx_available || fail "nginx is not installed (make deps)"
command -v script >/dev/null 2>&1 || fail "script(1) is not installed (bsdutils)"
API=$(free_port) WS=$(free_port) LIVE=$(free_port) APP=$(free_port)
G=401772994
mkfifo "$T/keys"
# A fresh SIGINT disposition: a background job of this shell ignores it.
DEMO_DIR=$T/demo API_PORT=$API WS_PORT=$WS LIVE_PORT=$LIVE APP_PORT=$APP \
    SPEED=60 env --default-signal=INT,QUIT script -qefc \
    "make -s --no-print-directory -C '$ROOT' BUILD='$BUILD' SANITIZE='${SANITIZE:-}' demo" \
    "$T/typescript" <"$T/keys" >"$T/demo.out" 2>&1 &
SPID=$!
bg "$SPID"
exec 5>"$T/keys"
WAIT_SECS=120 wait_for grep -q 'live games' "$T/demo.out" ||
    fail "the demo printed no URLs: $(tail -n 20 "$T/demo.out")"
url() { sed -n "s/^ *$1  *\([^ ]*\).*/\1/p" "$T/demo.out" | tr -d '\r' | head -n 1; }
expect_eq "viewer URL" "$(url viewer)" "http://localhost:$API/?game=$G"
expect_eq "websocket URL" "$(url websocket)" "ws://localhost:$API/ws/live/$G"
expect_eq "live games URL" "$(url 'live games')" "http://localhost:$API/api/live/games"

# Each printed URL answers, through nginx.
curl -sf "$(url 'live games')" >"$T/games.json" || fail "GET /api/live/games failed"
expect_eq "games and timestamp" \
    "$(jq -c '[(.games | type), (.timestamp | type)]' "$T/games.json")" '["array","string"]'
curl -sf "$(url viewer)" | grep -q '<title>courtside</title>' || fail "no viewer page at /"
"$PY" "$PROBE" recv "$(url websocket)" 1 10 >"$T/ws.out" || fail "websocket probe"
jq -e 'has("espn") or has("kalshi") or has("error")' "$T/ws.out" >/dev/null ||
    fail "websocket message: $(head -c 200 "$T/ws.out")"
grep -q "\"GET /ws/live/$G HTTP/1.1\" 101" "$T/demo/nginx/access.log" ||
    fail "the WebSocket did not go through nginx"

# Behind the demo's nginx the tools trust it for X-Forwarded-For.
for s in ws-fanout live-games; do
	tr '\0' ' ' <"/proc/$(cat "$T/demo/$s.pid")/cmdline" |
	    grep -q -- '--trust-proxy 127.0.0.1' || fail "$s runs without --trust-proxy 127.0.0.1"
done

# Everything the demo started: its stages and simulators, nginx's master
# and worker, PostgreSQL's postmaster.
pids=$(cat "$T"/demo/*.pid)
pids="$pids $(pgrep -P "$(cat "$T/demo/nginx.pid")" | tr '\n' ' ')"
pgdir=$(cat "$T/demo/pg.dir")
pids="$pids $(head -n 1 "$pgdir/data/postmaster.pid")"
for p in $pids; do kill -0 "$p" || fail "process $p is not running before ^C"; done

printf '\003' >&5	# Ctrl-C
WAIT_SECS=30 wait_for sh -c "! kill -0 $SPID" ||
    fail "the demo did not stop on Ctrl-C: $(tail -n 5 "$T/demo.out")"
rc=0
wait "$SPID" || rc=$?
exec 5>&-
expect_eq "make's exit status" "$rc" 0
grep -q 'stopping' "$T/demo.out" || fail "no 'stopping...': $(tail -n 5 "$T/demo.out")"
if grep -a 'make: \*\*\*' "$T/demo.out"; then fail "make reported an error"; fi
for p in $pids; do	# a zombie has stopped; its reaper may be slow
	st=$(ps -o stat= -p "$p" || true)
	case $st in ''|Z*) ;; *) fail "left running: $(ps -o pid=,args= -p "$p")" ;; esac
done
[ ! -e "$pgdir" ] || fail "PostgreSQL's folder $pgdir was left behind"
