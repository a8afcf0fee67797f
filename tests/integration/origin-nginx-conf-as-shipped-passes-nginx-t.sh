#!/bin/sh
# contrib/nginx/courtside.conf exactly as shipped (not the tests' copy
# with other ports) is a valid site file for nginx's http context: nginx
# -t accepts it included beside another site, as sites-enabled/ would
# have it, and it defines its map and upstreams under courtside's names
# only, so that it cannot clash with the operator's own.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/nginx.sh"
nginx_available || fail "nginx is not installed (make deps)"
mkdir -p "$T/ngx"
cat >"$T/ngx/nginx.conf" <<EOF
worker_processes 1;
pid $T/ngx/nginx.pid;
events { worker_connections 64; }
http {
	client_body_temp_path $T/ngx/b;
	proxy_temp_path $T/ngx/p;
	fastcgi_temp_path $T/ngx/f;
	uwsgi_temp_path $T/ngx/u;
	scgi_temp_path $T/ngx/s;
	# an operator's own site and the usual WebSocket map beside ours
	map \$http_upgrade \$connection_upgrade { default upgrade; '' close; }
	upstream app { server 127.0.0.1:1; }
	server { listen 127.0.0.1:1; server_name other.example; }
	include $ROOT/contrib/nginx/courtside.conf;
}
EOF
"$NGINX_BIN" -t -q -p "$T/ngx" -c "$T/ngx/nginx.conf" -e "$T/ngx/error.log" \
    >"$T/t.out" 2>&1 || fail "nginx -t: $(cat "$T/t.out")"
names=$(sed -n 's/^\(upstream\|map [^ ]*\) \([^ ]*\) {$/\2/p' \
    "$ROOT/contrib/nginx/courtside.conf" | sort | tr '\n' ' ')
expect_eq "names it defines" "$names" \
    "\$courtside_connection courtside_app courtside_live_games courtside_ws_fanout "
