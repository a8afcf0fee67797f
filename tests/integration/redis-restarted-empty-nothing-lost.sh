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
redis_start || fail "redis did not start"
pl_sims 240 -60
rd_fanout 1
rd_fanout 2
rd_aligner
pl_start espn-poll
pl_start kalshi-tap
last=$(jq -r '.winprobability[-1].playId' "$PL_FIXTURE")
for n in 1 2; do
	mkdir -p "$T/c$n"
	"$BIN/ws-load" clients -a "127.0.0.1:$(rd_port $n)" -g "$PL_GAME" -n 2 \
	    -D "$T/c$n" -e "\"play_id\":\"$last\"" -t 150 \
	    >"$T/c$n.json" 2>"$T/c$n.err" &
	eval "load$n=\$!"
done
WAIT_SECS=60 wait_for sh -c "grep -q '\"type\":\"update\"' $T/c1/client-0.ndjson" ||
    fail "no update before the restart"
sleep 3
redis_restart || fail "redis did not start again"
[ "$(redis_cli dbsize)" -lt 3 ] || fail "redis kept its data"
# shellcheck disable=SC2154 # set by the eval above
wait "$load1" || fail "clients of instance 1: $(tail -n 3 "$T/c1.err")"
# shellcheck disable=SC2154
wait "$load2" || fail "clients of instance 2: $(tail -n 3 "$T/c2.err")"
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
