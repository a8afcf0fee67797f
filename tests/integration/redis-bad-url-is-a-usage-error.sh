#!/bin/sh
# A malformed redis:// spec is a usage error (exit 64, the reason on
# stderr) for the aligner's output and ws-fanout's input, before
# anything connects.
. "$ROOT/tests/lib.sh"
for spec in redis://h:0/x redis://h/ redis://h:99999/x 'redis://h/a b' \
    redis://user@h/x redis://h; do
	rc=0
	"$BIN/aligner" -o "$spec" </dev/null 2>"$T/al.err" || rc=$?
	expect_eq "aligner -o $spec" "$rc" 64
	grep -q -- '--output: ' "$T/al.err" || fail "aligner: no reason for $spec"
	rc=0
	"$BIN/ws-fanout" -i "$spec" --listen "127.0.0.1:$(free_port)" \
	    2>"$T/wf.err" || rc=$?
	expect_eq "ws-fanout -i $spec" "$rc" 64
	grep -q -- '--input: ' "$T/wf.err" || fail "ws-fanout: no reason for $spec"
done
