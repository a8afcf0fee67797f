#!/bin/sh
# --listen HOST:PORT binds exactly that address: 127.0.0.1 alone (not
# every IPv4 and IPv6 address, as lws 4.1 did with its own listener),
# [::1] alone, and a bare PORT every address, IPv4 and IPv6 apart.
. "$ROOT/tests/lib.sh"
command -v ss >/dev/null || fail "ss (iproute2) is needed"
# listening PORT: the local addresses listening on PORT, sorted.
listening() { ss -ltnH "sport = :$1" | awk '{ print $4 }' | sort; }
start() {	# ready-file, --listen value
	"$BIN/ws-fanout" --listen "$2" --ready-fd 3 3>"$1" </dev/null \
	    2>>"$T/log" &
	bg $!
	wait_ready "$1" || fail "ws-fanout --listen $2 not ready: $(cat "$T/log")"
}
P=$(free_port)
start "$T/r1" "127.0.0.1:$P"
expect_eq "127.0.0.1:$P" "$(listening "$P")" "127.0.0.1:$P"
curl -sf "http://127.0.0.1:$P/healthz" >/dev/null || fail "no answer on 127.0.0.1"
P=$(free_port)
start "$T/r2" "[::1]:$P"
expect_eq "[::1]:$P" "$(listening "$P")" "[::1]:$P"
curl -sf -g "http://[::1]:$P/healthz" >/dev/null || fail "no answer on ::1"
P=$(free_port)
start "$T/r3" "$P"
expect_eq "every address" "$(listening "$P" | tr '\n' ' ')" "0.0.0.0:$P [::]:$P "
curl -sf "http://127.0.0.1:$P/healthz" >/dev/null || fail "no answer on IPv4"
curl -sf -g "http://[::1]:$P/healthz" >/dev/null || fail "no answer on IPv6"
# The log says what was bound, as given.
grep -q "msg=serving listen=127.0.0.1:" "$T/log" || fail "no serving line"
