#!/bin/sh
# A Redis connection reset under a command (the TCP RST the kernel sends
# when Redis dies with that command unread) is noticed at once: ws-fanout
# reconnects and reads again, and the aligner reconnects and publishes
# the game it had sent into the reset. (hiredis 0.14's libuv adapter
# dropped the poll error, and the reader then waited forever.)
. "$ROOT/tests/lib.sh"

# fake NAME CMD RESETS: a redis-reset on a free port; its port in $T/NAME.port
fake() {
	"$ROOT/tests/tools/redis-reset.py" --port-file "$T/$1.port" \
	    --reset-on "$2" --resets "$3" --log "$T/$1.log" 2>"$T/$1.err" &
	bg "$!"
	wait_for test -s "$T/$1.port" || fail "redis-reset did not start"
}
conns() { awk '{ n[$1] = 1 } END { print length(n) }' "$T/$1.log" 2>/dev/null; }

# ws-fanout: two resets under its XREAD BLOCK, then it reads on.
fake rd XREAD 2
p=$(free_port)
"$BIN/ws-fanout" -i "redis://127.0.0.1:$(cat "$T/rd.port")/cs" \
    --listen "127.0.0.1:$p" 2>"$T/wf.err" &
bg "$!"
WAIT_SECS=10 wait_for sh -c "[ \"\$(awk '{ n[\$1] = 1 } END { print length(n) }' $T/rd.log)\" -ge 3 ] &&
    grep -q '^3 XREAD' $T/rd.log" ||
    fail "ws-fanout did not come back after the resets: $(conns rd) connections; $(tail -n 3 "$T/wf.err")"
n=$(grep -c 'msg="broker lost"' "$T/wf.err")
expect_eq "ws-fanout: connections lost" "$n" 2
# TCP keepalive on the broker connection: a vanished peer is noticed.
# (ss shows one timer: a retransmit one hides it while data is in flight.)
WAIT_SECS=5 wait_for sh -c "ss -tno state established 'dst 127.0.0.1:$(cat "$T/rd.port")' |
    grep -q keepalive" ||
    fail "no TCP keepalive on ws-fanout's Redis connection: $(ss -tno "dst 127.0.0.1:$(cat "$T/rd.port")")"
c=$(curl -sf "http://127.0.0.1:$p/metrics" | awk '$1 == "ws_fanout_broker_connects_total" { print $2 }')
expect_eq "ws-fanout: broker connects" "$c" 3

# aligner: the reset takes its first XADD (the game's full entry); after
# the reconnect the game is published again.
fake al XADD 1
mkfifo "$T/in"
"$BIN/aligner" -o "redis://127.0.0.1:$(cat "$T/al.port")/cs" "$T/in" \
    2>"$T/al.err" &
bg "$!"
exec 4>"$T/in"
"$ROOT/tests/tools/gen-aligner-game" --espn-only | head -n 20 >&4
WAIT_SECS=10 wait_for grep -q '^2 XADD cs:game:401772994 .* k full' "$T/al.log" ||
    fail "the aligner did not publish the game again: $(tail -n 3 "$T/al.err")"
grep -q '^1 XADD cs:game:401772994 .* k full' "$T/al.log" ||
    fail "the first connection never got the game (no reset tested)"
exec 4>&-
