#!/bin/sh
# Behind nginx (the project's contrib/nginx/courtside.conf), ws-fanout
# --trust-proxy 127.0.0.1 counts viewers, not the proxy: 11 clients from
# 11 source addresses (127.0.0.2 ... 127.0.0.12) all connect through the
# one origin, where every connection reaches ws-fanout from nginx's
# 127.0.0.1; 11 from one source address do not: the 11th gets 429.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/nginx.sh"
. "$ROOT/tests/lib/ws-load.sh"
need_py
nginx_available || fail "nginx is not installed (make deps)"
start_fanout --max-per-ip 10 --trust-proxy 127.0.0.1
G=401800001
feed_sync -i $G -E 2 -K 2 -n 1 -w 0
NGINX_WS=$PORT NGINX_LIVE=$(free_port) NGINX_APP=$(free_port)
nginx_start
O=ws://127.0.0.1:$NGINX_PORT/ws/live/$G

# hold N SRC OUT: N connections from SRC through nginx, kept open until
# the end of the test; one status per connection in OUT.
mkfifo "$T/hold"
hold() {
	"$PY" "$PROBE" hold "$O" "$1" "$2" <"$T/hold" >"$3" &
	bg $!
}
a=2
while [ $a -le 12 ]; do
	hold 1 "127.0.0.$a" "$T/many.$a"
	a=$((a + 1))
done
exec 4>"$T/hold"	# the holders read stdin until it closes
a=2
while [ $a -le 12 ]; do
	wait_lines "$T/many.$a" 1 || fail "client from 127.0.0.$a did not finish"
	expect_eq "client from 127.0.0.$a" "$(cat "$T/many.$a")" 101
	a=$((a + 1))
done
expect_eq "connections at ws-fanout" "$(metric ws_fanout_connections)" 11

hold 11 127.0.0.13 "$T/one"
wait_lines "$T/one" 11 || fail "clients from 127.0.0.13 did not finish: $(cat "$T/one")"
expect_eq "first ten from one address" "$(head -n 10 "$T/one" | sort -u)" 101
expect_eq "the eleventh from it" "$(tail -n 1 "$T/one")" 429
expect_eq "refused per address" "$(curl -sf "$HTTP/metrics" |
    grep -c 'rejected_total{reason="per_ip"} 1$')" 1
exec 4>&-
