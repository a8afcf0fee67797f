#!/bin/sh
# Two ws-fanout instances on one Redis stream behind nginx. kill -9 of
# one mid-game: its clients reconnect through nginx to the other with
# ?since=EPOCH:SEQ, are answered from its history (the same epoch and
# seq there), and end with every ESPN point once.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/pipeline.sh"
. "$ROOT/tests/lib/redis.sh"
command -v nginx >/dev/null 2>&1 || fail "nginx is not installed (make deps)"
pl_init "$T"
redis_start || fail "redis did not start"
pl_sims 240 -60
rd_fanout 1
rd_fanout 2
rd_lb 1 2
rd_aligner
pl_start espn-poll
pl_start kalshi-tap
pl_wait_game() { :; }
last=$(jq -r '.winprobability[-1].playId' "$PL_FIXTURE")
mkdir -p "$T/c"
"$BIN/ws-load" clients -k -a "127.0.0.1:$LB_PORT" -g "$PL_GAME" -n 8 \
    -D "$T/c" -e "\"play_id\":\"$last\"" -t 150 \
    >"$T/load.json" 2>"$T/load.err" &
load=$!
# Mid-game: once instance 1 has clients and updates have gone out.
WAIT_SECS=60 wait_for sh -c "[ \"\$(curl -sf http://127.0.0.1:$(rd_port 1)/metrics |
    awk '\$1 == \"ws_fanout_connections\" { print \$2 }')\" -gt 0 ] &&
    grep -q '\"type\":\"update\"' $T/c/client-*.ndjson" ||
    fail "no client on instance 1"
sleep 3
rd_kill fanout-1 KILL
wait "$load" || fail "clients: $(tail -n 3 "$T/load.err")"
moved=0
for f in "$T"/c/client-*.ndjson; do
	"$ROOT/tests/tools/e2e-check" --min-kalshi 20 "$f" "$PL_FIXTURE" ||
	    fail "$f: the client's series is wrong"
	grep -q '"_reconnect"' "$f" && moved=$((moved + 1))
done
[ "$moved" -gt 0 ] || fail "no client was on the killed instance"
resumes=$(rd_metric "$(rd_port 2)" ws_fanout_resumes_total)
note "clients moved: $moved, resumed on instance 2: $resumes"
[ "${resumes:-0}" -gt 0 ] || fail "instance 2 answered no ?since= from its history"
