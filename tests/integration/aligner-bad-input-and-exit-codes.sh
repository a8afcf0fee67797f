#!/bin/sh
# Bad lines are counted and skipped, never fatal (pipe mode still exits 0
# with the good lines' tick); usage errors exit 64, a bad map file 78, a
# closed standard output 74; --help goes to stdout with status 0.
. "$ROOT/tests/lib.sh"
A=$BIN/aligner
G='"game_id":"401772994"'
{
	echo 'not json'
	echo '[1,2]'
	echo '{"type":"wp",'"$G"',"ts":5,"home":0.5}'
	echo '{"type":"wp",'"$G"',"play_id":"1","ts":5,"home":7}'
	echo '{"type":"quote","ts":5,"bid":0.5}'
	printf '{"type":"wp",%s,"play_id":"%s","ts":5,"home":0.5}\n' "$G" \
	    "$(head -c 3000 /dev/zero | tr '\0' x)"
	echo '{"type":"wp",'"$G"',"play_id":"2","ts":6,"home":0.25}'
	echo '{"type":"somethingelse"}'
} >"$T/in"
"$A" --max-line 1024 "$T/in" >"$T/out" 2>"$T/err" || fail "exit $?"
expect_eq "output" "$(jq -c '[.type,.seq,[.espn[].play_id],.aligned.espn]' \
    "$T/out")" '["tick",1,["2"],0.25]'
grep -q 'msg=done lines=5 not_json=2 bad=3 ignored=1 ' "$T/err" ||
    fail "counts: $(tail -n 1 "$T/err")"
grep -q 'kind=too_long' "$T/err" || fail "long line not reported"
grep -v '^ts=[^ ]* level=[a-z]* prog=aligner msg=' "$T/err" &&
    fail "stderr line not logfmt"

"$A" --help >"$T/help" 2>&1 || fail "--help exit $?"
grep -q '^usage: aligner ' "$T/help" || fail "no usage in --help"
set +e
"$A" --no-such-option </dev/null >/dev/null 2>&1; rc=$?
expect_eq "unknown option" $rc 64
"$A" --max-points 0 </dev/null >/dev/null 2>&1; rc=$?
expect_eq "bad number" $rc 64
"$A" - - </dev/null >/dev/null 2>&1; rc=$?
expect_eq "stdin twice" $rc 64
"$A" --map "$T/none" </dev/null >/dev/null 2>&1; rc=$?
expect_eq "missing map" $rc 78
echo '401772994 SOME-TICKER' >"$T/map"
"$A" --map "$T/map" </dev/null >/dev/null 2>"$T/maperr"; rc=$?
expect_eq "bad map" $rc 78
grep -q 'msg="bad map".*line 1' "$T/maperr" || fail "$(cat "$T/maperr")"
"$A" "$T/no-such-file" </dev/null >/dev/null 2>&1; rc=$?
expect_eq "missing input" $rc 74
# A reader that goes away: status 74, at once.
awk 'BEGIN { for (i = 1; i <= 200000; i++)
    printf "{\"type\":\"wp\",\"game_id\":\"1\",\"play_id\":\"%d\",\"ts\":%d,\"home\":0.5}\n", i, i }' \
    >"$T/many"
sh -c '"$0" -q "$1" 2>/dev/null; echo $? >"$2"' "$A" "$T/many" \
    "$T/rc" | head -c 10 >/dev/null
expect_eq "closed stdout status" "$(cat "$T/rc")" 74
exit 0
