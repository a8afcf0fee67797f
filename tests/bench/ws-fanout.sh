#!/bin/sh
# shellcheck disable=SC2086 # $CF holds the client flags, word-split on purpose
# ws-fanout beside nginx + nchan, same load generator (tests/tools/ws-load),
# same machine, same run. 10 games, clients spread evenly over them, 10
# updates/s per game, each game starting from a halftime-sized snapshot
# (240 ESPN + 1200 Kalshi points). For each server and each client count:
# broadcast latency (the time each tick was due at the feeder -> client
# receive, from the stamp_us in each point: a server that holds the
# feeder back, as nchan does by answering a publish only once it has
# handed the message on, has its backlog counted) p50/p90/p99/max, the
# server's CPU per 1,000 deliveries, how late the feeder got, and user-space memory per idle connection
# (VmRSS growth / clients). Then connect->first message one at a time and
# in a burst of 1000, and the growth of each server with a stalled client.
# Env: CLIENTS ("1000 10000"), SECS (10 measured seconds), GAMES (10),
# SERVERS ("ws-fanout nchan floor"; fewer to measure them alone; floor is
# tests/tools/fanout-floor, the same fan-out in plain TCP with no
# WebSocket from one plain writer: a reference point, not a bound), IDLE (5000),
# CLIENT (lean: ws-load -F, our own RFC 6455 client, the default; lws:
# libwebsockets' client, whose byte-at-a-time parsing of what it receives
# costs more than either server at these rates; deflate: the lean client
# offering permessage-deflate and counting compressed messages without
# inflating them, ws-load -Z -W, with nchan's
# nchan_deflate_message_for_websocket on), PARTS ("broadcast idle
# connect stall": fewer to run only those), PIN (1 when the machine has
# two cores or more: each server on core 0, the feeder and the load
# generator on core 1, so neither steals the other's time; 0: unpinned;
# fanout-floor, one program writing and reading, is never pinned), ROUNDS
# (1: broadcast rounds, the servers in ABBA order, and the ratios'
# medians).
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=$ROOT/${BUILD:-build}/bin
case ${BUILD:-build} in /*) BIN=$BUILD/bin ;; esac
F=$BIN/ws-fanout
L=$BIN/ws-load
FF=$BIN/fanout-floor
for b in "$F" "$L" "$FF"; do
	[ -x "$b" ] || { echo "ws-fanout bench: not built ($b)"; exit 1; }
done
T=$(mktemp -d)
chmod 755 "$T"	# nginx workers run as nobody
SPID='' NPID='' FEEDPID=''
cleanup() {
	for p in $SPID $NPID $FEEDPID; do kill "$p" 2>/dev/null || true; done
	[ -f "$T/nginx.pid" ] && kill "$(cat "$T/nginx.pid")" 2>/dev/null
	sleep 0.2
	rm -rf "$T"
}
trap cleanup EXIT
CLIENTS=${CLIENTS:-1000 10000}
case ${CLIENT:-lean} in
lean) CF=-F ;;
lws) CF= ;;
deflate) CF="-Z -W" CFB=-Z ;;	# broadcast: inflated, to read the stamps
*) echo "ws-fanout bench: CLIENT is lean, lws or deflate"; exit 64 ;;
esac
PARTS=${PARTS:-broadcast idle connect stall}
part() { case " $PARTS " in *" $1 "*) return 0 ;; esac; return 1; }
NCHAN_DEFLATE=
[ "${CLIENT:-lean}" = deflate ] && NCHAN_DEFLATE="nchan_deflate_message_for_websocket on;"
SECS=${SECS:-10}
GAMES=${GAMES:-10}
ids=$(seq 401800001 $((401800000 + GAMES)) | paste -sd, -)
# shellcheck disable=SC3045 # dash and bash both have ulimit -n
ulimit -n 20000 2>/dev/null || true

. "$ROOT/tests/lib/port.sh"
rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
nginx_worker() { pgrep -P "$(cat "$T/nginx.pid")" | head -n 1; }
# heap_kb SERVER: ws-fanout's heap in use (ws_fanout_heap_bytes), in KiB;
# empty for nchan, whose allocator says nothing.
heap_kb() {
	[ "$1" = ws-fanout ] || return 0
	curl -sf "http://$TARGET/metrics" |
	    awk '$1 == "ws_fanout_heap_bytes" { print int($2 / 1024) }'
}
PIN=${PIN:-$([ "$(nproc)" -ge 2 ] && echo 1 || echo 0)}
if [ "$PIN" = 1 ] && command -v taskset >/dev/null 2>&1; then
	ONSRV="taskset -c 0" ONLOAD="taskset -c 1"
else
	ONSRV='' ONLOAD=''
fi

have_nchan=0
if command -v nginx >/dev/null 2>&1 &&
    [ -f /usr/lib/nginx/modules/ngx_nchan_module.so ]; then
	have_nchan=1
else
	echo "nchan: not installed (apt-get install nginx-light libnginx-mod-nchan); measuring ws-fanout alone"
fi

start_fanout() {
	FPORT=$(free_port)
	rm -f "$T/in.sock" "$T/ready"
	$ONSRV "$F" -q --input "unix:$T/in.sock" --listen "127.0.0.1:$FPORT" \
	    --max-per-ip 200 --max-conns 19000 --ready-fd 3 3>"$T/ready" \
	    2>>"$T/fanout.log" &
	SPID=$!
	i=0
	while [ ! -s "$T/ready" ]; do
		i=$((i + 1)); [ $i -gt 200 ] && { echo "ws-fanout did not start"; exit 1; }
		sleep 0.05
	done
	SERVER_PID=$SPID
	TARGET=127.0.0.1:$FPORT
}

start_nchan() {
	NPORT=$(free_port)
	mkdir -p "$T/ngx"
	cat >"$T/nginx.conf" <<NGX
load_module /usr/lib/nginx/modules/ngx_nchan_module.so;
worker_processes 1;
worker_rlimit_nofile 20000;
pid $T/nginx.pid;
error_log $T/nginx-error.log warn;
events { worker_connections 20000; }
http {
	access_log off;
	client_body_buffer_size 4m;
	client_max_body_size 64m;
	client_body_temp_path $T/ngx/body;
	proxy_temp_path $T/ngx/proxy;
	fastcgi_temp_path $T/ngx/fastcgi;
	uwsgi_temp_path $T/ngx/uwsgi;
	scgi_temp_path $T/ngx/scgi;
	nchan_max_reserved_memory 256M;
	# The feed publishes on one kept-alive connection: nginx's default
	# keepalive_requests (1000) closed it ten seconds into a 10 games x
	# 10/s feed, and the 10k run then compared against nothing.
	keepalive_requests 100000000;
	keepalive_timeout 1h;
	server {
		listen 127.0.0.1:$NPORT;
		location ~ ^/pub/([0-9]+)\$ {
			nchan_publisher;
			nchan_channel_id \$1;
			nchan_message_buffer_length 10;
			nchan_message_timeout 60s;
			$NCHAN_DEFLATE
		}
		location ~ ^/ws/live/([0-9]+)\$ {
			nchan_subscriber websocket;
			nchan_channel_id \$1;
			nchan_subscriber_first_message -1;
		}
	}
}
NGX
	rm -f "$T/nginx.pid"
	$ONSRV nginx -c "$T/nginx.conf" -p "$T" -g 'daemon off;' 2>>"$T/nginx-error.log" &
	NPID=$!
	i=0
	while ! curl -s -o /dev/null "http://127.0.0.1:$NPORT/"; do
		i=$((i + 1)); [ $i -gt 200 ] && { echo "nginx did not start"; cat "$T/nginx-error.log"; exit 1; }
		sleep 0.05
	done
	SERVER_PID=$(nginx_worker)
	TARGET=127.0.0.1:$NPORT
}

stop_server() {
	if [ -n "$SPID" ]; then kill "$SPID"; wait "$SPID" 2>/dev/null || true; SPID=; fi
	if [ -n "$NPID" ]; then kill "$NPID"; wait "$NPID" 2>/dev/null || true; NPID=; fi
}

# feed SERVER SECONDS: history then 10 updates/s per game once clients
# are connected ($T/go exists).
feed() {
	rm -f "$T/go"
	if [ "$1" = ws-fanout ]; then
		$ONLOAD "$L" feed -i "$ids" -r 10 -d "$2" -E 240 -K 1200 -w 0.5 \
		    -W "$T/go" -L -o "unix:$T/in.sock" 2>"$T/feed.err" &
	else
		$ONLOAD "$L" feed -i "$ids" -r 10 -d "$2" -w 0.5 -W "$T/go" \
		    -L -N "127.0.0.1:$NPORT" 2>"$T/feed.err" &
	fi
	FEEDPID=$!
}

# run SERVER N: one measurement; prints a JSON line with the figures.
run() {
	srv=$1 n=$2
	if [ "$srv" = ws-fanout ]; then start_fanout; else start_nchan; fi
	feed "$srv" $((SECS + 60))
	sleep 1	# the history reaches the server
	rss0=$(rss_kb "$SERVER_PID")
	src=$(( (n + 99) / 100 )); [ $src -lt 1 ] && src=1
	$ONLOAD "$L" clients ${CFB:-$CF} -a "$TARGET" -g "$ids" -n "$n" -S "$src" -b 2 -c 2000 \
	    -d "$SECS" -R "$T/go.pre" -t $((SECS + 60)) >"$T/out.json" \
	    2>"$T/load.err" &
	LPID=$!
	# Idle memory: all connected, before the live feed starts.
	i=0
	while [ ! -f "$T/go.pre" ] && kill -0 $LPID 2>/dev/null; do
		sleep 0.1
	done
	sleep 0.5
	rss1=$(rss_kb "$SERVER_PID")
	c0=$(cpu_ticks "$SERVER_PID")
	: >"$T/go"
	wait $LPID || true
	c1=$(cpu_ticks "$SERVER_PID")
	kill "$FEEDPID" 2>/dev/null || true; wait "$FEEDPID" 2>/dev/null || true
	FEEDPID=
	# ws-fanout's own view: its ingest-to-write histogram.
	: >"$T/metrics"
	[ "$srv" = ws-fanout ] && { curl -sf "http://$TARGET/metrics" >"$T/metrics" || true; }
	stop_server
	python3 - "$srv" "$n" "$rss0" "$rss1" "$T/out.json" "$SECS" "$T/metrics" \
	    "$((c1 - c0))" "$(getconf CLK_TCK)" "$T/feed.err" <<'PY'
import json, sys
srv, n, r0, r1, path = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
secs = float(sys.argv[6])
cpu_ms = int(sys.argv[8]) * 1000 // int(sys.argv[9])
try:
    feed_late = open(sys.argv[10]).read().split("ticks, the latest ")[1].split(" after")[0] + " late"
except Exception:
    feed_late = "(not known)"

# Upper bounds of the buckets holding the 50th and 99th percentiles of
# ws-fanout's histograms, in us: ws_fanout_write_age_seconds (ingest to
# write), ws_fanout_hold_seconds (ingest to fan-out start) and
# ws_fanout_fanout_seconds (fan-out start to the last subscriber).
hists = {}
for l in open(sys.argv[7]):
    for h in ("write_age", "hold", "fanout"):
        if l.startswith("ws_fanout_%s_seconds_bucket{le=" % h):
            le = l.split('"')[1]
            hists.setdefault(h, []).append((float("inf") if le == "+Inf" else float(le),
                                            int(l.split()[-1])))
def q(h, p):
    b = hists.get(h, [])
    if not b or b[-1][1] == 0:
        return None
    for le, c in b:
        if c >= p * b[-1][1]:
            return "inf" if le == float("inf") else int(le * 1e6)
try:
    o = json.load(open(path))
except Exception:
    o = {"established": 0, "latency_us": {}, "connect_us": {}, "measured_msgs": 0, "secs": 1}
lat = o["latency_us"]
print(json.dumps({"server": srv, "clients": n, "established": o["established"],
    "points_per_s": round(lat.get("n", 0) / secs),
    "p50_us": lat.get("p50"), "p90_us": lat.get("p90"), "p99_us": lat.get("p99"),
    "max_us": lat.get("max"), "rss_growth_per_conn": round((r1 - r0) * 1024 / max(o["established"], 1)),
    "server_cpu_ms": cpu_ms, "secs": secs, "feed_late": feed_late,
    "cpu_us_per_1000": round(cpu_ms * 1e6 / max(lat.get("n", 0), 1)),
    "write_age_p50_le_us": q("write_age", 0.5), "write_age_p99_le_us": q("write_age", 0.99),
    "hold_p50_le_us": q("hold", 0.5), "hold_p99_le_us": q("hold", 0.99),
    "fanout_p50_le_us": q("fanout", 0.5), "fanout_p99_le_us": q("fanout", 0.99)}))
PY
}

# floor_run N / floor_connect MODE: the plain-TCP floor, as rows of the
# same tables.
floor_run() {
	"$FF" broadcast -n "$1" -d "$SECS" >"$T/floor.json" || true
	python3 - "$1" "$T/floor.json" <<'PY'
import json, sys
try:
    o = json.load(open(sys.argv[2]))
except Exception:
    o = {"latency_us": {}, "clients": 0, "msgs_per_s": 0}
lat = o["latency_us"]
print(json.dumps({"server": "floor", "clients": int(sys.argv[1]),
    "established": o["clients"], "points_per_s": o["msgs_per_s"],
    "p50_us": lat.get("p50"), "p90_us": lat.get("p90"), "p99_us": lat.get("p99"),
    "max_us": lat.get("max"), "rss_growth_per_conn": "-",
    "write_age_p50_le_us": None, "write_age_p99_le_us": None}))
PY
}

floor_connect() {
	if [ "$1" = serial ]; then
		"$FF" connect -c 200 >"$T/floor.json" || true
	else
		"$FF" connect -b -c 1000 >"$T/floor.json" || true
	fi
	python3 - "$1" "$T/floor.json" <<'PY'
import json, sys
o = json.load(open(sys.argv[2]))
c = o["connect_us"]
print(json.dumps({"server": "floor", "connect": sys.argv[1], "clients": o["clients"],
    "ok": o["ok"], "p50_us": c["p50"], "p99_us": c["p99"], "max_us": c["max"]}))
PY
}

# connect SERVER MODE: connect->first message; MODE serial (200 one at a
# time) or burst (1000 at once).
connect_test() {
	srv=$1 mode=$2
	if [ "$srv" = ws-fanout ]; then start_fanout; else start_nchan; fi
	feed "$srv" 30	# no live ticks: nchan's newest message is the snapshot
	sleep 1
	c0=$(cpu_ticks "$SERVER_PID")
	if [ "$mode" = serial ]; then
		$ONLOAD "$L" clients $CF -a "$TARGET" -g "$ids" -n 200 -S 20 -s -t 60 >"$T/c.json" 2>/dev/null || true
	else
		$ONLOAD "$L" clients $CF -a "$TARGET" -g "$ids" -n 1000 -S 10 -b 2 -t 60 >"$T/c.json" 2>/dev/null || true
	fi
	c1=$(cpu_ticks "$SERVER_PID")
	kill "$FEEDPID" 2>/dev/null || true; wait "$FEEDPID" 2>/dev/null || true
	FEEDPID=
	stop_server
	python3 - "$srv" "$mode" "$T/c.json" "$((c1 - c0))" "$(getconf CLK_TCK)" <<'PY'
import json, sys
o = json.load(open(sys.argv[3]))
c = o["connect_us"]
print(json.dumps({"server": sys.argv[1], "connect": sys.argv[2], "clients": o["clients"],
    "ok": o["first_msgs"], "p50_us": c["p50"], "p99_us": c["p99"], "max_us": c["max"],
    "deflated_msgs": o.get("deflated_msgs", 0),
    "server_cpu_ms": int(sys.argv[4]) * 1000 // int(sys.argv[5]),
    "wire_bytes_per_first": o.get("wire_bytes", 0) // max(o["first_msgs"], 1)}))
PY
}

# idle SERVER N: user-space memory per idle connection: VmRSS growth of
# the server (nginx: its worker) over N connected clients that receive
# nothing after a small first message, divided by N.
idle_test() {
	srv=$1 n=$2
	if [ "$srv" = ws-fanout ]; then start_fanout; else start_nchan; fi
	rm -f "$T/go"
	if [ "$srv" = ws-fanout ]; then
		$ONLOAD "$L" feed -i "$ids" -n 1 -E 2 -K 2 -w 0 -o "unix:$T/in.sock"
	else
		$ONLOAD "$L" feed -i "$ids" -n 1 -E 2 -K 2 -w 0 -N "127.0.0.1:$NPORT"
	fi
	sleep 0.5
	r0=$(rss_kb "$SERVER_PID")
	src=$(( (n + 99) / 100 ))
	rm -f "$T/idle.ready"
	$ONLOAD "$L" clients $CF -a "$TARGET" -g "$ids" -n "$n" -S "$src" -b 2 -c 2000 \
	    -d 4 -R "$T/idle.ready" -t 60 >"$T/idle.json" 2>/dev/null &
	LPID=$!
	while [ ! -f "$T/idle.ready" ] && kill -0 $LPID 2>/dev/null; do sleep 0.1; done
	sleep 2
	r1=$(rss_kb "$SERVER_PID")
	wait $LPID || true
	ok=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["established"])' "$T/idle.json" 2>/dev/null || echo 0)
	stop_server
	echo "{\"server\":\"$srv\",\"idle_clients\":$ok,\"bytes_per_idle_conn\":$(( (r1 - r0) * 1024 / (ok > 0 ? ok : 1) ))}"
}

# stall SERVER STALL: growth of the server's RSS over 10 s of a padded
# feed (about 1 MB/s to one game), with one client that reads nothing
# (STALL=1) or without it (STALL=0, the baseline: held state, history).
stall_test() {
	srv=$1 with=$2
	if [ "$srv" = ws-fanout ]; then start_fanout; else start_nchan; fi
	if [ "$srv" = ws-fanout ]; then
		$ONLOAD "$L" feed -i 401800001 -r 50 -d 20 -E 2 -K 2 -p 20000 -w 0.3 -o "unix:$T/in.sock" &
	else
		$ONLOAD "$L" feed -i 401800001 -r 50 -d 20 -E 2 -K 2 -p 20000 -w 0.3 -N "127.0.0.1:$NPORT" &
	fi
	FEEDPID=$!
	sleep 0.5
	r0=$(rss_kb "$SERVER_PID")
	h0=$(heap_kb "$srv")
	[ "$with" = 1 ] && python3 - "$TARGET" <<'PY' &
import socket, sys, time, base64, os
host, port = sys.argv[1].split(":")
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.connect((host, int(port)))
key = base64.b64encode(os.urandom(16)).decode()
s.sendall(("GET /ws/live/401800001 HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
           "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\n"
           "Sec-WebSocket-Version: 13\r\n\r\n" % key).encode())
time.sleep(11)
PY
	STALL=$!
	sleep 10
	r1=$(rss_kb "$SERVER_PID")
	h1=$(heap_kb "$srv")
	if [ "$with" = 1 ]; then kill $STALL 2>/dev/null || true; fi
	kill "$FEEDPID" 2>/dev/null || true; wait "$FEEDPID" 2>/dev/null || true
	FEEDPID=
	stop_server
	echo "{\"server\":\"$srv\",\"stalled\":$with,\"growth_kb\":$((r1 - r0)),\"heap_growth_kb\":\"$( [ -n "$h0" ] && [ -n "$h1" ] && echo $((h1 - h0)) )\"}"
}

servers="ws-fanout floor"
[ $have_nchan -eq 1 ] && servers="ws-fanout nchan floor"
servers=${SERVERS:-$servers}
: >"$T/results"
part broadcast || CLIENTS=
# ROUNDS rounds of the broadcast part, the servers' order reversed every
# other round (ABBA), so that a noisy spell on the shared machine does not
# always fall on the same server; the ratios' medians are printed last.
rev() { for x in "$@"; do r="$x${r:+ $r}"; done; echo "$r"; r=''; }
round=1
while [ "$round" -le "${ROUNDS:-1}" ]; do
	order=$servers
	[ $((round % 2)) -eq 0 ] && order=$(rev $servers)
	for n in $CLIENTS; do
		for s in $order; do
			if [ "$s" = floor ]; then
				floor_run "$n"
			else
				run "$s" "$n"
			fi | sed "s/^{/{\"round\": $round, /" | tee -a "$T/results"
		done
	done
	round=$((round + 1))
done
case " $servers $PARTS " in
*" floor "*" connect "*)
	floor_connect serial | tee -a "$T/results"
	floor_connect burst | tee -a "$T/results"
	;;
esac
for s in $servers; do
	[ "$s" = floor ] && continue
	if part idle; then
		idle_test "$s" "${IDLE:-5000}" | tee -a "$T/results"
	fi
	if part connect; then
		connect_test "$s" serial | tee -a "$T/results"
		connect_test "$s" burst | tee -a "$T/results"
	fi
	if part stall; then
		stall_test "$s" 0 | tee -a "$T/results"
		stall_test "$s" 1 | tee -a "$T/results"
	fi
done
echo
python3 - "$T/results" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
print("broadcast latency (tick due at the feeder -> client receive), 10 games x 10 updates/s,")
print("steady state (every client has its first message before the feed starts)")
print("%-10s %7s %6s %9s %8s %8s %8s %8s %10s %8s %13s" % ("server", "clients", "ok", "points/s",
      "p50us", "p90us", "p99us", "maxus", "rssB/conn", "cpu/1k", "srv p50/p99<="))
for r in rows:
    if "p90_us" in r:
        srv_age = "-" if r.get("write_age_p99_le_us") is None else "%s/%s" % (
            r["write_age_p50_le_us"], r["write_age_p99_le_us"])
        print("%-10s %7d %6d %9d %8s %8s %8s %8s %10s %8s %13s" % (r["server"], r["clients"],
              r["established"], r["points_per_s"], r["p50_us"], r["p90_us"],
              r["p99_us"], r["max_us"], r["rss_growth_per_conn"],
              r.get("cpu_us_per_1000", "-"), srv_age))
for r in rows:
    if "p90_us" in r and r["server"] != "floor":
        print("%-10s %d: the feed wrote its latest tick %s (a server that holds the "
              "feed back shows here)" % (r["server"], r["clients"], r["feed_late"]))
for r in rows:
    if r.get("hold_p99_le_us") is not None:
        print("ws-fanout %d: hold (ingest -> fan-out start) p50/p99 <= %s/%s us, "
              "fan-out (start -> last subscriber) p50/p99 <= %s/%s us" % (r["clients"],
              r["hold_p50_le_us"], r["hold_p99_le_us"], r["fanout_p50_le_us"],
              r["fanout_p99_le_us"]))
b = {(r["server"], r["clients"], r.get("round", 1)): r for r in rows if "p90_us" in r}
ratios = {}
for (srv, n, rd), r in sorted(b.items()):
    x = b.get(("nchan", n, rd))
    if srv != "ws-fanout" or x is None or not x.get("p50_us") or not r.get("p50_us"):
        continue
    q = (r["p50_us"] / x["p50_us"], r["p99_us"] / max(x["p99_us"], 1),
         r["cpu_us_per_1000"] / max(x["cpu_us_per_1000"], 1))
    ratios.setdefault(n, []).append(q)
    print("ws-fanout / nchan at %d clients, round %d: p50 %.2f, p99 %.2f, CPU per "
          "delivery %.2f (below 1: ws-fanout leads)" % ((n, rd) + q))
def median(v):
    v = sorted(v)
    return v[len(v) // 2] if len(v) % 2 else (v[len(v) // 2 - 1] + v[len(v) // 2]) / 2
for n, qs in sorted(ratios.items()):
    if len(qs) > 1:
        print("ws-fanout / nchan at %d clients, median of %d rounds: p50 %.2f, p99 %.2f, "
              "CPU per delivery %.2f" % (n, len(qs), median([q[0] for q in qs]),
              median([q[1] for q in qs]), median([q[2] for q in qs])))
print("(cpu/1k: the server's CPU time in us per 1,000 deliveries over the measured")
print(" seconds; srv: ws-fanout's own ingest-to-write age, bucket upper bounds in us;")
print(" floor: plain TCP, no WebSocket, 300-byte messages, one plain writer process,")
print(" one reader process: a reference point, not a bound)")
print()
print("connect -> first message (ws-fanout: its snapshot; nchan: the newest stored message,")
print("the same snapshot; floor: a 104 kB reply to a 230-byte request on plain TCP)")
for r in rows:
    if "connect" in r:
        print("%-10s %-7s %5d/%-5d p50 %7dus p99 %7dus max %7dus" % (r["server"], r["connect"],
              r["ok"], r["clients"], r["p50_us"], r["p99_us"], r["max_us"]))
print()
for r in rows:
    if "idle_clients" in r:
        print("%-10s %d idle connections: %d bytes of user-space memory (VmRSS) each" % (
              r["server"], r["idle_clients"], r["bytes_per_idle_conn"]))
print()
g = {(r["server"], r["stalled"]): r["growth_kb"] for r in rows if "growth_kb" in r}
hg = {(r["server"], r["stalled"]): r.get("heap_growth_kb") for r in rows if "growth_kb" in r}
for srv in sorted({k[0] for k in g}):
    if (srv, 0) in g and (srv, 1) in g:
        print("%-10s RSS growth over 10 s of a 1 MB/s game: %d KiB without, %d KiB with one "
              "stalled client: the stalled client costs %d KiB" % (srv, g[(srv, 0)],
              g[(srv, 1)], g[(srv, 1)] - g[(srv, 0)]))
        if hg.get((srv, 0)) and hg.get((srv, 1)):
            a, b = int(hg[(srv, 0)]), int(hg[(srv, 1)])
            print("%-10s heap in use over the same 10 s: %d KiB without, %d KiB with: the "
                  "stalled client costs %d KiB (RSS above also counts the allocator's "
                  "slack)" % (srv, a, b, b - a))
PY
