#!/bin/sh
# A client that never answers pings is closed once the pong timeout has
# passed; one that answers (Python's websockets does) stays.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/ws-load.sh"
need_py
start_fanout --ping-interval 1s --pong-timeout 1s
G=401800001
feed_sync -i $G -E 2 -K 2 -n 1 -w 0
"$PY" "$PROBE" recv "$URL/$G" 2 5 >"$T/good" &
GOOD=$!
bg $GOOD
out=$("$PY" "$PROBE" nopong "$URL/$G" 8)
case $out in
closed*) ;;
*) fail "silent client not closed: $out" ;;
esac
wait $GOOD
# The answering client got its snapshot and then nothing but a timeout.
expect_eq "good client" "$(wc -l <"$T/good" | tr -d ' ')" 1
expect_eq counted "$(curl -sf "$HTTP/metrics" |
    grep -c 'rejected_total{reason="pong"} 1$')" 1
