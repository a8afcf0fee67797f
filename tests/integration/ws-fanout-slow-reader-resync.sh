#!/bin/sh
# A client that stops reading does not grow ws-fanout past its queue
# limit: its queue is dropped, and when it reads again it gets a snapshot
# marked "resync":true followed by updates, ending with every point.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/ws-load.sh"
need_py
start_fanout --client-queue 65536 --sndbuf 4096
G=401800001
feed_sync -i $G -E 5 -K 5 -n 1 -e 5 -w 0
"$PY" "$PROBE" stall "$URL/$G" 4 '"seq":301,' >"$T/out" &
PROBE_PID=$!
bg $PROBE_PID
wait_for grep -q _stalled "$T/out" || fail "probe did not connect"
# 300 ticks of ~2 KiB each, 100 a second: several MiB while it stalls.
feed -H -i $G -s 1 -n 300 -r 100 -e 5 -p 2000 || fail feeder
wait $PROBE_PID || fail "probe failed: $(tail -n 3 "$T/out")"
r=$(metric ws_fanout_resyncs_total)
[ "${r:-0}" -ge 1 ] || fail "no resync counted ($r)"
python3 - "$T/out" <<'PYEOF' || fail "message checks"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
msgs = [m for m in lines if "type" in m]
resync = [i for i, m in enumerate(msgs) if m.get("resync")]
assert resync, "no resync snapshot"
i = resync[-1]
assert msgs[i]["type"] == "snapshot"
pts = msgs[i]["kalshi"] + [p for m in msgs[i + 1:] for p in m["kalshi"]]
stamps = [p["stamp_us"] for p in pts if "stamp_us" in p]
# The 5 history points plus all 300 live ones, each once, in order.
assert len(pts) == 305, len(pts)
assert stamps == sorted(stamps) and len(set(stamps)) == 300
assert msgs[-1]["seq"] == 301
PYEOF
