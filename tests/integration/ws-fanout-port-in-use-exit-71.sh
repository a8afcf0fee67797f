#!/bin/sh
# A listen address already taken: ws-fanout says so and exits 71 (OS
# error) instead of running without a listener.
. "$ROOT/tests/lib.sh"
port=$(free_port)
python3 -c 'import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen()
open(sys.argv[2], "w").write("x"); time.sleep(30)' "$port" "$T/taken" &
bg $!
wait_for test -s "$T/taken" || fail "cannot take a port"
set +e
"$BIN/ws-fanout" --listen "127.0.0.1:$port" --ready-fd 3 3>"$T/ready" \
    </dev/null 2>"$T/err"
rc=$?
set -e
expect_eq "exit status" "$rc" 71
grep -q "cannot listen on 127.0.0.1:$port" "$T/err" || fail "no reason: $(cat "$T/err")"
test -s "$T/ready" && fail "signalled ready without a listener"
exit 0
