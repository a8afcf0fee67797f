#!/bin/sh
# Two ws-fanout instances on one Redis stream behind nginx configured
# from contrib/nginx/courtside.conf. Instance 1 is killed (-9) and
# restarted on its port, then instance 2: every viewer (ws-load -k)
# comes back within 20 s, through nginx to instance 1. With nginx's
# default passive check (max_fails=1) both servers stay marked down
# while a WebSocket let through to test them is open, and most viewers
# get 502 for minutes (found by make soak SOAK_TOPOLOGY=redis).
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/pipeline.sh"
. "$ROOT/tests/lib/redis.sh"
. "$ROOT/tests/lib/nginx.sh"
nginx_available || fail "nginx is not installed (make deps)"
pl_init "$T"
redis_start || fail "redis did not start"
pl_sims 20 -60
# inst N: instance N on its own fixed port (kept across restarts).
inst() {
	"$PL_BIN/ws-fanout" --input "$REDIS_URL_BASE/$RD_NAME" \
	    --listen "127.0.0.1:$(cat "$T/p$1")" --trust-proxy 127.0.0.1/32 \
	    --ready-fd 3 3>"$T/ready$1" 2>>"$T/fanout-$1.log" &
	echo $! >"$T/pid$1"
	bg "$!"
	WAIT_SECS=20 wait_for test -s "$T/ready$1" || fail "instance $1 did not start"
	rm -f "$T/ready$1"
}
free_port >"$T/p1"
free_port >"$T/p2"
inst 1
inst 2
NGINX_WS="$(cat "$T/p1") $(cat "$T/p2")" NGINX_LIVE=$(free_port) NGINX_APP=$(free_port)
nginx_start
rd_aligner
pl_start espn-poll
conns() { curl -sf "http://127.0.0.1:$(cat "$T/p$1")/metrics" |
    awk '$1 == "ws_fanout_connections" { print $2 }'; }
WAIT_SECS=30 wait_for sh -c "curl -sf http://127.0.0.1:$(cat "$T/p1")/metrics |
    grep -q 'game_id=\"$PL_GAME\"'" || fail "instance 1 never heard of the game"
mkdir -p "$T/c"
"$BIN/ws-load" clients -k -a "127.0.0.1:$NGINX_PORT" -g "$PL_GAME" -n 40 \
    -S 5 -b 10 -D "$T/c" -d 90 -t 120 >"$T/load.json" 2>"$T/load.err" &
bg "$!"
WAIT_SECS=20 wait_for sh -c "[ \$(( \$(curl -sf http://127.0.0.1:$(cat "$T/p1")/metrics |
    awk '\$1 == \"ws_fanout_connections\" { print \$2 }') + \$(curl -sf http://127.0.0.1:$(cat "$T/p2")/metrics |
    awk '\$1 == \"ws_fanout_connections\" { print \$2 }') )) -eq 40 ]" ||
    fail "the 40 viewers did not all connect: $(conns 1) + $(conns 2)"
for n in 1 2; do
	kill -KILL "$(cat "$T/pid$n")"
	wait "$(cat "$T/pid$n")" 2>/dev/null || true
	sleep 1
	[ "$n" = 1 ] && inst 1
	sleep 2
done
# Every viewer on instance 1 within 20 s of instance 2's death.
WAIT_SECS=20 wait_for sh -c "[ \"\$(curl -sf http://127.0.0.1:$(cat "$T/p1")/metrics |
    awk '\$1 == \"ws_fanout_connections\" { print \$2 }')\" -eq 40 ]" ||
    fail "only $(conns 1) of 40 viewers came back ($(grep -c 'no live upstreams' "$NGINX_DIR/error.log") times 'no live upstreams' in nginx's log)"
note "40 of 40 viewers back on instance 1"
