#!/bin/sh
# --ready-fd and NOTIFY_SOCKET report readiness; SIGTERM exits 0;
# usage errors exit 64; --help goes to stdout and exits 0.
. "$ROOT/tests/lib.sh"
R=$BIN/ndjson-relay
python3 - "$T/notify" >"$T/notified" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(20)
print(s.recv(100).decode(), flush=True)
PY
bg $!
wait_for test -S "$T/notify" || fail "notify listener"
NOTIFY_SOCKET=$T/notify "$R" "unix:$T/s" --ready-fd 3 3>"$T/ready" 2>/dev/null &
relay=$!
bg $relay
wait_ready "$T/ready" || fail "no newline on --ready-fd"
wait_for grep -q READY=1 "$T/notified" || fail "no READY=1 on NOTIFY_SOCKET"
kill -TERM $relay
wait $relay; rc=$?
expect_eq "SIGTERM exit" $rc 0
test -e "$T/s" && fail "socket file left behind"

"$R" --help >"$T/help" 2>"$T/help.err"; rc=$?
expect_eq "--help exit" $rc 0
grep -q '^usage: ndjson-relay' "$T/help" || fail "--help not on stdout"
test -s "$T/help.err" && fail "--help wrote to stderr"
set +e
"$R" --max-line abc x 2>"$T/err"; rc=$?
expect_eq "bad number exit" $rc 64
grep -q 'max-line abc: invalid' "$T/err" || fail "no reason given"
"$R" --bogus x 2>/dev/null; expect_eq "unknown option exit" $? 64
"$R" 2>/dev/null; expect_eq "missing input exit" $? 64
"$R" --version | grep -q "courtside" || fail "--version"
exit 0
