#!/bin/sh
# permessage-deflate over wss (ws-fanout's own TLS): Python websockets,
# compression on, verifying a throwaway CA, gets a snapshot whose
# compressed form is over the fragment size and then updates, every one
# compressed (--deflate-min 1) and whole.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/ws-load.sh"
need_py
cd "$T" || fail "cd"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=courtside test CA" \
    -keyout ca.key -out ca.pem 2>/dev/null || fail "CA"
openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout srv.key \
    -out srv.csr 2>/dev/null || fail "CSR"
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >ext.cnf
openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
    -days 2 -extfile ext.cnf -out srv.pem 2>/dev/null || fail "certificate"
start_fanout --tls-cert "$T/srv.pem" --tls-key "$T/srv.key" --deflate-min 1
G=401800001
HTTP=https://localhost:$PORT
export CURL_CA_BUNDLE="$T/ca.pem"
feed_sync -i $G -E 2000 -K 9000 -n 1 -e 5 -w 0
"$PY" - "$PORT" "$G" "$T/ca.pem" <<'PYEOF' >"$T/wss.out" &
import asyncio, json, ssl, sys
import websockets
port, game, ca = sys.argv[1:4]
async def main():
    ctx = ssl.create_default_context(cafile=ca)
    async with websockets.connect("wss://localhost:%s/ws/live/%s" % (port, game),
                                  ssl=ctx, max_size=None) as ws:
        ext = [e.name for e in ws.protocol.extensions] if hasattr(ws, "protocol") \
            else [e.name for e in ws.extensions]
        print("ext", " ".join(ext), flush=True)
        for _ in range(6):
            m = json.loads(await asyncio.wait_for(ws.recv(), 10))
            print(m.get("type"), len(m.get("kalshi", [])), m.get("seq"), flush=True)
asyncio.run(main())
PYEOF
WP=$!
bg "$WP"
wait_for grep -q '^snapshot' "$T/wss.out" || fail "no snapshot: $(cat "$T/wss.out")"
S=$(awk '/^snapshot/ { print $3 }' "$T/wss.out")
feed -H -i $G -s "$S" -n 5 -r 5 -e 5 || fail feeder
wait "$WP" || fail "wss client: $(cat "$T/wss.out")"
expect_eq "negotiated" "$(head -n 1 "$T/wss.out")" "ext permessage-deflate"
expect_eq "snapshot" "$(sed -n 2p "$T/wss.out" | cut -d' ' -f1,2)" "snapshot 9001"
expect_eq "updates" "$(tail -n +3 "$T/wss.out" | cut -d' ' -f1,2 | sort | uniq -c | tr -s ' ')" " 5 update 1"
expect_eq "last seq" "$(tail -n 1 "$T/wss.out" | cut -d' ' -f3)" $((S + 5))
out=$(curl -sf "$HTTP/metrics" | awk '$1 == "ws_fanout_deflate_out_bytes_total" { print $2 }')
[ "${out:-0}" -gt 32768 ] || fail "compressed bytes $out: no fragmented snapshot"
