#!/bin/sh
# A game id the stream never mentioned, or one that is not a game id at
# all, gets one error message (code unknown_game) and then close 4404.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/ws-load.sh"
need_py
start_fanout --stats-interval 60s
feed_sync -i 401800001 -E 2 -K 2 -n 1 -w 0
for id in 999 abc; do
	"$PY" "$PROBE" recv "$URL/$id" 3 >"$T/out" || fail "probe failed"
	expect_eq "lines for $id" "$(wc -l <"$T/out" | tr -d ' ')" 2
	expect_eq "code for $id" \
	    "$(head -n 1 "$T/out" | jq -r '.type + " " + .code')" \
	    "error unknown_game"
	expect_eq "close for $id" "$(tail -n 1 "$T/out")" '{"_closed": 4404}'
done
# The C client sees the same close code.
mkdir "$T/d"
"$LOAD" clients -a "127.0.0.1:$PORT" -g 12345 -n 1 -D "$T/d" -d 1 -t 10 \
    >/dev/null || true
expect_eq "C client close" "$(tail -n 1 "$T/d/client-0.ndjson")" \
    '{"type":"_closed","code":4404}'
expect_eq "counted" "$(curl -sf "$HTTP/metrics" |
    grep -c 'rejected_total{reason="unknown_game"} 3$')" 1
