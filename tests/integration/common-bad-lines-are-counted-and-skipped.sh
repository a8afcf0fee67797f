#!/bin/sh
# Over-long, non-JSON and non-object lines are skipped and counted; the
# good lines around them pass through; exit status 0.
. "$ROOT/tests/lib.sh"
R=$BIN/ndjson-relay
{
	echo '{"ok":1}'
	echo 'not json'
	echo '[1,2,3]'
	printf '{"big":"%s"}\n' "$(head -c 5000 /dev/zero | tr '\0' x)"
	printf '\r\n\n'
	echo '{"ok":2}'
	printf '{"ok":3}'	# no final newline
} >"$T/in"
"$R" --max-line 1024 "$T/in" >"$T/out" 2>"$T/err" || fail "exit $?"
expect_eq "good lines" "$(jq -c .ok "$T/out" | tr '\n' ' ')" "1 2 3 "
grep -q 'too_long=1 not_json=1 not_object=1' "$T/err" ||
    fail "counts not reported: $(cat "$T/err")"
# Logs are logfmt on stderr; nothing but data on stdout.
grep -v '^ts=[^ ]* level=[a-z]* prog=ndjson-relay msg=' "$T/err" &&
    fail "stderr line not logfmt"
expect_eq "stdout lines" "$(wc -l <"$T/out")" 3
