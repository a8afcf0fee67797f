#!/bin/sh
# An instance that falls behind while the aligner's length cap trims the
# entries it has not read yet (here: stopped with SIGSTOP while 40
# entries are written, with a cap of 20) sees the seq gap when it reads
# on, rebuilds the game from its latest full-state entry instead of
# skipping, and its clients end with every ESPN point once, as the other
# instance's do.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/pipeline.sh"
. "$ROOT/tests/lib/redis.sh"
pl_init "$T"
REDIS_ARGS="--stream-node-max-entries 4"
RD_ALIGNER_ARGS="--stream-maxlen 20"
rd_game_two_instances 150
rd_wait_update "the pause"
added() {
	redis_cli XINFO STREAM "$RD_NAME:game:$PL_GAME" |
	    awk 'p { print; exit } $0 == "entries-added" { p = 1 }'
}
p1=$(cat "$PL_DIR/fanout-1.pid")
at_exit "kill -CONT $p1"
# Each pause: twice the cap written while it sleeps (at most 15 s). When
# the first entry left after the trim is a full-state one the instance
# needs no rebuild (that is right too); pause again, up to three times.
for try in 1 2 3; do
	a0=$(added)
	kill -STOP "$p1"
	WAIT_SECS=15 wait_for sh -c "[ \$(redis-cli -p $REDIS_PORT XINFO STREAM \
	    $RD_NAME:game:$PL_GAME | awk 'p { print; exit } \$0 == \"entries-added\" { p = 1 }') \
	    -ge $((a0 + 40)) ]" || note "only $(( $(added) - a0 )) entries during pause $try"
	kill -CONT "$p1"
	sleep 1
	[ "$(rd_metric "$(rd_port 1)" ws_fanout_broker_gaps_total)" -ge 1 ] && break
done
rd_wait_clients
for f in "$T"/c1/client-*.ndjson "$T"/c2/client-*.ndjson; do
	"$ROOT/tests/tools/e2e-check" --min-kalshi 20 "$f" "$PL_FIXTURE" ||
	    fail "$f: the client's series is wrong"
done
gaps=$(rd_metric "$(rd_port 1)" ws_fanout_broker_gaps_total)
rebuilds=$(rd_metric "$(rd_port 1)" ws_fanout_broker_rebuilds_total)
note "instance 1: gaps $gaps, rebuilds $rebuilds"
[ "$gaps" -ge 1 ] || fail "instance 1 saw no gap: the cap did not trim"
[ "$rebuilds" -ge 2 ] || fail "instance 1 did not rebuild after the gap"
