#!/bin/sh
# Two ws-fanout instances reading one Redis stream serve the recorded
# game identically: each client gets every ESPN point once, and the two
# instances' snapshots hold the same epoch, seq and points. A third
# instance started after the game ended serves the whole game too.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/pipeline.sh"
. "$ROOT/tests/lib/redis.sh"
pl_init "$T"
rd_game_two_instances 120
rd_wait_clients
for f in "$T"/c1/client-*.ndjson "$T"/c2/client-*.ndjson; do
	"$ROOT/tests/tools/e2e-check" --min-kalshi 20 "$f" "$PL_FIXTURE" ||
	    fail "$f: the client's series is wrong"
done
# The game is over: stop the sources so nothing moves, then compare.
pl_kill espn-poll
pl_kill kalshi-tap
sleep 1
rd_fanout 3
for n in 1 2 3; do
	rd_snapshot "$(rd_port $n)" "$T/snap$n" || fail "no snapshot from $n"
done
"$ROOT/tests/tools/snapshot-same" "$T/snap1" "$T/snap2" "$T/snap3" ||
    fail "the instances disagree"
"$ROOT/tests/tools/e2e-check" --min-kalshi 20 "$T/snap3.d/client-0.ndjson" \
    "$PL_FIXTURE" || fail "the late instance's snapshot is not the whole game"
for n in 1 2 3; do
	expect_eq "instance $n skipped entries" \
	    "$(curl -sf "http://127.0.0.1:$(rd_port $n)/healthz" | jq .broker.skipped)" 0
done
