#!/bin/sh
# tests/lint.sh (make lint): runs clang-tidy and cppcheck on the C sources
# and shellcheck on the scripts, mandoc -Tlint on the man pages.
set -u
cd "$(dirname "$0")/.." || exit 1
rc=0
CFLAGS_PKG=$(pkg-config --cflags libcurl libwebsockets jansson libpq libuv openssl)
SRCS=$(find common espn-poll kalshi-tap aligner ws-fanout live-games tests/tools \
    -name '*.c' 2>/dev/null | sort)
echo "== cppcheck"
# shellcheck disable=SC2086
cppcheck --quiet --error-exitcode=1 --std=c11 --enable=warning,portability \
    --inline-suppr -Icommon $SRCS || rc=1
echo "== clang-tidy"
TIDY_CHECKS='-*,clang-analyzer-*,-clang-analyzer-security.insecureAPI.*,-clang-analyzer-deadcode.DeadStores,bugprone-*,-bugprone-easily-swappable-parameters,-bugprone-reserved-identifier,-bugprone-narrowing-conversions,-bugprone-assignment-in-if-condition,-bugprone-sizeof-expression,-bugprone-branch-clone,-bugprone-implicit-widening-of-multiplication-result'
for f in $SRCS; do
	# shellcheck disable=SC2086
	clang-tidy --quiet -checks="$TIDY_CHECKS" \
	    --warnings-as-errors='*' "$f" -- -std=c11 -D_POSIX_C_SOURCE=200809L \
	    -D_DEFAULT_SOURCE -DCOURTSIDE_VERSION='"lint"' -I. -Icommon \
	    $CFLAGS_PKG 2>/dev/null || { echo "clang-tidy: $f"; rc=1; }
done
echo "== shellcheck"
# shellcheck disable=SC2046 # file names have no spaces
shellcheck -s sh -x -P SCRIPTDIR -e SC1091 .ci/run tests/*.sh tests/integration/*.sh tests/fuzz/*.sh \
    $(find tests/bench tests/lib -name '*.sh' 2>/dev/null) || rc=1
echo "== mandoc"
for m in man/*.[0-9]; do
	mandoc -Tlint -Wwarning "$m" || rc=1
done
[ $rc -eq 0 ] && echo "lint: clean"
exit $rc
