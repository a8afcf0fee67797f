#!/bin/sh
# A client that never answers a ping is closed at the pong timeout after
# that ping, not seconds later: with the defaults (30 s, 5 s) lws' own
# kill closed it 27 s after the ping. Checked at two scales, 2 s / 1 s
# and the defaults' 6:1 ratio as 6 s / 1 s, within 250 ms each: the
# deadline has its own timer, so neither the 500 ms ping sweep nor the
# ping interval moves it.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/ws-load.sh"
EP=$ROOT/tests/tools/edge-probe.py
G=401800001
for scale in "2s 1s" "6s 1s"; do
	# shellcheck disable=SC2086 # two words: ping and pong
	set -- $scale
	start_fanout --ping-interval "$1" --pong-timeout "$2"
	feed_sync -i $G -E 2 -K 2 -n 1 -w 0
	out=$(python3 "$EP" no-pong 127.0.0.1 "$PORT" "/ws/live/$G" 12)
	secs=$(echo "$out" | awk '/^closed/ { print $2 }')
	echo "$out" | grep -q '^ping' || fail "ping $1: no ping: $out"
	[ -n "$secs" ] || fail "ping $1: never closed: $out"
	awk -v s="$secs" 'BEGIN { exit !(s >= 0.9 && s <= 1.25) }' ||
	    fail "ping $1 pong $2: closed $secs s after the ping"
	expect_eq "counted" "$(metric 'ws_fanout_rejected_total{reason="pong"}')" 1
	kill "$FPID"
	wait "$FPID" || true
	FED=0
done
