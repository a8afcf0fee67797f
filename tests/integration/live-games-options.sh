#!/bin/sh
# live-games-options: --help goes to stdout and exits 0 and agrees with
# the man page, --version prints the version, bad options and values exit 64 with the usage line on
# stderr, --init-db without a reachable database exits 69, and a port
# already taken exits 71 with a message.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/opts.sh"
need_cmd mandoc col

opts_check_tool live-games
grep -q '^usage: live-games' "$T/live-games.help" || fail "--help: no usage line"
"$BIN/live-games" --version >"$T/out" || fail "--version"
grep -q '^live-games courtside ' "$T/out" || fail "--version: $(cat "$T/out")"

usage_error() {
	rc=0
	"$BIN/live-games" "$@" >"$T/out" 2>"$T/err" || rc=$?
	expect_eq "exit status of $*" $rc 64
	grep -q 'usage: live-games' "$T/err" || fail "$*: no usage on stderr"
	[ -s "$T/out" ] && fail "$*: wrote to stdout"
	return 0
}
usage_error --cache-ttl 5
usage_error --cache-ttl 31s
usage_error --cache-ttl banana
usage_error --listen 70000
usage_error --listen 0
usage_error --listen :8000
usage_error --listen ::1:8000
usage_error --no-such-option
usage_error -t 15s
usage_error --give-up -1
usage_error --request-timeout 500ms
usage_error --request-timeout 61s
usage_error --max-pending 0
usage_error --max-pending-per-ip 70000
usage_error --trust-proxy 300.1.2.3
usage_error --trust-proxy 10.0.0.0/33
usage_error --tls-key key.pem
usage_error extra-argument

rc=0
"$BIN/live-games" --init-db -d "host=$T/nowhere connect_timeout=2" \
    2>"$T/err" || rc=$?
expect_eq "--init-db without a database" $rc 69
grep -q 'msg="init-db failed"' "$T/err" || fail "no log: $(cat "$T/err")"

PORT=$(free_port)
python3 -c 'import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen()
print("", flush=True); time.sleep(30)' "$PORT" >"$T/taken" &
bg $!
wait_ready "$T/taken" || fail "cannot take a port"
rc=0
"$BIN/live-games" --listen "127.0.0.1:$PORT" -d "host=$T/nowhere" \
    2>"$T/err" || rc=$?
expect_eq "port taken" $rc 71
grep -q 'msg="cannot listen"' "$T/err" || fail "no log: $(cat "$T/err")"
exit 0
