#!/bin/sh
# tests/run.sh counts skips beside passes and failures; under CI=1 a skip
# fails unless tests/skips-accepted names the test with a reason; an exit
# 77 that is not skip() (a tool's EX_NOPERM under set -e) and a tool that
# is not built are failures, never skips.
. "$ROOT/tests/lib.sh"
F=$T/tree
mkdir -p "$F/tests/integration"
cp "$ROOT/tests/run.sh" "$ROOT/tests/lib.sh" "$F/tests/"
cp -r "$ROOT/tests/lib" "$F/tests/"
S=$F/tests/integration
# scenario NAME LINE: a scenario that sources tests/lib.sh and runs LINE.
scenario() { printf '%s\n%s\n' ". \"\$ROOT/tests/lib.sh\"" "$2" >"$S/$1.sh"; }
scenario a-passes true
scenario b-skips 'skip "no widget here"'
scenario c-skips-accepted 'skip "no gadget here"'
scenario d-exits-77 'sh -c "exit 77"'
scenario e-not-built 'need_built no-such-tool'
scenario f-not-installed 'need_cmd no-such-command-xyz'
printf '%s\n' '# comment' 'integration/c-skips-accepted the gadget is not ours' \
    'integration/f-not-installed' >"$F/tests/skips-accepted"

# T (the pattern) and CI come from the outer run; the inner one gets neither.
run() {
	env -u T -u CI ${CI_INNER:+CI=1} BUILD="$T/build" ONLY=integration \
	    sh "$F/tests/run.sh" >"$T/$1.out" 2>&1
}
run here && fail "a local run with failures exited 0"
grep -q '^ok   integration/a-passes' "$T/here.out" || fail "pass not shown"
grep -q '^skip integration/b-skips: no widget here' "$T/here.out" ||
    fail "skip reason not shown"
grep -q '^FAIL integration/d-exits-77' "$T/here.out" ||
    fail "a bare exit 77 counted as a skip"
grep -q '^FAIL integration/e-not-built' "$T/here.out" ||
    fail "a tool not built counted as a skip"
expect_eq "local summary" "$(tail -n 1 "$T/here.out")" \
    "1 passed, 2 failed, 3 skipped"

CI_INNER=1 run ci && fail "CI run exited 0"
grep -q '^FAIL integration/b-skips' "$T/ci.out" || fail "CI accepted b's skip"
grep -q 'not in tests/skips-accepted' "$T/ci.out" || fail "CI failure unexplained"
grep -q '^skip integration/c-skips-accepted' "$T/ci.out" ||
    fail "CI refused an accepted skip"
grep -q '^FAIL integration/f-not-installed' "$T/ci.out" ||
    fail "CI accepted a skip listed without a reason"
expect_eq "CI summary" "$(tail -n 1 "$T/ci.out")" \
    "1 passed, 4 failed, 1 skipped"

rm "$S"/[b-f]-*.sh
run clean || fail "a clean run failed"
expect_eq "clean summary" "$(tail -n 1 "$T/clean.out")" \
    "1 passed, 0 failed, 0 skipped"
