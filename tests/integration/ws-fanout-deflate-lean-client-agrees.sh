#!/bin/sh
# ws-load -Z (the lean client offering permessage-deflate, inflating each
# message on its own) sees byte for byte what the libwebsockets client
# (no extension) sees: a snapshot whose compressed form is larger than
# the fragment size (so it goes out in RSV1-first fragments written by
# ws-fanout itself, past a small socket buffer) and every update, each
# compressed (--deflate-min 1).
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/ws-load.sh"
start_fanout --stats-interval 60s -Q 16384 --sndbuf 4096 --deflate-min 1
G=401800001
feed -i $G -E 2000 -K 9000 -r 20 -n 40 -e 77 -W "$T/clients-ready" &
FEED=$!
bg $FEED
wait_game $G
lean_agrees_with_lws -Z 2 60
n=$(wc -l <"$T/lean/client-0.ndjson")
z=$(jq .deflated_msgs "$T/lean.json")
note "messages=$n per client, deflated (both clients)=$z wire=$(jq .wire_bytes "$T/lean.json")"
[ "$z" -ge $((2 * (n - 1))) ] || fail "only $z of $n messages per client came compressed"
out=$(metric ws_fanout_deflate_out_bytes_total)
[ "$out" -gt 32768 ] || fail "compressed bytes $out: the fragmented path was not taken"
python3 - "$T/lean/client-0.ndjson" <<'PYEOF' || fail "message checks"
import json, sys
lines = open(sys.argv[1]).read().splitlines()
snap = json.loads(lines[0])
assert snap["type"] == "snapshot" and len(snap["kalshi"]) == 9000
assert any(json.loads(l).get("seq") == 41 for l in lines[1:])
PYEOF
