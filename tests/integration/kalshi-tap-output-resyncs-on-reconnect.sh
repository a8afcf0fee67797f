#!/bin/sh
# --output unix:PATH: a consumer restarted mid-stream first gets
# kalshi-tap's state: a market line per market, the latest quote of each
# (same prices as the last one it saw) and the source line.
ROOT=${ROOT:?}
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/tools/kalshi-sim-lib.sh"
R=$BIN/ndjson-relay
[ -x "$R" ] || skip "no ndjson-relay test tool"
sock=$T/kalshi.sock

"$R" "unix:$sock" --ready-fd 3 3>"$T/ready1" >"$T/down1" 2>/dev/null &
d1=$!; bg $d1
wait_ready "$T/ready1" || fail "listener 1 not ready"
ksim_keys tap
ksim_start --pubkey "$T/tap.pub.pem" --count 6 --interval 50
KTAP_KEY_ID=k KTAP_KEY="$T/tap.pem"
ktap_start --output "unix:$sock"
wait_for sh -c "[ \$(grep -c '\"type\":\"quote\"' '$T/down1') -ge 12 ]" ||
    fail "listener 1 got $(grep -c '"type":"quote"' "$T/down1") quotes"

kill "$d1"; wait "$d1" 2>/dev/null || true
"$R" "unix:$sock" --ready-fd 3 3>"$T/ready2" >"$T/down2" 2>/dev/null &
bg $!
wait_ready "$T/ready2" || fail "listener 2 not ready"
WAIT_SECS=20 wait_lines "$T/down2" 5 || fail "listener 2 got $(wc -l <"$T/down2") lines"
expect_eq "resent types" "$(jq -r .type "$T/down2" | tr '\n' ' ')" \
    "market quote market quote source "
for team in IND NYK; do
	q='select(.type=="quote" and (.ticker|endswith("'$team'"))) | [.ticker,.ts,.bid,.ask,.last,.bid_size,.ask_size,.volume]'
	expect_eq "$team quote" "$(jq -c "$q" "$T/down2")" \
	    "$(jq -c "$q" "$T/down1" | tail -n 1)"
done
expect_eq "resent source" "$(jq -r 'select(.type=="source") | .state' "$T/down2")" ok
ktap_stop
expect_eq "exit status" "$KTAP_RC" 0
