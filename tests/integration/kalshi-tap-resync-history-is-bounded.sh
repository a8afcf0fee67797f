#!/bin/sh
# --max-history N: kalshi-tap holds the last N quote lines of each market
# for a consumer that connects later; older ones are dropped and counted
# in a log line. A consumer that connects after the stream ended gets the
# market lines, the last N quotes of each market in the order written,
# and the source line.
ROOT=${ROOT:?}
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/kalshi-sim.sh"
R=$BIN/ndjson-relay
need_built ndjson-relay
sock=$T/kalshi.sock

ksim_keys tap
ksim_start --pubkey "$T/tap.pub.pem" --count 20 --interval 20
KTAP_KEY_ID=k KTAP_KEY="$T/tap.pem"
# Nobody listens yet: kalshi-tap keeps retrying the socket.
ktap_start --output "unix:$sock" --max-history 5
WAIT_SECS=30 wait_for sh -c "[ \$(jq -c 'select(.type==\"ticker\")' '$T/sent.ndjson' | wc -l) -ge 40 ]" ||
    fail "simulator sent $(count_lines '.type=="ticker"' "$T/sent.ndjson") ticker frames"
wait_for grep -Eq 'quote history full.*dropped=1( |$)' "$T/tap.log" ||
    fail "no log of dropped quotes"

"$R" "unix:$sock" --ready-fd 3 3>"$T/ready" >"$T/down" 2>/dev/null &
bg $!
wait_ready "$T/ready" || fail "listener not ready"
WAIT_SECS=20 wait_lines "$T/down" 13 || fail "listener got $(wc -l <"$T/down") lines"
ktap_stop
expect_eq "exit status" "$KTAP_RC" 0
# The resync first; then what queued while nobody listened (the first
# market and source lines, trades), but no quote twice.
expect_eq "resync types" "$(head -n 13 "$T/down" | jq -r .type | uniq -c | awk '{print $1 $2}' | tr '\n' ' ')" \
    "2market 10quote 1source "
expect_eq "quotes received" "$(count_lines '.type=="quote"' "$T/down")" 10
sent_quotes >"$T/sent.q"
: >"$T/want.q"
for tk in $(jq -r 'select(.type=="market") | .ticker' "$T/down"); do
	grep "\"$tk\"" "$T/sent.q" | tail -n 5 >>"$T/want.q"
done
# In write order: the simulator's order, restricted to those kept.
grep -F -x -f "$T/want.q" "$T/sent.q" >"$T/want.ordered"
jq -c 'select(.type == "quote") | [.ticker, .bid, .ask, .last, .bid_size,
    .ask_size, .volume, .open_interest]' "$T/down" >"$T/got.q"
diff "$T/want.ordered" "$T/got.q" >&2 || fail "kept quotes differ from the last 5 sent per market"
