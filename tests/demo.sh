#!/bin/sh
# tests/demo.sh (make demo): the whole courtside pipeline on the recorded
# game. Starts a throwaway PostgreSQL (unless DATABASE_URL is set), the
# ESPN and Kalshi simulators at SPEED (default 20), the five tools joined
# by Unix sockets, prints the URLs and a status line, and stops everything
# on Ctrl-C or when the game ends (KEEP=1 keeps serving).
# LIVE=1 runs against the real ESPN and Kalshi instead (Kalshi keys from
# KALSHI_API_KEY_ID / KALSHI_PRIVATE_KEY_PATH; REST polling without them).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
BIN=$BUILD/bin
SPEED=${SPEED:-20}
DIR=$BUILD/demo
rm -rf "$DIR"
mkdir -p "$DIR"
chmod 755 "$DIR"
TEST_TMP=$DIR
export ROOT BIN TEST_TMP
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/pipeline.sh"
trap 'echo; echo "stopping..."; exit 0' INT TERM

pl_init "$DIR"
PL_WS_PORT=${WS_PORT:-8080}
PL_API_PORT=${API_PORT:-8000}
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
pl_all
cat <<MSG

  viewer      http://127.0.0.1:$PL_WS_PORT/?game=$PL_GAME&api=http://127.0.0.1:$PL_API_PORT
  websocket   ws://127.0.0.1:$PL_WS_PORT/ws/live/$PL_GAME
  live games  http://127.0.0.1:$PL_API_PORT/api/live/games
  metrics     http://127.0.0.1:$PL_WS_PORT/metrics
  logs        $DIR/*.log

MSG
[ -n "${LIVE:-}${KEEP:-}" ] && echo "Ctrl-C stops everything." ||
    echo "Ctrl-C stops everything; it also stops by itself when the game ends (KEEP=1 keeps serving)."

metric() { curl -s "http://127.0.0.1:$PL_WS_PORT/metrics" |
    awk -v m="$1" '$1 == m { print $2; exit }'; }
ended=0
while :; do
	for s in ws-fanout aligner espn-poll kalshi-tap live-games; do
		pid=$(pl_pid "$s")
		kill -0 "$pid" 2>/dev/null || {
			echo; echo "$s stopped; its log:"; tail -n 5 "$DIR/$s.log"; exit 1; }
	done
	line=$(curl -s "http://127.0.0.1:$PL_API_PORT/api/live/games" |
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
