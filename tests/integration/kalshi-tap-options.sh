#!/bin/sh
# Usage and configuration errors: --help to stdout and exit 0, its
# options those of the man page; bad usage exits 64, a half-set or
# unusable key exits 78 without printing key material, and a key file
# readable by others draws a warning.
ROOT=${ROOT:?}
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/opts.sh"
. "$ROOT/tests/lib/kalshi-sim.sh"
need_cmd mandoc col
tap=$BIN/kalshi-tap

run() {	# expected-status command...
	want=$1; shift
	set +e
	"$@" >"$T/stdout" 2>"$T/stderr"
	rc=$?
	set -e
	expect_eq "status of $*" "$rc" "$want"
}

# --help's usage line is the man page's SYNOPSIS, and the two list the
# same options (read from both, tests/lib/opts.sh).
opts_check_tool kalshi-tap
run 0 "$tap" --version
run 64 "$tap" --no-such-option
run 64 "$tap" --speed 2
run 64 "$tap" -s 2
run 64 "$tap" --give-up -1
run 64 "$tap" --poll-interval 0
run 64 "$tap" --market 'a,b'
run 64 "$tap" extra-argument
run 64 "$tap" --max-history 0
grep -q '^usage: kalshi-tap ' "$T/stderr" || fail "usage error without usage"

ksim_keys k
run 78 env KALSHI_API_KEY_ID=id "$tap"
run 78 env KALSHI_PRIVATE_KEY_PATH="$T/k.pem" "$tap"
run 78 env KALSHI_API_KEY_ID=id KALSHI_PRIVATE_KEY_PATH="$T/k.pub.pem" "$tap"
run 78 env KALSHI_API_KEY_ID=id KALSHI_PRIVATE_KEY_PATH="$T/missing.pem" "$tap"
if grep -q 'BEGIN' "$T/stderr"; then fail "key material in the log"; fi

# A loose key file: warned about, then used (here against a closed port,
# so it gives up at once).
chmod 644 "$T/k.pem"
port=$(free_port)
run 69 env KALSHI_API_KEY_ID=id KALSHI_PRIVATE_KEY_PATH="$T/k.pem" "$tap" \
    --ws-url "ws://127.0.0.1:$port/trade-api/ws/v2" \
    --rest-url "http://127.0.0.1:$port/trade-api/v2" --give-up 1
expect_eq "loose key warnings" \
    "$(grep -c 'msg="private key file is readable by others"' "$T/stderr")" 1
if grep -q 'BEGIN\|PRIVATE KEY' "$T/stderr"; then fail "key material in the log"; fi
expect_eq "last line" "$(tail -n 1 "$T/stdout" | jq -r .state)" down
