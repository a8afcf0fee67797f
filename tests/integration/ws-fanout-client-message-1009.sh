#!/bin/sh
# Client messages are read and ignored up to 1 KiB; a larger one closes
# the connection with 1009 (message too big).
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/ws-load.sh"
need_py
start_fanout --stats-interval 60s
G=401800001
feed_sync -i $G -E 2 -K 2 -n 1 -w 0
expect_eq "1000 bytes" "$("$PY" "$PROBE" send "$URL/$G" 1000)" open
expect_eq "2000 bytes" "$("$PY" "$PROBE" send "$URL/$G" 2000)" '{"_closed": 1009}'
