#!/bin/sh
# live-games under wrk beside nginx serving the very same JSON body as a
# static file, same run, same client settings. Also counts what the load
# cost upstream: ESPN scoreboard requests (the simulator's log) and
# Postgres queries (live-games' counter and Postgres' own transaction
# count), which must not grow with the request rate.
# Env: BENCH_SECS (20), BENCH_CONNS (32), BENCH_THREADS (2).
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=$ROOT/${BUILD:-build}/bin
case ${BUILD:-build} in /*) BIN=$BUILD/bin ;; esac
SECS=${BENCH_SECS:-20}
CONNS=${BENCH_CONNS:-32}
THREADS=${BENCH_THREADS:-2}
TTL=10

for tool in wrk nginx curl jq python3; do
	command -v "$tool" >/dev/null 2>&1 ||
	    [ -x "/usr/sbin/$tool" ] || {
		echo "live-games bench: skipped, $tool not installed" \
		    "(apt-get install wrk nginx-light)"
		exit 0
	}
done
NGINX=$(command -v nginx 2>/dev/null || echo /usr/sbin/nginx)

T=$(mktemp -d /tmp/courtside-bench.XXXXXX)
chmod 755 "$T"
PIDS=
CLEANUPS=
at_exit() { CLEANUPS="$CLEANUPS
$1"; }
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null || true; done
	for p in $PIDS; do wait "$p" 2>/dev/null || true; done
	eval "$CLEANUPS" 2>/dev/null || true
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
. "$ROOT/tests/lib/port.sh"
wait_file() {	# FILE: up to 10 s for it to be non-empty
	i=0
	while [ ! -s "$1" ]; do
		i=$((i + 1)); [ $i -ge 200 ] && return 1; sleep 0.05
	done
}

. "$ROOT/tests/lib/pg.sh"
pg_available || { echo "live-games bench: skipped, no PostgreSQL 15"; exit 0; }
pg_start >/dev/null
# Postgres' own record of every statement: the query count below.
pg_psql -q -c "ALTER SYSTEM SET log_statement = 'all'" \
    -c "SELECT pg_reload_conf()" >/dev/null
"$BIN/live-games" --init-db -q
pg_psql -q -f "$ROOT/live-games/sample.sql" >/dev/null

python3 "$ROOT/tests/tools/espn-sim" --dates today --start-offset 600 \
    --log "$T/sim.log" --ready-fd 3 3>"$T/sim.ready" 2>"$T/sim.err" &
PIDS="$PIDS $!"
wait_file "$T/sim.ready"
SIM=http://127.0.0.1:$(head -n 1 "$T/sim.ready")/apis/site/v2/sports/basketball/nba

LP=$(free_port)
"$BIN/live-games" -q --listen "127.0.0.1:$LP" --espn-base-url "$SIM" \
    --cache-ttl $TTL --ready-fd 3 3>"$T/lg.ready" 2>"$T/lg.err" &
PIDS="$PIDS $!"
wait_file "$T/lg.ready"
URL=http://127.0.0.1:$LP/api/live/games

# nginx: the same body, one process (live-games is one thread too).
mkdir -p "$T/www/api/live"
curl -sf "$URL" >"$T/www/api/live/games"
chmod -R a+rX "$T/www"
NP=$(free_port)
cat >"$T/nginx.conf" <<NGINX
daemon off;
master_process off;
worker_processes 1;
pid $T/nginx.pid;
error_log $T/nginx.err warn;
events { worker_connections 1024; }
http {
	access_log off;
	client_body_temp_path $T/nb;
	proxy_temp_path $T/np;
	fastcgi_temp_path $T/nf;
	uwsgi_temp_path $T/nu;
	scgi_temp_path $T/ns;
	server {
		listen 127.0.0.1:$NP;
		root $T/www;
		location = /api/live/games {
			default_type application/json;
			add_header Cache-Control no-store;
		}
	}
}
NGINX
"$NGINX" -c "$T/nginx.conf" -p "$T" 2>"$T/nginx.out" &
PIDS="$PIDS $!"
i=0
until curl -sf "http://127.0.0.1:$NP/api/live/games" >/dev/null 2>&1; do
	i=$((i + 1)); [ $i -ge 200 ] && { cat "$T/nginx.out"; exit 1; }
	sleep 0.05
done

metric() {	# NAME: a counter from live-games' /metrics
	curl -sf "http://127.0.0.1:$LP/metrics" |
	    awk -v n="$1" '$1 == n { print $2 }'
}
executions() {	# how often Postgres logged the prepared query executed
	grep -c 'execute live_games_meta' "$PG_LOG" || true
}

# wrk URL: "req/s p50_ms p99_ms errors"
bench() {
	wrk -t"$THREADS" -c"$CONNS" -d"${SECS}s" --latency "$1" >"$T/wrk.out" 2>&1
	awk '
	function ms(v) {
		if (v ~ /us$/) { sub(/us$/, "", v); return v / 1000 }
		if (v ~ /ms$/) { sub(/ms$/, "", v); return v + 0 }
		if (v ~ /s$/)  { sub(/s$/, "", v);  return v * 1000 }
		return v
	}
	/^Requests\/sec:/ { rps = $2 }
	$1 == "50%" { p50 = ms($2) }
	$1 == "99%" { p99 = ms($2) }
	/Non-2xx/ { err += $NF }
	/Socket errors/ { err += 1 }
	END { printf "%s %.3f %.3f %d\n", rps, p50, p99, err + 0 }' "$T/wrk.out"
}

curl -sf "$URL" >/dev/null	# warm
e0=$(grep -c scoreboard "$T/sim.log" || true)
q0=$(metric live_games_db_queries_total)
x0=$(executions)
r0=$(metric 'live_games_http_requests_total{route="games",code="200"}')
lg=$(bench "$URL")
e1=$(grep -c scoreboard "$T/sim.log" || true)
q1=$(metric live_games_db_queries_total)
x1=$(executions)
r1=$(metric 'live_games_http_requests_total{route="games",code="200"}')
ng=$(bench "http://127.0.0.1:$NP/api/live/games")

echo "$lg" "$ng" | awk -v secs="$SECS" -v conns="$CONNS" -v ttl="$TTL" \
    -v esp=$((e1 - e0)) -v q=$((q1 - q0)) -v x=$((x1 - x0)) \
    -v served=$((r1 - r0)) -v bytes="$(wc -c <"$T/www/api/live/games")" '{
	printf "wrk -c%d for %ds each, body %d bytes, --cache-ttl %ds\n",
	    conns, secs, bytes, ttl
	printf "%-12s %12s %9s %9s %7s\n", "server", "req/s", "p50 ms",
	    "p99 ms", "errors"
	printf "%-12s %12.0f %9.3f %9.3f %7d\n", "live-games", $1, $2, $3, $4
	printf "%-12s %12.0f %9.3f %9.3f %7d\n", "nginx", $5, $6, $7, $8
	printf "ratio: live-games is %.2fx nginx (target >= 0.5), p99 %.3f ms (target < 5)\n",
	    $1 / $5, $3
	printf "during the live-games run: %d requests answered 200, %d ESPN scoreboard requests, %d Postgres queries (Postgres logged %d executions)\n",
	    served, esp, q, x
	printf "per minute: %.1f ESPN requests, %.1f queries (bound: %d and %d per minute at TTL %ds)\n",
	    esp * 60 / secs, q * 60 / secs, 2 * (60 / ttl + 1), 60 / ttl + 1, ttl
}'
