#!/bin/sh
# --state FILE during a long run: once the quote lines appended since the
# last rewrite pass 1 MiB plus four times what that rewrite kept, kalshi-tap
# rewrites FILE from the quotes it holds (--max-history per market). FILE
# stays far smaller than the stream, and holds only lines written, in the
# order written, each once.
ROOT=${ROOT:?}
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/kalshi-sim.sh"
st=$T/state.ndjson

ksim_keys tap
# 3000 updates of 2 markets, 1 ms apart: 6000 quotes, about 1.4 MB.
ksim_start --pubkey "$T/tap.pub.pem" --count 3000 --interval 1
KTAP_KEY_ID=k KTAP_KEY="$T/tap.pem"
ktap_start --state "$st" --max-history 5
WAIT_SECS=90 wait_for sh -c "[ \$(grep -c '\"type\":\"quote\"' '$T/out.ndjson') -ge 6000 ]" ||
    fail "wrote $(grep -c '"type":"quote"' "$T/out.ndjson") quotes"
ktap_stop
expect_eq "exit status" "$KTAP_RC" 0
grep '"type":"quote"' "$T/out.ndjson" >"$T/q"
qbytes=$(wc -c <"$T/q" | tr -d ' ')
sbytes=$(wc -c <"$st" | tr -d ' ')
[ "$qbytes" -gt 1100000 ] || fail "only $qbytes bytes of quotes: no rewrite due"
grep -q 'msg="state file rewritten".*quotes=10 ' "$T/tap.log" ||
    fail "no log of the state file rewritten with 10 quotes"
# 1 MiB + 4 x (10 lines) + a line: the most it can hold between rewrites.
[ "$sbytes" -le 1060000 ] || fail "state file $sbytes bytes for $qbytes written"
[ "$sbytes" -lt "$qbytes" ] || fail "state file not smaller than the stream"
# Its lines: the stream's last ones, in order, none twice.
n=$(wc -l <"$st" | tr -d ' ')
tail -n "$n" "$T/q" | cmp -s - "$st" || fail "state file is not the stream's tail"
