#!/bin/sh
# Redis killed with -9 mid-game and started again empty (no
# persistence): the aligner notices the lost keys and republishes every
# game's full state; both instances and every client end with every ESPN
# point once, the instances agree, and an instance started after the
# restart serves the whole game.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/pipeline.sh"
. "$ROOT/tests/lib/redis.sh"
pl_init "$T"
rd_game_two_instances 150
rd_wait_update "the restart"
sleep 3
redis_restart || fail "redis did not start again"
[ "$(redis_cli dbsize)" -lt 3 ] || fail "redis kept its data"
rd_wait_clients
for f in "$T"/c1/client-*.ndjson "$T"/c2/client-*.ndjson; do
	"$ROOT/tests/tools/e2e-check" --min-kalshi 20 "$f" "$PL_FIXTURE" ||
	    fail "$f: the client's series is wrong"
done
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
    "$PL_FIXTURE" || fail "the instance started after the restart is missing points"
for n in 1 2; do
	c=$(rd_metric "$(rd_port $n)" ws_fanout_broker_connects_total)
	[ "$c" -ge 2 ] || fail "instance $n never reconnected ($c)"
done
