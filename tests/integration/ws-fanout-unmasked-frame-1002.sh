#!/bin/sh
# shellcheck disable=SC2119 # start_fanout takes optional arguments
# An unmasked client frame closes the connection with 1002 (RFC 6455
# §5.1), over plain TCP and over TLS: sent whole, with its header's two
# bytes apart, and after a masked message that came a byte at a time.
# libwebsockets 4.1 takes such frames; ws-fanout checks the bytes as
# they are read (rxguard). A masked ping still gets its pong, and the
# count is in /metrics.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/ws-load.sh"
EP=$ROOT/tests/tools/edge-probe.py
G=401800001

probe_all() {
	for how in unmasked split after-text; do
		expect_eq "$1: $how" "$(python3 "$EP" unmasked 127.0.0.1 "$PORT" \
		    "/ws/live/$G" $how)" "close 1002"
	done
	expect_eq "$1: masked ping" "$(python3 "$EP" unmasked 127.0.0.1 "$PORT" \
	    "/ws/live/$G" masked)" pong
}

start_fanout
feed_sync -i $G -E 2 -K 2 -n 1 -w 0
probe_all tcp
expect_eq counted "$(metric ws_fanout_unmasked_frames_total)" 3
"$BIN/ws-load" clients -a "127.0.0.1:$PORT" -g $G -n 3 -m 1 -t 10 \
    >"$T/after.json" || fail "a normal client after the probes: $(cat "$T/after.json")"
expect_eq "still serving" "$(curl -sf "$HTTP/healthz" | jq -r .status)" ok
kill "$FPID"; wait "$FPID" 2>/dev/null; FED=0

cd "$T"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -keyout srv.key -out srv.pem 2>/dev/null || fail "certificate"
start_fanout --tls-cert "$T/srv.pem" --tls-key "$T/srv.key"
HTTP=https://localhost:$PORT
export CURL_CA_BUNDLE="$T/srv.pem" EDGE_PROBE_CA="$T/srv.pem"
feed_sync -i $G -E 2 -K 2 -n 1 -w 0
probe_all tls
expect_eq "tls: counted" "$(metric ws_fanout_unmasked_frames_total)" 3
