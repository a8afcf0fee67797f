#!/bin/sh
# live-games-serves-https: with --tls-cert/--tls-key live-games answers
# HTTPS itself (a certificate from a throwaway CA made here, verified by
# curl and Python against that CA); plain HTTP to the TLS port fails cleanly and
# the server serves on; a missing, unreadable or mismatched certificate
# or key is refused at start with exit 78 and a message naming the file.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/livegames.sh"
command -v openssl >/dev/null 2>&1 || skip "openssl not installed"
command -v jq >/dev/null 2>&1 || skip "jq not installed"

# A CA, and a certificate for localhost and 127.0.0.1 signed by it.
cd "$T"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=courtside-test-ca \
    -keyout ca.key -out ca.pem 2>/dev/null || fail "CA"
openssl req -newkey rsa:2048 -nodes -subj /CN=localhost \
    -keyout key.pem -out req.pem 2>/dev/null || fail "request"
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >ext.cnf
openssl x509 -req -in req.pem -CA ca.pem -CAkey ca.key -CAcreateserial \
    -days 2 -extfile ext.cnf -out cert.pem 2>/dev/null || fail "certificate"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=other \
    -keyout other.key -out other.pem 2>/dev/null || fail "other"
cd "$ROOT"

lg_start --tls-cert "$T/cert.pem" --tls-key "$T/key.pem"
H=https://localhost:$PORT
curl -s -m 5 --cacert "$T/ca.pem" "$H/api/live/games" >"$T/b" ||
    fail "https: curl exit $?"
jq -e '.games | length == 1' "$T/b" >/dev/null || fail "games: $(cat "$T/b")"
expect_eq "https healthz" "$(curl -s -m 5 --cacert "$T/ca.pem" \
    -o /dev/null -w '%{http_code} %{http_version}' "$H/healthz")" "200 1.1"
# Python, verifying against the same CA.
python3 - "$H/api/live/games" "$T/ca.pem" >"$T/py" <<'PY' || fail "python: $(cat "$T/py")"
import json, ssl, sys, urllib.request
ctx = ssl.create_default_context(cafile=sys.argv[2])
with urllib.request.urlopen(sys.argv[1], context=ctx, timeout=5) as r:
    print(r.status, json.load(r)["games"][0]["game_id"])
PY
expect_eq "python over https" "$(cat "$T/py")" "200 401772994"
# Unverified (no CA given): curl refuses the certificate.
rc=0
curl -s -m 5 -o /dev/null "$H/healthz" || rc=$?
expect_eq "unknown CA refused by curl" $rc 60

# Plain HTTP to the TLS port: no answer, promptly; the server goes on.
rc=0
curl -s -m 5 -o /dev/null "http://127.0.0.1:$PORT/healthz" || rc=$?
case $rc in 52|56|1|35) ;; *) fail "plain http on the TLS port: curl exit $rc" ;; esac
expect_eq "still serving" "$(curl -s -m 5 --cacert "$T/ca.pem" -o /dev/null \
    -w '%{http_code}' "$H/api/live/games")" 200
kill -TERM $LG
rc=0
wait $LG || rc=$?
expect_eq "exit after SIGTERM" $rc 0

# bad_start NAME WANT-IN-LOG ARGS...: exit 78, the reason in the log.
bad_start() {
	what=$1 want=$2
	shift 2
	rc=0
	"$BIN/live-games" --listen "127.0.0.1:$(free_port)" \
	    --espn-base-url "$SIM" --db "host=127.0.0.1 port=1" "$@" \
	    2>"$T/bad.err" || rc=$?
	expect_eq "$what: exit" $rc 78
	grep -q "$want" "$T/bad.err" || fail "$what: $(cat "$T/bad.err")"
}
bad_start "missing certificate" "cannot load certificate $T/nope.pem" \
    --tls-cert "$T/nope.pem" --tls-key "$T/key.pem"
bad_start "not a certificate" "cannot load certificate $T/ext.cnf" \
    --tls-cert "$T/ext.cnf" --tls-key "$T/key.pem"
bad_start "missing key" "cannot load private key $T/nope.key" \
    --tls-cert "$T/cert.pem" --tls-key "$T/nope.key"
bad_start "key of another certificate" "other.key.*\(mismatch\|does not match\)" \
    --tls-cert "$T/cert.pem" --tls-key "$T/other.key"
rc=0
"$BIN/live-games" --tls-cert "$T/cert.pem" 2>"$T/bad.err" || rc=$?
expect_eq "--tls-cert alone: usage" $rc 64
exit 0
