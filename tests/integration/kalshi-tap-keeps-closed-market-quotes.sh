#!/bin/sh
# A market that closes (the game is over) keeps its quote history: a
# consumer that connects afterwards still gets its quotes, and so does the
# first consumer of a kalshi-tap restarted with the same --state file,
# though the market is no longer listed open and Kalshi resends nothing.
ROOT=${ROOT:?}
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/kalshi-sim.sh"
R=$BIN/ndjson-relay
need_built ndjson-relay
st=$T/state.ndjson
nyk=KXNBAGAME-25MAY31NYKIND-NYK

ksim_keys tap
# The -NYK market closes after 10 updates; 30 in all, then silence.
ksim_start --pubkey "$T/tap.pub.pem" --close-after 10 --count 30 \
    --interval 50
KTAP_KEY_ID=k KTAP_KEY="$T/tap.pem"
# Nobody listens yet: the quotes are held, not queued.
ktap_start --output "unix:$T/k.sock" --discover-interval 1s --state "$st"
WAIT_SECS=30 wait_for grep -q "msg=\"market closed\" ticker=$nyk" "$T/tap.log" ||
    fail "kalshi-tap did not see the market close"
WAIT_SECS=30 wait_for sh -c "[ \$(jq -c 'select(.type==\"ticker\")' '$T/sent.ndjson' | wc -l) -ge 40 ]" ||
    fail "simulator sent $(count_lines '.type=="ticker"' "$T/sent.ndjson") ticker frames"
sent=$(count_lines ".type==\"ticker\" and .msg.market_ticker==\"$nyk\"" "$T/sent.ndjson")
[ "$sent" -gt 0 ] || fail "no quotes sent for the closing market"

"$R" "unix:$T/k.sock" --ready-fd 3 3>"$T/ready1" >"$T/down1" 2>/dev/null &
bg $!
wait_ready "$T/ready1" || fail "listener 1 not ready"
WAIT_SECS=20 wait_for grep -q 'state resent' "$T/tap.log" ||
    fail "no resync for listener 1"
WAIT_SECS=20 wait_lines "$T/down1" 40 || fail "listener 1 got $(wc -l <"$T/down1") lines"
grep "\"type\":\"quote\",\"src\":\"kalshi\",\"ticker\":\"$nyk\"" "$T/down1" >"$T/nyk1" || true
expect_eq "closed market's quotes resent" "$(wc -l <"$T/nyk1" | tr -d ' ')" "$sent"

kill -KILL "$KTAP_PID"
ktap_wait
"$R" "unix:$T/k2.sock" --ready-fd 3 3>"$T/ready2" >"$T/down2" 2>/dev/null &
bg $!
wait_ready "$T/ready2" || fail "listener 2 not ready"
rm -f "$T/tap.ready"
ktap_start --output "unix:$T/k2.sock" --discover-interval 1s --state "$st"
WAIT_SECS=20 wait_lines "$T/down2" 40 || fail "listener 2 got $(wc -l <"$T/down2") lines"
ktap_stop
expect_eq "exit status" "$KTAP_RC" 0
grep "\"type\":\"quote\",\"src\":\"kalshi\",\"ticker\":\"$nyk\"" "$T/down2" >"$T/nyk2" || true
cmp -s "$T/nyk1" "$T/nyk2" || fail "restarted kalshi-tap lost the closed market's quotes"
grep '"type":"quote"' "$T/down1" >"$T/q1"
grep '"type":"quote"' "$T/down2" >"$T/q2"
cmp -s "$T/q1" "$T/q2" || fail "restarted kalshi-tap resent other quotes"
