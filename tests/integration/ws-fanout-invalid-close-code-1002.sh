#!/bin/sh
# shellcheck disable=SC2119 # start_fanout takes optional arguments
# A client's close code that is not valid on the wire (RFC 6455 §7.4:
# 0-999, 1004-1006, 1015, 1016-2999, 5000 and up) is answered with 1002,
# not echoed back; valid codes (1000, 1001, 3000, 4999) are echoed.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/ws-load.sh"
EP=$ROOT/tests/tools/edge-probe.py
start_fanout
G=401800001
feed_sync -i $G -E 2 -K 2 -n 1 -w 0
for code in 5000 1005 1006 999 0 2999 1015 65535; do
	expect_eq "close $code" "$(python3 "$EP" close-code 127.0.0.1 "$PORT" "/ws/live/$G" $code)" 1002
done
for code in 1000 1001 3000 4999; do
	expect_eq "close $code" "$(python3 "$EP" close-code 127.0.0.1 "$PORT" "/ws/live/$G" $code)" $code
done
# lws 4.1 rewrites the codes below 5000 itself; 5000 and 65535 are ours.
expect_eq counted "$(metric ws_fanout_bad_close_codes_total)" 2
