#!/bin/sh
# A source going down reaches every connected client as an error notice
# (code source_down, DESIGN.md's shape); its recovery as a notice with
# code source_ok; and the snapshot carries the source states.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/ws-load.sh"
need_py
start_fanout --stats-interval 60s
G=401800001
feed_sync -i $G -E 2 -K 2 -n 1 -w 0
"$PY" "$PROBE" recv "$URL/$G" 3 10 >"$T/out" &
P=$!
bg $P
wait_lines "$T/out" 1 || fail "no snapshot"
python3 - "$T/in.sock" <<'PYEOF' || fail "cannot write the source lines"
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall(b'{"type":"source","src":"kalshi","ts":1748736371880,'
          b'"state":"down","detail":"reconnecting in 8 s","retry_in_ms":8000}\n'
          b'{"type":"source","src":"kalshi","ts":1748736379880,"state":"ok"}\n')
s.close()
PYEOF
wait $P || fail probe
expect_eq "down" "$(sed -n 2p "$T/out" | jq -c '[.type,.code,.source,.message,.timestamp]')" \
    '["error","source_down","kalshi","kalshi: reconnecting in 8 s",1748736371880]'
expect_eq "recovered" "$(sed -n 3p "$T/out" | jq -c '[.type,.code,.source]')" \
    '["notice","source_ok","kalshi"]'
"$PY" "$PROBE" recv "$URL/$G" 1 >"$T/snap" || fail probe
expect_eq "snapshot sources" "$(jq -c .sources "$T/snap")" '{"kalshi":"ok"}'
