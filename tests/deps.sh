#!/bin/sh
# tests/deps.sh (make deps): installs the Debian packages that building,
# testing and the demo need (nginx-light: the demo's one origin and the
# tests through it); does nothing when they are all present.
# "tests/deps.sh bench" installs the benchmarks' peers too (wrk, nginx's
# nchan module).
set -eu
PKGS="build-essential pkg-config clang libclang-rt-14-dev
libcurl4-openssl-dev libwebsockets-dev libjansson-dev libpq-dev libuv1-dev
libssl-dev libhiredis-dev postgresql redis-server curl jq python3 valgrind
shellcheck mandoc cppcheck clang-tidy openssl procps python3-websockets chromium
nginx-light bsdutils zlib1g-dev"
[ "${1:-}" = bench ] && PKGS="$PKGS wrk libnginx-mod-nchan"
missing=
for p in $PKGS; do
	dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null |
	    grep -q '^installed$' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "deps: installing:$missing" >&2
SUDO=
[ "$(id -u)" -ne 0 ] && SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086
$SUDO apt-get install -y --no-install-recommends $missing >/dev/null 2>&1 || {
	$SUDO apt-get update >/dev/null
	# shellcheck disable=SC2086
	$SUDO apt-get install -y --no-install-recommends $missing
}
