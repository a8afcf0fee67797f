#!/bin/sh
# The TLS lines of contrib/nginx/courtside.conf work once uncommented
# (given a certificate): the viewer over https and the WebSocket over
# wss on the one origin, curl and a Python websockets client verifying
# the certificate against a throwaway CA, get what ws-fanout sends
# directly; a client that does not trust that CA is refused.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/nginx.sh"
. "$ROOT/tests/lib/ws-load.sh"
need_py
nginx_available || fail "nginx is not installed (make deps)"
# A throwaway CA and a certificate for localhost signed by it.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=courtside-test-ca \
    -keyout "$T/ca.key" -out "$T/ca.pem" 2>"$T/openssl.log" || fail "CA: $(cat "$T/openssl.log")"
openssl req -newkey rsa:2048 -nodes -subj /CN=localhost \
    -keyout "$T/site.key" -out "$T/site.csr" 2>>"$T/openssl.log" || fail "CSR"
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >"$T/san.ext"
openssl x509 -req -in "$T/site.csr" -CA "$T/ca.pem" -CAkey "$T/ca.key" \
    -CAcreateserial -days 2 -extfile "$T/san.ext" -out "$T/site.pem" \
    2>>"$T/openssl.log" || fail "certificate: $(cat "$T/openssl.log")"
chmod 644 "$T/site.key"	# read by nginx's master only, but keep it simple

start_fanout --www "$ROOT/www"
G=401800001
feed_sync -i $G -E 3 -K 3 -n 1 -w 0
NGINX_WS=$PORT NGINX_LIVE=$(free_port) NGINX_APP=$(free_port)
NGINX_TLS_CERT=$T/site.pem NGINX_TLS_KEY=$T/site.key
nginx_start
grep -q "^	listen 127.0.0.1:$NGINX_TLS_PORT ssl http2;" "$NGINX_DIR/courtside.conf" ||
    fail "the TLS listen line was not uncommented"

curl -sf --cacert "$T/ca.pem" "https://localhost:$NGINX_TLS_PORT/" |
    grep -q '<title>courtside</title>' || fail "no viewer over https"
if curl -s -o /dev/null "https://localhost:$NGINX_TLS_PORT/" 2>/dev/null; then
	fail "curl without the CA accepted the certificate"
fi
"$PY" - "wss://localhost:$NGINX_TLS_PORT/ws/live/$G" "$T/ca.pem" >"$T/wss.out" \
    2>"$T/wss.err" <<'EOF' || fail "wss client: $(tail -n 3 "$T/wss.err")"
import asyncio, json, ssl, sys, websockets
async def main(url, ca):
    ctx = ssl.create_default_context(cafile=ca)
    async with websockets.connect(url, ssl=ctx, max_size=None) as ws:
        print(await asyncio.wait_for(ws.recv(), 10))
    try:   # the system's CAs do not know ours
        async with websockets.connect(url, ssl=ssl.create_default_context()):
            print("untrusted: accepted")
    except ssl.SSLCertVerificationError:
        print("untrusted: refused")
asyncio.run(main(sys.argv[1], sys.argv[2]))
EOF
"$PY" "$PROBE" recv "$URL/$G" 1 10 >"$T/direct" || fail probe
expect_eq "wss snapshot" "$(head -n 1 "$T/wss.out" | jq -c 'del(.timestamp)')" \
    "$(jq -c 'del(.timestamp)' "$T/direct")"
expect_eq "its points" "$(head -n 1 "$T/wss.out" | jq '.type == "snapshot" and (.espn | length) > 0')" true
expect_eq "wss without the CA" "$(tail -n 1 "$T/wss.out")" "untrusted: refused"
