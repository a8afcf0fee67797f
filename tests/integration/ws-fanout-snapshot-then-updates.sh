#!/bin/sh
# Five clients on one game get the snapshot (equal to the held state: the
# whole series so far) and then the same updates in the same order; a
# feed twice as fast as the rate limit is merged and loses no point.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/ws-load.sh"
start_fanout --stats-interval 60s
G=401800001
watch_game 40 5 -E 30 -K 200 -r 20 -e 77
for i in 1 2 3 4; do
	cmp -s "$T/d/client-0.ndjson" "$T/d/client-$i.ndjson" ||
	    fail "client $i saw other messages than client 0"
done
python3 - "$T/d/client-0.ndjson" <<'PYEOF' || fail "message checks"
import json, sys
msgs = [json.loads(l) for l in open(sys.argv[1])]
assert msgs[-1] == {"type": "_closed", "code": 0}, msgs[-1]
msgs = msgs[:-1]
snap, ups = msgs[0], msgs[1:]
assert snap["type"] == "snapshot", snap["type"]
assert snap["epoch"] == 77 and snap["seq"] == 1, (snap["epoch"], snap["seq"])
assert len(snap["espn"]) == 30 and len(snap["kalshi"]) == 200
assert snap["game"]["game_id"] == "401800001" and snap["aligned"]["ts"] > 0
seqs = [u["seq"] for u in ups]
assert all(u["type"] == "update" for u in ups)
assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs), seqs
assert seqs[-1] == 41, seqs
# 40 live ticks at twice the rate: merged into fewer messages...
assert len(ups) < 40, len(ups)
# ...and every live point arrives exactly once, in order.
stamps = [p["stamp_us"] for u in ups for p in u["kalshi"]]
assert len(stamps) == 40 and stamps == sorted(stamps), len(stamps)
espn = [p["play_id"] for u in ups for p in u["espn"]]
assert len(espn) == 20 and len(set(espn)) == 20, espn
PYEOF
m=$(metric ws_fanout_merges_total)
[ "${m:-0}" -gt 0 ] || fail "no merges counted: $m"
