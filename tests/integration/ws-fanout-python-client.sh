#!/bin/sh
# A client written by someone else (Python's websockets) receives, within
# 10 s, a JSON message carrying espn and kalshi; with an invalid id it
# receives the error and the close.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/ws-load.sh"
need_py
start_fanout --stats-interval 60s
G=401800001
feed_sync -i $G -E 3 -K 3 -n 1 -w 0
"$PY" "$PROBE" recv "$URL/$G" 1 10 >"$T/ok" || fail probe
expect_eq "has espn and kalshi" \
    "$(jq '(.espn | type) + " " + (.kalshi | type)' "$T/ok")" '"array array"'
"$PY" "$PROBE" recv "$URL/x1" 2 10 >"$T/bad" || fail probe
expect_eq "error" "$(head -n 1 "$T/bad" | jq -r .code)" unknown_game
expect_eq "close" "$(tail -n 1 "$T/bad")" '{"_closed": 4404}'
