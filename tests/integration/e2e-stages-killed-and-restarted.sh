#!/bin/sh
# kill -9 of each stage in turn mid-game (espn-poll, kalshi-tap, aligner),
# restarted as a supervisor would: a WebSocket client stays connected,
# receives a resync, and ends with the complete series. Then ws-fanout
# itself: a client that reconnects gets the whole game again.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/pipeline.sh"
for t in espn-poll kalshi-tap aligner ws-fanout kalshi-sim ws-load; do
	need_built "$t"
done
need_cmd python3
pl_init "$T"
# About 55 s of wall time for the whole game, so the kills land mid-game.
pl_sims 180 -30
pl_start ws-fanout
pl_start aligner
pl_start espn-poll
pl_start kalshi-tap
pl_wait_game
last=$(jq -r '.winprobability[-1].playId' "$PL_FIXTURE")
"$BIN/ws-load" clients -a "127.0.0.1:$PL_WS_PORT" -g "$PL_GAME" -n 1 \
    -D "$T" -e "\"play_id\":\"$last\"" -t 150 >"$T/load.json" 2>"$T/load.err" &
client=$!
bg $client

# Kill each upstream stage while the game runs, and restart it.
for s in espn-poll kalshi-tap aligner; do
	sleep 5
	note "kill -9 $s"
	pl_kill "$s" KILL
	pl_start "$s"
done
wait $client || fail "client: $(tail -n 3 "$T/load.err")"
grep -q '"type":"_closed"' "$T/client-0.ndjson" &&
    ! tail -n 1 "$T/client-0.ndjson" | grep -q '_closed' &&
    fail "the client was disconnected mid-game"
# The aligner restart is a new epoch: a second snapshot at least.
"$ROOT/tests/tools/e2e-check" --min-kalshi 10 --min-snapshots 2 \
    "$T/client-0.ndjson" "$PL_FIXTURE" || fail "the client's series is wrong"

# ws-fanout itself: a new one gets the whole state from the aligner.
pl_kill ws-fanout KILL
pl_start ws-fanout
mkdir -p "$T/after"
WAIT_SECS=30 wait_for sh -c "curl -sf http://127.0.0.1:$PL_WS_PORT/metrics |
    grep -q 'game_id=\"$PL_GAME\"'" || fail "restarted ws-fanout has no game"
"$BIN/ws-load" clients -a "127.0.0.1:$PL_WS_PORT" -g "$PL_GAME" -n 1 \
    -D "$T/after" -m 1 -t 30 >/dev/null 2>"$T/load2.err" ||
    fail "client after restart: $(tail -n 3 "$T/load2.err")"
"$ROOT/tests/tools/e2e-check" --min-kalshi 10 "$T/after/client-0.ndjson" \
    "$PL_FIXTURE" || fail "snapshot after the ws-fanout restart is incomplete"
