# tests/lib/nginx.sh: a real nginx in front of courtside, for the tests and
# the demo, configured from the project's own contrib/nginx/courtside.conf
# (its listen and upstream server lines replaced, nothing else; never a
# second copy of the configuration). Source it after tests/lib.sh, then:
#
#   nginx_available || fail "nginx is not installed (make deps)"
#   NGINX_WS="P1 [P2...]"   ws-fanout ports (one server line each)
#   NGINX_LIVE=P            live-games' port
#   NGINX_APP=P             the existing application's port
#   NGINX_PORT=P            the origin's port (a free one unless set)
#   NGINX_TLS_CERT=F NGINX_TLS_KEY=F   uncomment the file's TLS lines with
#                           these files; https on NGINX_TLS_PORT (free)
#   NGINX_DIR=DIR           its folder (default $T/nginx)
#   nginx_start             generate DIR/courtside.conf and DIR/nginx.conf,
#                           start nginx (foreground master, one worker),
#                           wait until it answers; sets NGINX_PID, NGINX_PORT
#   nginx_stop              stop it (also done at exit)
#
# It listens on 127.0.0.1 and, when the host has IPv6 loopback, on ::1
# too, so that http://localhost:PORT/ works whichever address localhost
# resolves to first. Logs: DIR/error.log and DIR/access.log (with
# $http_x_forwarded_for). It must not touch /etc/nginx or /var/log/nginx.

NGINX_BIN=${NGINX_BIN:-$(command -v nginx 2>/dev/null || echo /usr/sbin/nginx)}
NGINX_CONF_SRC=${NGINX_CONF_SRC:-$ROOT/contrib/nginx/courtside.conf}
NGINX_PID=

nginx_available() { [ -x "$NGINX_BIN" ]; }

# nginx_site OUT: the site file, from contrib/nginx/courtside.conf with the
# origin's listen lines and the three upstreams' server lines replaced.
# Fails when the source no longer has the lines it replaces.
nginx_site() {
	listen="127.0.0.1:$NGINX_PORT"
	grep -q '^00000000000000000000000000000001 ' /proc/net/if_inet6 2>/dev/null &&
	    listen="$listen [::1]:$NGINX_PORT"
	tls=
	if [ -n "${NGINX_TLS_CERT:-}" ]; then
		NGINX_TLS_PORT=${NGINX_TLS_PORT:-$(free_port)}
		tls="127.0.0.1:$NGINX_TLS_PORT"
	fi
	awk -v listen="$listen" -v ws="$NGINX_WS" -v live="$NGINX_LIVE" \
	    -v app="$NGINX_APP" -v tls="$tls" -v cert="${NGINX_TLS_CERT:-}" \
	    -v key="${NGINX_TLS_KEY:-}" '
	function servers(list,   a, n, i, rest) {
		rest = $0	# the parameters after the address are kept
		sub(/^\tserver [^ ;]+/, "", rest)
		n = split(list, a, " ")
		for (i = 1; i <= n; i++)
			printf "\tserver 127.0.0.1:%s%s\n", a[i], rest
		done++
	}
	/^upstream courtside_ws_fanout / { blk = "ws" }
	/^upstream courtside_live_games / { blk = "live" }
	/^upstream courtside_app / { blk = "app" }
	/^}/ { blk = "" }
	blk == "ws" && /^\tserver 127\.0\.0\.1:8080[ ;]/ { servers(ws); next }
	blk == "live" && /^\tserver 127\.0\.0\.1:8000;/ { servers(live); next }
	blk == "app" && /^\tserver 127\.0\.0\.1:[0-9]+;.*CHANGE/ { servers(app); next }
	/^\tlisten 80;$/ {
		n = split(listen, l, " ")
		for (i = 1; i <= n; i++)
			printf "\tlisten %s;\n", l[i]
		done++
		next
	}
	/^\tlisten \[::\]:80;$/ { next }
	tls != "" && /^\t# listen 443 ssl http2;$/ {
		printf "\tlisten %s ssl http2;\n", tls; tlsdone++; next
	}
	tls != "" && /^\t# listen \[::\]:443 ssl http2;$/ { next }
	tls != "" && /^\t# ssl_certificate / {
		printf "\tssl_certificate %s;\n", cert; tlsdone++; next
	}
	tls != "" && /^\t# ssl_certificate_key / {
		printf "\tssl_certificate_key %s;\n", key; tlsdone++; next
	}
	tls != "" && /^\t# ssl_[a-z_]+ / { sub(/# /, ""); print; next }
	{ print }
	END { if (done != 4 || (tls != "" && tlsdone != 3)) exit 1 }' "$NGINX_CONF_SRC" >"$1" ||
	    fail "nginx_site: $NGINX_CONF_SRC lacks a listen, upstream server or TLS line it should have"
}

nginx_start() {
	NGINX_DIR=${NGINX_DIR:-$T/nginx}
	: "${NGINX_WS:?nginx_start: NGINX_WS unset}"
	: "${NGINX_LIVE:?nginx_start: NGINX_LIVE unset}"
	: "${NGINX_APP:?nginx_start: NGINX_APP unset}"
	NGINX_PORT=${NGINX_PORT:-$(free_port)}
	mkdir -p "$NGINX_DIR"
	chmod 755 "$NGINX_DIR"	# workers run as nobody when we are root
	nginx_site "$NGINX_DIR/courtside.conf"
	cat >"$NGINX_DIR/nginx.conf" <<EOF
daemon off;
worker_processes 1;
pid $NGINX_DIR/nginx.pid;
error_log $NGINX_DIR/error.log info;
events { worker_connections 1024; }
http {
	log_format courtside '\$remote_addr "\$request" \$status xff="\$http_x_forwarded_for" up=\$upstream_addr';
	access_log $NGINX_DIR/access.log courtside;
	client_body_temp_path $NGINX_DIR/tmp-body;
	proxy_temp_path $NGINX_DIR/tmp-proxy;
	fastcgi_temp_path $NGINX_DIR/tmp-fastcgi;
	uwsgi_temp_path $NGINX_DIR/tmp-uwsgi;
	scgi_temp_path $NGINX_DIR/tmp-scgi;
	include $NGINX_DIR/courtside.conf;
}
EOF
	rm -f "$NGINX_DIR/nginx.pid"
	"$NGINX_BIN" -p "$NGINX_DIR" -c "$NGINX_DIR/nginx.conf" \
	    -e "$NGINX_DIR/error.log" 2>>"$NGINX_DIR/nginx.out" &
	NGINX_PID=$!
	bg "$NGINX_PID"
	at_exit nginx_stop
	# Up once it answers anything (the upstreams may not be there yet).
	wait_for sh -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' \
	    http://127.0.0.1:$NGINX_PORT/nginx-probe)\" != 000 ]" || {
		cat "$NGINX_DIR/nginx.out" "$NGINX_DIR/error.log" >&2 2>/dev/null
		fail "nginx did not start on port $NGINX_PORT"
	}
}

# nginx_stop: a fast shutdown of the master and its worker; waits for it.
nginx_stop() {
	[ -n "$NGINX_PID" ] || return 0
	kill -TERM "$NGINX_PID" 2>/dev/null || true
	wait "$NGINX_PID" 2>/dev/null || true
	NGINX_PID=
}
