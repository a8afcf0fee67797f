#!/bin/sh
# tests/run.sh: runs unit test binaries (arguments) and every integration
# scenario in tests/integration/*.sh, one at a time, each with a fresh
# temporary folder. Prints one line per test and ends with
# "N passed, N failed, N skipped"; exits 1 when anything failed.
# A skip is an exit 77 through tests/lib.sh's skip() (which leaves the
# reason in .skip); any other exit 77 (sysexits' EX_NOPERM from a tool
# under set -e) is a failure. With CI=1 a skip fails too unless
# tests/skips-accepted names the test with a reason.
# Env: BUILD (build folder), ONLY=unit|integration, T=pattern (a subset),
# KEEP=1 keeps the temporary folders, SANITIZE (passed through), CI.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
export ROOT BUILD BIN="$BUILD/bin" DATA="$ROOT/tests/data"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
passed=0 failed=0 skipped=0 failures=
ARTIFACTS=$BUILD/test-artifacts
mkdir -p "$ARTIFACTS"
PER_TEST_TIMEOUT=${PER_TEST_TIMEOUT:-240}
ACCEPTED=$ROOT/tests/skips-accepted

# accepted NAME: tests/skips-accepted has "NAME reason..." (a reason is
# required; a bare name does not count).
accepted() {
	awk -v n="$1" '$1 == n && NF >= 2 { f = 1 } END { exit !f }' \
	    "$ACCEPTED" 2>/dev/null
}

run_one() {	# name, command...
	name=$1; shift
	case ${T:-} in '') ;; *) case $name in *$T*) ;; *) return ;; esac ;; esac
	tmp=$(mktemp -d /tmp/courtside-test.XXXXXX)
	chmod 755 "$tmp"
	start=$(date +%s)
	TMPDIR=$tmp TEST_TMP=$tmp ARTIFACT_DIR=$ARTIFACTS \
	    timeout -k 10 "$PER_TEST_TIMEOUT" "$@" >"$tmp/.log" 2>&1
	rc=$?
	secs=$(( $(date +%s) - start ))
	if [ $rc -eq 0 ]; then
		passed=$((passed + 1)); echo "ok   $name (${secs}s)"
	elif [ $rc -eq 77 ] && [ -s "$tmp/.skip" ] &&
	    { [ -z "${CI:-}" ] || accepted "$name"; }; then
		skipped=$((skipped + 1))
		echo "skip $name: $(tail -n 1 "$tmp/.skip")"
	else
		if [ $rc -eq 77 ] && [ -s "$tmp/.skip" ]; then
			echo "CI: a skip not in tests/skips-accepted:" \
			    "$(tail -n 1 "$tmp/.skip")" >>"$tmp/.log"
		elif [ $rc -eq 77 ]; then
			echo "exit 77 without skip() is not a skip" >>"$tmp/.log"
		fi
		failed=$((failed + 1)); failures="$failures $name"
		echo "FAIL $name (exit $rc, ${secs}s)"
		sed 's/^/    | /' "$tmp/.log" | tail -n 40
		cp "$tmp/.log" "$ARTIFACTS/$(echo "$name" | tr / _).log" 2>/dev/null
	fi
	if [ -z "${KEEP:-}" ]; then rm -rf "$tmp"; else echo "    kept $tmp"; fi
}

if [ "${ONLY:-unit}" = unit ] || [ -z "${ONLY:-}" ]; then
	for t in "$@"; do
		# shellcheck disable=SC2016 # expanded by the inner shell
		run_one "unit/$(basename "$t")" sh -c 'cd "$ROOT" && exec "$0"' "$t"
	done
fi
if [ "${ONLY:-integration}" = integration ] || [ -z "${ONLY:-}" ]; then
	for t in "$ROOT"/tests/integration/*.sh; do
		[ -e "$t" ] || continue
		# shellcheck disable=SC2016 # expanded by the inner shell
		run_one "integration/$(basename "$t" .sh)" sh -c 'cd "$ROOT" && exec sh "$0"' "$t"
	done
fi
[ -n "$failures" ] && echo "failed:$failures"
echo "$passed passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ]
