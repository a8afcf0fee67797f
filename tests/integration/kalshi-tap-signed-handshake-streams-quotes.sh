#!/bin/sh
# shellcheck disable=SC2119 # ktap_start takes optional arguments
# A signed WebSocket handshake is accepted and every ticker and trade frame
# the simulator sends arrives exactly once as a quote or trade line with
# the exact prices; market and source lines come first; the simulator's
# pings are answered; SIGTERM exits 0.
ROOT=${ROOT:?}
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/kalshi-sim.sh"

ksim_keys tap
ksim_start --pubkey "$T/tap.pub.pem" --key-id test-key-id --count 12 \
    --interval 50 --ping-interval 100 --ping-payload 4 -v
KTAP_KEY_ID=test-key-id KTAP_KEY="$T/tap.pem"
ktap_start
# 12 updates of 2 markets; a trade on every third update.
WAIT_SECS=20 wait_lines "$T/sent.ndjson" 32 || fail "simulator sent $(wc -l < "$T/sent.ndjson") frames"
wait_for sh -c "[ \$(jq -c 'select(.type==\"quote\" or .type==\"trade\")' '$T/out.ndjson' | wc -l) -ge 32 ]" ||
    fail "got $(count_lines '.type=="quote"' "$T/out.ndjson") quotes"
ktap_stop
expect_eq "exit status" "$KTAP_RC" 0
# The simulator pinged every 100 ms; kalshi-tap answered. (The pings
# carry a payload: libwebsockets 4.1 answers empty pings too, as strace
# shows, but does not report an empty pong to the server side.)
[ "$(grep -c 'msg=pong conn=1' "$T/sim.log")" -ge 3 ] || fail "pings unanswered"

expect_eq "market lines" "$(count_lines '.type=="market"' "$T/out.ndjson")" 2
expect_eq "IND market" "$(jq -r 'select(.type=="market" and .team=="IND") | .event_ticker' "$T/out.ndjson")" KXNBAGAME-25MAY31NYKIND
expect_eq "first source line" "$(jq -r 'select(.type=="source") | .state' "$T/out.ndjson" | head -n 1)" ok
sent_quotes >"$T/want.q"
got_quotes >"$T/got.q"
expect_eq "ticker frames sent" "$(wc -l < "$T/want.q" | tr -d ' ')" 24
diff "$T/want.q" "$T/got.q" >&2 || fail "quotes differ from the frames sent"
jq -c 'select(.type=="trade") | .msg | [.market_ticker,
    (.yes_price_dollars | tonumber), (.count_fp | tonumber), .taker_side,
    .ts_ms]' "$T/sent.ndjson" >"$T/want.t"
jq -c 'select(.type=="trade") | [.ticker, .price, .count, .taker, .ts]' \
    "$T/out.ndjson" >"$T/got.t"
expect_eq "trade frames sent" "$(wc -l < "$T/want.t" | tr -d ' ')" 8
diff "$T/want.t" "$T/got.t" >&2 || fail "trades differ from the frames sent"
# The key never reaches the logs.
if grep -q "PRIVATE" "$T/tap.log"; then fail "key material in the log"; fi
grep -q 'msg=subscribed conn=1 channel=ticker' "$T/sim.log" ||
    fail "no ticker subscription"
