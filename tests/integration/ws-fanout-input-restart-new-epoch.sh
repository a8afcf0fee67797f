#!/bin/sh
# The aligner restarts: its connection to ws-fanout's input socket drops
# and a new one comes with a new epoch. Clients stay connected and get a
# fresh snapshot under the new epoch, then its updates.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/ws-load.sh"
start_fanout --stats-interval 60s
G=401800001
feed -i $G -E 4 -K 4 -n 3 -r 10 -e 100 -w 0 || fail "first feeder"
wait_game $G
mkdir "$T/d"
"$LOAD" clients -a "127.0.0.1:$PORT" -g $G -n 3 -D "$T/d" \
    -e '"epoch":200,"seq":4,' -t 30 >"$T/load.json" &
L=$!
bg $L
wait_for sh -c "[ \$(cat '$T'/d/client-*.ndjson 2>/dev/null | wc -l) -ge 3 ]" ||
    fail "clients got no snapshot"
feed -i $G -E 6 -K 6 -n 3 -r 10 -e 200 -w 0.3 || fail "second feeder"
wait $L || fail "clients: $(cat "$T/load.json")"
for i in 0 1 2; do
	python3 - "$T/d/client-$i.ndjson" <<'PYEOF' || fail "client $i"
import json, sys
msgs = [json.loads(l) for l in open(sys.argv[1])]
kinds = [(m["type"], m.get("epoch"), m.get("seq")) for m in msgs]
snaps = [k for k in kinds if k[0] == "snapshot"]
assert snaps[0][1] == 100 and snaps[-1][1] == 200, kinds
new = kinds.index(snaps[-1])
assert all(k[0] != "_closed" for k in kinds[:new]), kinds
after = [k for k in kinds[new:] if k[0] == "update"]
assert after and all(k[1] == 200 for k in after), kinds
last = msgs[new]
assert last["epoch"] == 200 and len(last["espn"]) + sum(
    len(m["espn"]) for m in msgs[new + 1:] if m["type"] == "update") >= 6
PYEOF
done
grep -q 'msg="input disconnected"' "$T/fanout.log" || fail "no disconnect seen"
