#!/bin/sh
# Every long-running tool (not just ndjson-relay): --help on stdout with
# exit 0, an unknown option exits 64 with the usage line on stderr;
# started, it writes its --ready-fd newline and sends READY=1 to
# NOTIFY_SOCKET, and SIGTERM makes it exit 0. live-games, which needs a
# database to serve, has its own in live-games-options.
. "$ROOT/tests/lib.sh"
need_built espn-poll kalshi-tap aligner ws-fanout
need_cmd python3

# notify_listener NAME: a NOTIFY_SOCKET at $T/NAME.sock; what it gets
# goes to $T/NAME.notified.
notify_listener() {
	python3 - "$T/$1.sock" >"$T/$1.notified" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(30)
print(s.recv(100).decode(), flush=True)
PY
	bg $!
	wait_for test -S "$T/$1.sock" || fail "$1: notify listener"
}

# check TOOL ARGS...: help, usage error, then readiness and SIGTERM.
check() {
	tool=$1; shift
	rc=0
	"$BIN/$tool" --help >"$T/out" 2>"$T/err" || rc=$?
	expect_eq "$tool --help exit" $rc 0
	grep -q "^usage: $tool" "$T/out" || fail "$tool --help not on stdout"
	[ -s "$T/err" ] && fail "$tool --help wrote to stderr"
	rc=0
	"$BIN/$tool" --no-such-option >"$T/out" 2>"$T/err" || rc=$?
	expect_eq "$tool unknown option exit" $rc 64
	grep -q "usage: $tool" "$T/err" || fail "$tool: no usage on stderr"

	notify_listener "$tool"
	NOTIFY_SOCKET=$T/$tool.sock "$BIN/$tool" "$@" --ready-fd 3 \
	    3>"$T/$tool.ready" <&5 >"$T/$tool.out" 2>"$T/$tool.log" &
	pid=$!
	bg $pid
	WAIT_SECS=20 wait_ready "$T/$tool.ready" ||
	    fail "$tool: no newline on --ready-fd: $(tail -n 3 "$T/$tool.log")"
	wait_for grep -q READY=1 "$T/$tool.notified" ||
	    fail "$tool: no READY=1 on NOTIFY_SOCKET"
	kill -TERM $pid
	rc=0
	wait $pid || rc=$?
	expect_eq "$tool exit after SIGTERM" $rc 0
}

# A FIFO we hold open for reading and writing: stdin that never ends.
mkfifo "$T/stdin"
exec 5<>"$T/stdin"
check espn-poll --base-url "file://$DATA/espn" --date 20241215 \
    --scoreboard-interval 60s
check kalshi-tap --rest-url "http://127.0.0.1:$(free_port)/trade-api/v2"
check aligner
check ws-fanout --input "unix:$T/fanout.sock" \
    --listen "127.0.0.1:$(free_port)"
