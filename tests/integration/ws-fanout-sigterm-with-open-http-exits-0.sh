#!/bin/sh
# SIGTERM while kept-alive HTTP connections are open (answered, not yet
# closed, so still within --request-timeout) and others are half-sent:
# ws-fanout exits 0. lws frees those connections from the loop after
# its context is gone; their records were freed first, and that was a
# SIGSEGV at exit (1 run in 15 of ws-fanout-char-device-input).
. "$ROOT/tests/lib.sh"
EP=$ROOT/tests/tools/edge-probe.py
for round in 1 2 3; do
	P=$(free_port)
	rm -f "$T/ready"
	"$BIN/ws-fanout" -i /dev/null --listen "127.0.0.1:$P" --ready-fd 3 \
	    3>"$T/ready" 2>"$T/log" &
	F=$!
	bg $F
	wait_ready "$T/ready" || fail "not ready: $(cat "$T/log")"
	mkfifo "$T/hold$round"
	python3 "$EP" hold 127.0.0.1 "$P" 4 127.0.0.1 \
	    'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n' <"$T/hold$round" >"$T/held" &
	H=$!
	exec 5>"$T/hold$round"
	python3 "$EP" hold 127.0.0.1 "$P" 4 127.0.0.1 'GET /heal' \
	    <"$T/hold$round" >"$T/half" 5>&- &
	H2=$!
	wait_for grep -q 'open 4' "$T/held" || fail "the connections did not open"
	wait_for grep -q 'open 4' "$T/half" || fail "the half requests did not open"
	sleep 0.3
	kill $F
	set +e
	wait $F
	rc=$?
	set -e
	expect_eq "round $round: exit on SIGTERM" "$rc" 0
	exec 5>&-
	wait $H $H2 2>/dev/null || true
done
