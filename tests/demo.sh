#!/bin/sh
# tests/demo.sh (make demo): the whole courtside pipeline on the recorded
# game, on one origin. Starts a throwaway PostgreSQL (unless DATABASE_URL
# is set), the ESPN and Kalshi simulators at SPEED (default 20), the five
# tools joined by Unix sockets, and a real nginx in front of them with the
# configuration generated from contrib/nginx/courtside.conf; prints the
# one-origin URLs and a status line, and stops everything on Ctrl-C (exit
# 0) or when the game ends (KEEP=1 keeps serving).
# Ports: API_PORT (8000) the origin (nginx); behind it WS_PORT (8080)
# ws-fanout, LIVE_PORT (8001) live-games, APP_PORT (9000) the existing
# application's upstream (nothing listens there in the demo: its paths
# answer 502). DEMO_DIR (build/demo) holds sockets, logs and nginx/.
# LIVE=1 runs against the real ESPN and Kalshi instead (Kalshi keys from
# KALSHI_API_KEY_ID / KALSHI_PRIVATE_KEY_PATH; REST polling without them).
set -eu
# At a terminal, run as a foreground job of our own (job control): Ctrl-C
# then reaches the demo and its stages, not make, which would otherwise
# report "make: *** [demo] Interrupt" and exit 130 whatever we do.
if [ -t 0 ] && [ -z "${DEMO_FOREGROUND:-}" ]; then
	set -m
	DEMO_FOREGROUND=1 sh "$0" "$@"
	exit
fi
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
BIN=$BUILD/bin
SPEED=${SPEED:-20}
DIR=${DEMO_DIR:-$BUILD/demo}
rm -rf "$DIR"
mkdir -p "$DIR"
chmod 755 "$DIR"
TEST_TMP=$DIR
export ROOT BIN TEST_TMP
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/pipeline.sh"
. "$ROOT/tests/lib/nginx.sh"
nginx_available || fail "nginx is not installed (make deps)"
# Ctrl-C reaches every process of the terminal's group at once: the
# stages stop on it by themselves; the EXIT trap (tests/lib.sh) stops
# whatever is left and the demo exits 0.
trap 'echo; echo "stopping..."; exit 0' INT TERM

ORIGIN_PORT=${API_PORT:-8000}
PL_WS_PORT=${WS_PORT:-8080}
PL_API_PORT=${LIVE_PORT:-8001}	# live-games, behind the origin
pl_init "$DIR"
# nginx is the one peer whose X-Forwarded-For the tools believe, so the
# per-address limit and the logs see the viewers, not the proxy.
PL_TRUST_PROXY=127.0.0.1
if [ -n "${LIVE:-}" ]; then
	PL_ESPN_URL=https://site.api.espn.com/apis/site/v2/sports/basketball/nba
	PL_KALSHI_WS=wss://api.elections.kalshi.com/trade-api/ws/v2
	PL_KALSHI_REST=https://api.elections.kalshi.com/trade-api/v2
	PL_ESPN_POLL_INTERVAL=5s
	echo "live: polling the real ESPN and Kalshi"
else
	pl_sims "$SPEED" -60
	echo "replaying game $PL_GAME (NY @ IND, 2025 East Finals G6) at ${SPEED}x"
fi
pl_db
[ -n "${PG_DIR:-}" ] && echo "$PG_DIR" >"$DIR/pg.dir"
pl_all
NGINX_PORT=$ORIGIN_PORT NGINX_WS=$PL_WS_PORT NGINX_LIVE=$PL_API_PORT
NGINX_APP=${APP_PORT:-9000}
NGINX_DIR=$DIR/nginx
nginx_start
echo "$NGINX_PID" >"$DIR/nginx.pid"
cat <<MSG

  viewer      http://localhost:$ORIGIN_PORT/?game=$PL_GAME
  websocket   ws://localhost:$ORIGIN_PORT/ws/live/$PL_GAME
  live games  http://localhost:$ORIGIN_PORT/api/live/games
  behind it   ws-fanout 127.0.0.1:$PL_WS_PORT (metrics http://127.0.0.1:$PL_WS_PORT/metrics),
              live-games 127.0.0.1:$PL_API_PORT, the application 127.0.0.1:${APP_PORT:-9000}
              (nginx: $DIR/nginx/courtside.conf)
  logs        $DIR/*.log, $DIR/nginx/*.log

MSG
[ -n "${LIVE:-}${KEEP:-}" ] && echo "Ctrl-C stops everything." ||
    echo "Ctrl-C stops everything; it also stops by itself when the game ends (KEEP=1 keeps serving)."

metric() { curl -s "http://127.0.0.1:$PL_WS_PORT/metrics" |
    awk -v m="$1" '$1 == m { print $2; exit }'; }
ended=0
while :; do
	for s in ws-fanout aligner espn-poll kalshi-tap live-games nginx; do
		pid=$(pl_pid "$s")
		kill -0 "$pid" 2>/dev/null || {
			echo; echo "$s stopped; its log:"
			tail -n 5 "$DIR/$s.log" "$DIR/nginx/error.log" 2>/dev/null
			exit 1; }
	done
	line=$(curl -s "http://127.0.0.1:$ORIGIN_PORT/api/live/games" |
	    jq -r '[.games[] | "\(.away_abbr) \(.away_score)-\(.home_score) \(.home_abbr) Q\(.period) \(.clock)"] | join(", ") | if . == "" then "no live game" else . end' 2>/dev/null || echo "?")
	state=
	[ -z "${LIVE:-}" ] && state=$(curl -s "${PL_ESPN_URL%%/apis/*}/_sim/status" | jq -r .state 2>/dev/null || true)
	printf '\r\033[K%s | sim %s | clients %s | messages sent %s' "$line" \
	    "${state:-live}" "$(metric ws_fanout_connections)" \
	    "$(metric ws_fanout_messages_sent_total)"
	if [ "$state" = post ] && [ -z "${KEEP:-}" ]; then
		ended=$((ended + 1))
		# Let the last plays flow through before stopping.
		[ $ended -ge 5 ] && { echo; echo "the game is over"; break; }
	fi
	sleep 1
done
