#!/bin/sh
# With every message compressed (--deflate-min 1), a permessage-deflate
# client's snapshot and updates inflate to exactly what a plain client
# gets beside it, every update frame carrying RSV1 and the plain one's
# none; a ?since= resume and a burst of merged updates through Python's
# websockets (compression on) arrive intact.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/ws-load.sh"
need_py
DP=$ROOT/tests/tools/ws-deflate-probe.py
start_fanout --deflate-min 1 --history 50
G=401800001
feed_sync -i $G -E 20 -K 20 -n 1 -e 7 -w 0
"$PY" "$PROBE" recv "$URL/$G" 1 >"$T/first" || fail probe
S=$(jq .seq "$T/first")
mkdir "$T/z" "$T/p"
"$PY" "$DP" frames "$URL/$G" "permessage-deflate" 6 "$T/z" >"$T/z.out" &
ZP=$!
"$PY" "$DP" frames "$URL/$G" - 6 "$T/p" >"$T/p.out" &
PP=$!
bg "$ZP $PP"
wait_for sh -c "[ \"\$(curl -sf '$HTTP/metrics' |
    awk '/^ws_fanout_connections /{print \$2}')\" = 2 ]" || fail "clients"
feed -H -i $G -s "$S" -n 5 -r 5 -e 7 || fail feeder
wait "$ZP" || fail "deflate probe: $(cat "$T/z.out")"
wait "$PP" || fail "plain probe: $(cat "$T/p.out")"
expect_eq "compressed frames" "$(tail -n +2 "$T/z.out" | cut -d' ' -f1 | sort | uniq -c | tr -s ' ')" " 6 rsv1=1"
expect_eq "plain frames" "$(tail -n +2 "$T/p.out" | cut -d' ' -f1 | sort | uniq -c | tr -s ' ')" " 6 rsv1=0"
for k in 0 1 2 3 4 5; do
	cmp "$T/z/$k.json" "$T/p/$k.json" || fail "message $k differs"
done
expect_eq "types" "$(jq -r .type "$T/p"/*.json | sort | uniq -c | tr -s ' ' | tr '\n' ';')" \
    " 1 snapshot; 5 update;"
expect_eq "last seq" "$(jq .seq "$T/p/5.json")" $((S + 5))
# A resume through Python's websockets, compressed.
"$PY" "$PROBE" recv "$URL/$G?since=7:$((S + 2))" 3 2 >"$T/resumed" || fail probe
expect_eq "resumed seqs" "$(jq -r .seq "$T/resumed" | tr '\n' ' ')" \
    "$((S + 3)) $((S + 4)) $((S + 5)) "
# A burst (merged updates) to a compressed reader: every point, in order.
"$PY" "$PROBE" recv "$URL/$G" 400 3 >"$T/burst" &
BP=$!
bg "$BP"
wait_for sh -c "[ \"\$(curl -sf '$HTTP/metrics' |
    awk '/^ws_fanout_connections /{print \$2}')\" = 1 ]" || fail "burst client"
feed -H -i $G -s $((S + 5)) -n 200 -r 1000 -e 7 || fail feeder
wait "$BP" || true
python3 - "$T/burst" $((S + 205)) <<'PYEOF' || fail "burst checks"
import json, sys
msgs = [json.loads(l) for l in open(sys.argv[1]) if l.startswith('{"')]
msgs = [m for m in msgs if "type" in m]
assert msgs[0]["type"] == "snapshot", msgs[0]["type"]
pts = msgs[0]["kalshi"] + [p for m in msgs[1:] for p in m["kalshi"]]
assert len(pts) == 20 + 1 + 5 + 200, len(pts)
assert msgs[-1]["seq"] == int(sys.argv[2]), msgs[-1]["seq"]
PYEOF
m=$(metric ws_fanout_merges_total)
note "merges=$m deflated=$(metric ws_fanout_deflate_messages_total)"
