#!/bin/sh
# tests/lint.sh (make lint): clang-tidy and cppcheck on the C sources,
# shellcheck on the scripts, mandoc -Tlint on the man pages.
set -u
cd "$(dirname "$0")/.."
rc=0
CFLAGS_PKG=$(pkg-config --cflags libcurl libwebsockets jansson libpq libuv openssl)
SRCS=$(find common espn-poll kalshi-tap aligner ws-fanout live-games tests/tools \
    -name '*.c' 2>/dev/null | sort)
echo "== cppcheck"
# shellcheck disable=SC2086
cppcheck --quiet --error-exitcode=1 --std=c11 --enable=warning,portability \
    --inline-suppr -Icommon $SRCS || rc=1
echo "== clang-tidy"
for f in $SRCS; do
	# shellcheck disable=SC2086
	clang-tidy --quiet -checks='-*,clang-analyzer-*,bugprone-*,-bugprone-easily-swappable-parameters,-bugprone-reserved-identifier,-bugprone-narrowing-conversions,-bugprone-assignment-in-if-condition,-clang-analyzer-security.insecureAPI.DeprecatedOrUnsafeBufferHandling' \
	    --warnings-as-errors='*' "$f" -- -std=c11 -D_POSIX_C_SOURCE=200809L \
	    -D_DEFAULT_SOURCE -DCOURTSIDE_VERSION='"lint"' -I. -Icommon \
	    $CFLAGS_PKG 2>/dev/null || { echo "clang-tidy: $f"; rc=1; }
done
echo "== shellcheck"
shellcheck -s sh .ci/run tests/*.sh tests/integration/*.sh tests/fuzz/*.sh \
    $(find tests/bench tests/lib -name '*.sh' 2>/dev/null) || rc=1
echo "== mandoc"
for m in man/*.[0-9]; do
	mandoc -Tlint -Wwarning "$m" || rc=1
done
[ $rc -eq 0 ] && echo "lint: clean"
exit $rc
