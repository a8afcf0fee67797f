#!/bin/sh
# wss:// and https://: with the simulator's throwaway CA given (--ca-file)
# the handshake and the market list go over verified TLS and quotes flow;
# without it the certificate is refused by both and the source degrades.
ROOT=${ROOT:?}
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/kalshi-sim.sh"

ksim_keys tap
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/tls.key" \
    -out "$T/tls.crt" -days 2 -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1 2>/dev/null ||
    fail "openssl cannot make a test certificate"
ksim_start --pubkey "$T/tap.pub.pem" --tls-cert "$T/tls.crt" \
    --tls-key "$T/tls.key" --count 6 --interval 50
KSIM_WS=wss://127.0.0.1:$KSIM_PORT/trade-api/ws/v2
KSIM_REST=https://127.0.0.1:$KSIM_PORT/trade-api/v2
KTAP_KEY_ID=k KTAP_KEY="$T/tap.pem"

ktap_start --ca-file "$T/tls.crt"
wait_for sh -c "[ \$(grep -c '\"type\":\"quote\"' '$T/out.ndjson') -ge 12 ]" ||
    fail "no quotes over TLS"
ktap_stop
expect_eq "exit status" "$KTAP_RC" 0
sent_quotes >"$T/want.q"
got_quotes >"$T/got.q"
diff "$T/want.q" "$T/got.q" >&2 || fail "quotes differ"

ktap_start --give-up 2
WAIT_SECS=20 wait_for grep -q '"state":"down"' "$T/out.ndjson" ||
    fail "an unknown CA was not refused"
ktap_wait
expect_eq "exit status" "$KTAP_RC" 69
grep -q 'msg="market discovery failed" error="SSL certificate problem' \
    "$T/tap.log" || fail "curl did not refuse the certificate"
grep -q 'msg="websocket failed" error="connect failed: .*SSL' \
    "$T/tap.log" || fail "lws did not refuse the certificate"
expect_eq "quotes without the CA" "$(count_lines '.type=="quote"' "$T/out.ndjson")" 0
