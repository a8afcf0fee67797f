# tests/lib.sh: sourced by integration scenarios. Sets -eu, gives the
# scenario a scratch folder ($T), cleans up the processes it started,
# and offers small helpers. A scenario exits 0 (pass), 77 through skip()
# (skip; tests/run.sh counts an exit 77 without skip() as a failure) or
# else (fail). Under CI=1 a skip fails unless tests/skips-accepted names
# the scenario with a reason.
set -eu
: "${ROOT:?run through make check}"
# shellcheck disable=SC2034 # used by the scenarios that source this
T=${TEST_TMP:-$(mktemp -d)}
BIN=${BIN:-$ROOT/build/bin}
DATA=${DATA:-$ROOT/tests/data}
PIDS=
CLEANUPS=

# Remembers a background process to kill at exit.
bg() { PIDS="$PIDS $1"; }
# Registers a command to run at exit (before killing processes).
at_exit() { CLEANUPS="$CLEANUPS
$1"; }
cleanup() {
	rc=$?
	eval "$CLEANUPS" 2>/dev/null || true
	for p in $PIDS; do kill "$p" 2>/dev/null || true; done
	for p in $PIDS; do wait "$p" 2>/dev/null || true; done
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() { echo "FAIL: $*" >&2; exit 1; }
# skip REASON: for what make deps cannot provide (tests/skips-accepted).
skip() {
	echo "$*"
	[ -n "${TEST_TMP:-}" ] && echo "$*" >"$TEST_TMP/.skip"
	exit 77
}
# need_built TOOL...: a tool or test tool of this build; missing is a
# build failure, never a skip.
need_built() {
	for _t in "$@"; do
		[ -x "$BIN/$_t" ] || fail "$_t not built ($BIN/$_t)"
	done
}
# need_cmd CMD...: a command that make deps installs; missing skips (and
# fails under CI=1, where make deps has run).
need_cmd() {
	for _c in "$@"; do
		command -v "$_c" >/dev/null 2>&1 ||
		    skip "$_c not installed (make deps)"
	done
}
note() { echo "# $*" >&2; }

# expect_eq WHAT GOT WANT
expect_eq() {
	[ "$2" = "$3" ] || fail "$1: got '$2', want '$3'"
}

. "$ROOT/tests/lib/port.sh"

# wait_for CMD... : retries CMD for up to WAIT_SECS (10) seconds.
wait_for() {
	i=0; limit=$(( ${WAIT_SECS:-10} * 20 ))
	while ! "$@" >/dev/null 2>&1; do
		i=$((i + 1))
		[ $i -ge $limit ] && return 1
		sleep 0.05
	done
	return 0
}

# wait_ready FD_FILE: waits until a --ready-fd file gets its newline.
wait_ready() { wait_for test -s "$1"; }

# wait_lines FILE N: waits until FILE holds at least N lines.
wait_lines() {
	f=$1 n=$2
	wait_for sh -c "[ \$(wc -l < '$f' 2>/dev/null || echo 0) -ge $n ]"
}
