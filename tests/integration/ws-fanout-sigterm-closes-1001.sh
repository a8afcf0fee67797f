#!/bin/sh
# SIGTERM closes every client with 1001 (going away) and exits 0.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/ws-load.sh"
need_py
start_fanout --stats-interval 60s
G=401800001
feed_sync -i $G -E 2 -K 2 -n 1 -w 0
"$PY" "$PROBE" recv "$URL/$G" 5 30 >"$T/a" & A=$!
"$PY" "$PROBE" recv "$URL/$G" 5 30 >"$T/b" & B=$!
bg "$A $B"
if ! wait_lines "$T/a" 1 || ! wait_lines "$T/b" 1; then
	fail "clients got no snapshot"
fi
kill -TERM "$FPID"
wait "$FPID"
expect_eq "exit status" "$?" 0
wait $A; wait $B
expect_eq "client a" "$(tail -n 1 "$T/a")" '{"_closed": 1001}'
expect_eq "client b" "$(tail -n 1 "$T/b")" '{"_closed": 1001}'
grep -q 'msg=stopped' "$T/fanout.log" || fail "no stopped log line"
