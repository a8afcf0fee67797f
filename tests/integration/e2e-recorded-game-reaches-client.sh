#!/bin/sh
# The recorded game through the whole pipeline (simulated ESPN and Kalshi,
# espn-poll, kalshi-tap, aligner, ws-fanout joined by Unix sockets)
# reaches a WebSocket client complete: every ESPN point once and in
# order, the Kalshi points, and aligned values equal to the as-of join.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/pipeline.sh"
for t in espn-poll kalshi-tap aligner ws-fanout kalshi-sim ws-load; do
	need_built "$t"
done
need_cmd python3
pl_init "$T"
# 2h40m of game in about 40 s; start a minute before tip-off.
pl_sims 240 -60
pl_start ws-fanout
pl_start aligner
pl_start espn-poll
pl_start kalshi-tap
# The game is known to ws-fanout once it appears in the stream.
pl_wait_game
last=$(jq -r '.winprobability[-1].playId' "$PL_FIXTURE")
"$BIN/ws-load" clients -a "127.0.0.1:$PL_WS_PORT" -g "$PL_GAME" -n 1 \
    -D "$T" -e "\"play_id\":\"$last\"" -t 120 >"$T/load.json" 2>"$T/load.err" ||
    fail "client: $(tail -n 3 "$T/load.err")"
"$ROOT/tests/tools/e2e-check" --min-kalshi 20 "$T/client-0.ndjson" "$PL_FIXTURE" ||
    fail "the client's series is wrong"
