#!/bin/sh
# shellcheck disable=SC2119 # ktap_start takes optional arguments
# Without a key kalshi-tap polls the REST market data and writes the same
# quote lines the WebSocket would: every state of the simulator's path,
# once each, with exact prices, sizes and volumes.
ROOT=${ROOT:?}
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/kalshi-sim.sh"

# The simulator logs every ticker frame it would send (none: no WS
# subscriber), so ask it for the path through a WS-less run: one state a
# second, polled five times as often.
ksim_start --interval 1000 --count 5
ktap_start --poll-interval 0.2s
WAIT_SECS=30 wait_for sh -c "[ \$(jq -c 'select(.type==\"quote\")' '$T/out.ndjson' | wc -l) -ge 10 ]" ||
    fail "got $(count_lines '.type=="quote"' "$T/out.ndjson") quotes"
# Let a few more polls pass: the path has ended, nothing more may come.
sleep 1
ktap_stop
expect_eq "exit status" "$KTAP_RC" 0
expect_eq "quotes" "$(count_lines '.type=="quote"' "$T/out.ndjson")" 10
expect_eq "source" "$(jq -r 'select(.type=="source") | .state + " " + .detail' "$T/out.ndjson")" "ok rest polling"
grep -q 'tickers=KXNBAGAME-25MAY31NYKIND-IND,KXNBAGAME-25MAY31NYKIND-NYK cursor=""' \
    "$T/sim.log" || fail "no market data request"
# Same seed, same path: a WebSocket run of the simulator sends these.
kill "$KSIM_PID"
wait "$KSIM_PID" 2>/dev/null || true
# Per market, in order (two markets' polls may interleave differently).
got_quotes | sort -s -t, -k1,1 >"$T/got.q"
: >"$T/sent.ndjson"
ksim_keys tap
ksim_start --pubkey "$T/tap.pub.pem" --interval 50 --count 5
mv "$T/out.ndjson" "$T/rest.ndjson"
KTAP_KEY_ID=k KTAP_KEY="$T/tap.pem"
ktap_start
wait_for sh -c "[ \$(jq -c 'select(.type==\"quote\")' '$T/out.ndjson' | wc -l) -ge 10 ]" ||
    fail "WebSocket run: no quotes"
ktap_stop
sent_quotes | sort -s -t, -k1,1 >"$T/want.q"
diff "$T/want.q" "$T/got.q" >&2 || fail "REST quotes differ from the WebSocket path"
got_quotes | sort -s -t, -k1,1 >"$T/ws.q"
diff "$T/ws.q" "$T/got.q" >&2 || fail "REST and WebSocket quote lines differ"
