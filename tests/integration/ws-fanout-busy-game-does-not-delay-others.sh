#!/bin/sh
# Fair across games: game A has 3000 subscribers, game B one; their ticks
# reach ws-fanout in the same write, A's first every other time. B's
# client gets each update about when A's first clients do, not after A's
# last: A's fan-out goes out in slices, with B's between them.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/ws-load.sh"
start_fanout --stats-interval 60s --max-per-ip 4000 --max-conns 5000
A=401800001 B=401800002
feed -i $A,$B -T -E 2 -K 2 -r 5 -n 30 -W "$T/go" &
FEED=$!
bg $FEED
wait_game $A
wait_game $B
"$LOAD" clients -F -a "127.0.0.1:$PORT" -g $A -n 3000 -S 30 -b 2 \
    -R "$T/a-ready" -d 8 -t 60 >"$T/a.json" 2>"$T/a.err" &
PA=$!
bg $PA
"$LOAD" clients -F -a "127.0.0.1:$PORT" -g $B -n 1 -R "$T/b-ready" -d 8 \
    -t 60 >"$T/b.json" 2>"$T/b.err" &
PB=$!
bg $PB
wait_for test -f "$T/a-ready" -a -f "$T/b-ready" ||
    fail "clients not connected: $(cat "$T/a.err" "$T/b.err")"
: >"$T/go"
wait $PA || fail "game A's clients: $(cat "$T/a.json" "$T/a.err")"
wait $PB || fail "game B's client: $(cat "$T/b.json" "$T/b.err")"
python3 - "$T/a.json" "$T/b.json" <<'PYEOF' || fail "B waited for A"
import json, sys
a = json.load(open(sys.argv[1]))["latency_us"]
b = json.load(open(sys.argv[2]))["latency_us"]
print("A (3000 clients): %s\nB (1 client): %s" % (a, b))
assert a["n"] >= 3000 * 25 and b["n"] >= 25, (a["n"], b["n"])
# Without slices, half of B's updates would wait for all of A's sends.
assert b["p90"] * 3 < a["p99"], (b["p90"], a["p99"])
PYEOF
