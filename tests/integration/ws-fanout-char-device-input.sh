#!/bin/sh
# -i /dev/null (a character device, which epoll cannot watch) is read as
# a file: ws-fanout says the input ended and keeps serving, instead of
# aborting inside libuv (exit 134).
. "$ROOT/tests/lib.sh"
P=$(free_port)
"$BIN/ws-fanout" -i /dev/null --listen "127.0.0.1:$P" --ready-fd 3 \
    3>"$T/ready" 2>"$T/log" &
F=$!
bg $F
wait_ready "$T/ready" || fail "not ready: $(cat "$T/log")"
wait_for grep -q 'msg="input ended" input=/dev/null' "$T/log" ||
    fail "no end of input: $(cat "$T/log")"
expect_eq "healthz" "$(curl -sf "http://127.0.0.1:$P/healthz")" \
    '{"status":"ok","connections":0}'
kill $F
set +e
wait $F
rc=$?
set -e
expect_eq "exit on SIGTERM" "$rc" 0
