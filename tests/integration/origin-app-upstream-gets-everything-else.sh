#!/bin/sh
# On one origin (nginx with the project's contrib/nginx/courtside.conf),
# the existing application's upstream gets every path courtside does not
# own: /api/games, /api/games/{id}/probs (query kept), its pages, even
# /index.html; courtside keeps /api/live/ (live-games), /ws/live/ and /
# (ws-fanout). The application sees the viewer's address in X-Real-IP
# and X-Forwarded-For (a forged X-Forwarded-For is kept, with the real
# address appended last), and the original Host.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/pipeline.sh"
. "$ROOT/tests/lib/nginx.sh"
nginx_available || fail "nginx is not installed (make deps)"
# The existing application: a few lines that say what they were asked.
python3 - "$T/app.port" 2>"$T/app.log" <<'EOF' &
import http.server, json, sys
class App(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps({"app": "existing", "path": self.path,
                           "xff": self.headers.get("X-Forwarded-For"),
                           "real_ip": self.headers.get("X-Real-IP"),
                           "host": self.headers.get("Host")}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
s = http.server.HTTPServer(("127.0.0.1", 0), App)
open(sys.argv[1], "w").write("%d\n" % s.server_address[1])
s.serve_forever()
EOF
bg $!
wait_for test -s "$T/app.port" || fail "the application did not start: $(cat "$T/app.log")"
pl_init "$T"
pl_sims 120 600
pl_db
pl_start ws-fanout
pl_start live-games
NGINX_WS=$PL_WS_PORT NGINX_LIVE=$PL_API_PORT NGINX_APP=$(cat "$T/app.port")
nginx_start
O=http://localhost:$NGINX_PORT

app_path() {	# PATH: the path the application says it was asked, or nothing
	curl -sf "$O$1" | jq -r 'select(.app == "existing") | .path' 2>/dev/null || true
}
for p in '/api/games/1/probs' '/api/games/401772994/probs?since=5' '/api/games' \
    '/games/1' '/index.html' '/static/app.js'; do
	expect_eq "application gets $p" "$(app_path "$p")" "$p"
done
# courtside's own paths never reach it.
curl -sf "$O/api/live/games" >"$T/live.json" || fail "GET /api/live/games"
jq -e 'has("games") and has("timestamp") and (has("app") | not)' "$T/live.json" \
    >/dev/null || fail "/api/live/games: $(cat "$T/live.json")"
curl -sf "$O/" | grep -q '<title>courtside</title>' || fail "/ is not the viewer"
expect_eq "/ws/live/ without an upgrade" "$(app_path /ws/live/1)" ""
expect_eq "/api/live/ other paths" "$(app_path /api/live/x)" ""

# The viewer's address, from a client at 127.0.0.5.
curl -sf --interface 127.0.0.5 -H 'X-Forwarded-For: 1.2.3.4' \
    "http://127.0.0.1:$NGINX_PORT/api/games/1/probs" >"$T/hdr.json" || fail "curl from 127.0.0.5"
expect_eq "X-Real-IP" "$(jq -r .real_ip "$T/hdr.json")" 127.0.0.5
expect_eq "X-Forwarded-For" "$(jq -r .xff "$T/hdr.json")" "1.2.3.4, 127.0.0.5"
expect_eq "Host" "$(curl -sf -H 'Host: courtside.example' \
    "http://127.0.0.1:$NGINX_PORT/api/games" | jq -r .host)" courtside.example
