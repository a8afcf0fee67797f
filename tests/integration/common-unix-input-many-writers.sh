#!/bin/sh
# Several writers connect to one unix: input, disconnect and reconnect;
# every line arrives once and lines from different writers never mix.
. "$ROOT/tests/lib.sh"
R=$BIN/ndjson-relay
sock=$T/in.sock
"$R" "unix:$sock" --ready-fd 3 3>"$T/ready" >"$T/out" 2>"$T/err" &
bg $!
wait_ready "$T/ready" || fail "relay not ready"

# Three writers at once, each 500 lines, then one that reconnects twice.
for w in 1 2 3; do
	awk -v w=$w 'BEGIN { for (i = 1; i <= 500; i++)
	    printf "{\"w\":%d,\"i\":%d,\"pad\":\"%0200d\"}\n", w, i, 0 }' >"$T/w$w"
	"$R" "$T/w$w" --output "unix:$sock" 2>>"$T/werr" &
	writers="${writers:-} $!"
done
for p in $writers; do wait "$p" || fail "a writer failed"; done
for k in 1 2; do
	printf '{"w":4,"i":%d}\n' $k | "$R" - --output "unix:$sock" 2>>"$T/werr" ||
	    fail "reconnecting writer failed"
done
wait_lines "$T/out" 1502 || fail "got $(wc -l <"$T/out") lines, want 1502"
# Each line intact and each (w, i) exactly once.
got=$(jq -c 'select(.w != null) | [.w, .i]' "$T/out" | sort -u | wc -l)
expect_eq "distinct lines" "$got" 1502
for w in 1 2 3; do
	expect_eq "writer $w" "$(jq -c "select(.w == $w)" "$T/out" | wc -l)" 500
done
grep -q 'msg="writer left"' "$T/err" || fail "disconnects not logged"
