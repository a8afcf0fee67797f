#!/bin/sh
# Issue 18's open-files exhaustion, from 20 addresses: with -c 20, 200
# sockets each sending "CONNECT / HTTP/1.1" and holding. ws-fanout's
# open-files limit covers --max-pending as well as -c, so the accepts do
# not fail (they did: 2.2 million log lines in 6 s and a spinning CPU);
# /healthz answers at once meanwhile, the log stays small, the process
# sleeps, and the deadline closes all 200. (The EMFILE pause itself is
# tests/unit/test_accept.c's, with a low RLIMIT_NOFILE.)
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/ws-load.sh"
EP=$ROOT/tests/tools/edge-probe.py
start_fanout -c 20
cpu() { awk '{ print $14 + $15 }' "/proc/$FPID/stat"; }
mkfifo "$T/hold"
i=10
while [ $i -lt 30 ]; do
	python3 "$EP" hold 127.0.0.1 "$PORT" 10 "127.0.0.$i" \
	    'CONNECT / HTTP/1.1\r\nHost: x\r\n\r\n' <"$T/hold" >"$T/flood.$i" &
	bg $!
	i=$((i + 1))
done
exec 4>"$T/hold"
wait_for sh -c "[ \$(cat '$T'/flood.* | grep -c '^open 10') -eq 20 ]" ||
    fail "the flood did not connect: $(cat "$T"/flood.* | sort | uniq -c)"
c0=$(cpu)
sleep 2
t0=$(date +%s%N)
curl -sf -m 4 "$HTTP/healthz" >/dev/null || fail "/healthz did not answer"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ "$ms" -lt 1000 ] || fail "/healthz took $ms ms"
ticks=$(( $(cpu) - c0 ))
[ "$ticks" -lt 50 ] || fail "ws-fanout used $ticks ticks of CPU in 2 s while idle"
expect_eq "pending" "$(metric ws_fanout_preupgrade_connections)" 201
WAIT_SECS=8 wait_for sh -c "[ \$(cat '$T'/flood.* | grep -c '^closed') -eq 200 ]" ||
    fail "$(cat "$T"/flood.* | grep -c '^closed') of 200 closed by the deadline"
exec 4>&-
lines=$(wc -l <"$T/fanout.log")
[ "$lines" -lt 20 ] || fail "log of $lines lines: $(head -n 5 "$T/fanout.log")"
expect_eq "no accept pauses" "$(metric 'ws_fanout_accept_waits_total{reason="no_files"}')" 0
