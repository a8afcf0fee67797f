#!/bin/sh
# --output unix:PATH: a consumer restarted mid-stream first gets
# kalshi-tap's state: a market line per market, then every quote line
# written so far, byte for byte and in the order written, then the source
# line; then the live quotes. Over both consumers' lifetimes every ticker
# frame the simulator sent reaches the second consumer exactly once, in
# order.
ROOT=${ROOT:?}
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/kalshi-sim.sh"
R=$BIN/ndjson-relay
need_built ndjson-relay
sock=$T/kalshi.sock

"$R" "unix:$sock" --ready-fd 3 3>"$T/ready1" >"$T/down1" 2>/dev/null &
d1=$!; bg $d1
wait_ready "$T/ready1" || fail "listener 1 not ready"
ksim_keys tap
# 60 updates of 2 markets, 100 ms apart: 120 quotes over about 6 s.
ksim_start --pubkey "$T/tap.pub.pem" --count 60 --interval 100
KTAP_KEY_ID=k KTAP_KEY="$T/tap.pem"
ktap_start --output "unix:$sock"
wait_for sh -c "[ \$(grep -c '\"type\":\"quote\"' '$T/down1') -ge 12 ]" ||
    fail "listener 1 got $(grep -c '"type":"quote"' "$T/down1") quotes"

kill "$d1"; wait "$d1" 2>/dev/null || true
n1=$(grep -c '"type":"quote"' "$T/down1")
"$R" "unix:$sock" --ready-fd 3 3>"$T/ready2" >"$T/down2" 2>/dev/null &
bg $!
wait_ready "$T/ready2" || fail "listener 2 not ready"
WAIT_SECS=30 wait_for sh -c "[ \$(jq -c 'select(.type==\"ticker\")' '$T/sent.ndjson' | wc -l) -ge 120 ]" ||
    fail "simulator sent $(count_lines '.type=="ticker"' "$T/sent.ndjson") ticker frames"
WAIT_SECS=20 wait_for sh -c "[ \$(grep -c '\"type\":\"quote\"' '$T/down2') -ge 120 ]" ||
    fail "listener 2 got $(grep -c '"type":"quote"' "$T/down2") quotes"
ktap_stop
expect_eq "exit status" "$KTAP_RC" 0

# The resync: market market quote... source, then live quotes (trades
# are not resent; live ones may come between).
jq -r .type "$T/down2" | grep -v "^trade$" | uniq -c | awk '{print $2}' | tr '\n' ' ' >"$T/shape"
expect_eq "line types" "$(cat "$T/shape")" "market quote source quote "
expect_eq "resent source" "$(jq -r 'select(.type=="source") | .state' "$T/down2")" ok
nh=$(jq -r .type "$T/down2" | sed '/^source$/q' | grep -c '^quote$')
[ "$nh" -ge "$n1" ] || fail "resent $nh quotes, listener 1 had seen $n1"
[ "$nh" -lt 120 ] || fail "listener 2 connected after the stream ended"
grep -q "state resent.*quotes=$nh" "$T/tap.log" || fail "no log of $nh quotes resent"

# What listener 1 saw is resent unchanged (recv included), as its prefix.
grep '"type":"quote"' "$T/down1" >"$T/q1"
grep '"type":"quote"' "$T/down2" | head -n "$n1" >"$T/q2head"
diff "$T/q1" "$T/q2head" >&2 || fail "resent quotes differ from those written"

# Every frame sent, once, in order: history then live.
sent_quotes >"$T/want.q"
jq -c 'select(.type == "quote") | [.ticker, .bid, .ask, .last, .bid_size,
    .ask_size, .volume, .open_interest]' "$T/down2" >"$T/got.q"
expect_eq "ticker frames sent" "$(wc -l <"$T/want.q" | tr -d ' ')" 120
diff "$T/want.q" "$T/got.q" >&2 || fail "listener 2's quotes differ from the frames sent"
