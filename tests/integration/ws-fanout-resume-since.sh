#!/bin/sh
# ?since=EPOCH:SEQ returns exactly the missed updates while they are held,
# and a snapshot once they are not (or for another epoch).
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/ws-load.sh"
need_py
start_fanout --history 5
G=401800001
feed -i $G -E 3 -K 3 -n 4 -r 5 -e 42 -w 0
wait_for sh -c "curl -sf '$HTTP/metrics' | grep -q 'updates_sent\|game_id'"
"$PY" "$PROBE" recv "$URL/$G" 1 >"$T/first" || fail probe
seq=$(jq .seq "$T/first")
expect_eq "first snapshot" "$(jq -r .type "$T/first")" snapshot
expect_eq "first seq" "$seq" 5
# Three more ticks while we are away (slow enough not to merge).
feed -H -i $G -s 5 -n 3 -r 5 -e 42 || fail feeder
"$PY" "$PROBE" recv "$URL/$G?since=42:5" 3 2 >"$T/resumed" || fail probe
expect_eq "resumed types" "$(jq -r .type "$T/resumed" | sort -u)" update
expect_eq "resumed seqs" "$(jq -r .seq "$T/resumed" | tr '\n' ' ')" "6 7 8 "
expect_eq "resumed points" "$(jq '.kalshi | length' "$T/resumed" | tr '\n' ' ')" "1 1 1 "
# Too old for a history of five updates, another epoch, or ahead: snapshot.
for since in 42:1 41:5 42:99; do
	"$PY" "$PROBE" recv "$URL/$G?since=$since" 1 >"$T/snap" || fail probe
	expect_eq "since=$since" "$(jq -r '.type + " " + (.seq|tostring)' "$T/snap")" \
	    "snapshot 8"
done
expect_eq "up to date" "$("$PY" "$PROBE" recv "$URL/$G?since=42:8" 1 1 2>&1 |
    grep -c type)" 0
