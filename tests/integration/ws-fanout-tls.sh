#!/bin/sh
# --tls-cert/--tls-key: ws-fanout serves https and wss itself (no proxy
# in front). With a throwaway CA: curl --cacert gets /healthz over
# https, and a Python websockets client verifying the certificate gets
# the game's snapshot on wss://localhost:P/ws/live/ID. A certificate
# that cannot be read exits 78 (configuration) with the reason.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/ws-load.sh"
need_py
command -v openssl >/dev/null || fail "openssl is needed"
cd "$T"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=courtside test CA" \
    -keyout ca.key -out ca.pem 2>/dev/null || fail "CA"
openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout srv.key \
    -out srv.csr 2>/dev/null || fail "CSR"
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >ext.cnf
openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
    -days 2 -extfile ext.cnf -out srv.pem 2>/dev/null || fail "certificate"
start_fanout --tls-cert "$T/srv.pem" --tls-key "$T/srv.key"
G=401800001
HTTP=https://localhost:$PORT
# Every curl here (and in the helpers) verifies against the test CA.
export CURL_CA_BUNDLE="$T/ca.pem"
feed_sync -i $G -E 2 -K 2 -n 1 -w 0
expect_eq "https /healthz" "$(curl -sf "$HTTP/healthz" | jq -r .status)" ok
# Plain HTTP and a broken ClientHello on the TLS port are not served,
# and do not take the server down (a failed handshake once freed the
# connection's record twice: SIGABRT).
curl -s -m 2 "http://localhost:$PORT/healthz" | grep -q '"status"' &&
    fail "plain http answered on the TLS port"
python3 "$ROOT/tests/tools/edge-probe.py" send 127.0.0.1 "$PORT" \
    '\x16\x03\x01\x00\x05hello-garbage' 1 >/dev/null
expect_eq "after failed handshakes" "$(curl -sf "$HTTP/healthz" | jq -r .status)" ok
"$PY" - "$PORT" "$G" "$T/ca.pem" <<'PYEOF' >"$T/wss.out" || fail "wss: $(cat "$T/wss.out")"
import asyncio, json, ssl, sys
import websockets
port, game, ca = sys.argv[1:4]
async def main():
    ctx = ssl.create_default_context(cafile=ca)
    async with websockets.connect("wss://localhost:%s/ws/live/%s" % (port, game),
                                  ssl=ctx) as ws:
        m = json.loads(await asyncio.wait_for(ws.recv(), 10))
        print(m.get("type"), m.get("game_id"))
asyncio.run(main())
PYEOF
expect_eq "wss snapshot" "$(cat "$T/wss.out")" "snapshot $G"
# A bad certificate path: 78 and why.
set +e
"$BIN/ws-fanout" --listen "127.0.0.1:$(free_port)" --tls-cert "$T/nope.pem" \
    --tls-key "$T/srv.key" </dev/null 2>"$T/bad.err"
rc=$?
set -e
expect_eq "bad certificate exit" "$rc" 78
grep -q 'nope.pem' "$T/bad.err" || fail "no reason: $(cat "$T/bad.err")"
# A file that is not a certificate: lws refuses it, still 78.
set +e
"$BIN/ws-fanout" --listen "127.0.0.1:$(free_port)" --tls-cert "$T/ext.cnf" \
    --tls-key "$T/srv.key" </dev/null 2>"$T/bad2.err"
rc=$?
set -e
expect_eq "not a certificate exit" "$rc" 78
