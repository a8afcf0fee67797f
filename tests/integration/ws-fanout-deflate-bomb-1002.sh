#!/bin/sh
# A client that negotiated permessage-deflate and sends a compressed
# message (here a deflate bomb: 300 bytes that inflate to 10 MB) is
# closed with 1002 and never inflated: ws-fanout's memory stays flat
# over 30 of them, and a plain client beside them still gets its
# snapshot.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/ws-load.sh"
need_py
DP=$ROOT/tests/tools/ws-deflate-probe.py
start_fanout --stats-interval 60s
G=401800001
feed_sync -i $G -E 3 -K 3 -n 1 -w 0
rss() { awk '$1 == "VmRSS:" { print $2 }' "/proc/$FPID/status"; }
expect_eq "first bomb" "$("$PY" "$DP" bomb "$URL/$G" 10000000)" 1002
before=$(rss)
i=0
while [ $i -lt 30 ]; do
	expect_eq "bomb $i" "$("$PY" "$DP" bomb "$URL/$G" 10000000)" 1002
	i=$((i + 1))
done
after=$(rss)
note "rss before=${before}kB after=${after}kB"
[ $((after - before)) -lt 2048 ] || fail "memory grew from ${before} kB to ${after} kB"
"$PY" "$PROBE" recv "$URL/$G" 1 5 >"$T/plain" || fail probe
expect_eq "plain client" "$(jq -r .type "$T/plain")" snapshot
