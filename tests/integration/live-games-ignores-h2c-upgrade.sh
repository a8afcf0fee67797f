#!/bin/sh
# live-games-ignores-h2c-upgrade: an HTTP/2 cleartext upgrade offer is
# ignored and the request answered over HTTP/1.1 (curl --http2 got 101
# and then nothing before).
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/livegames.sh"
command -v jq >/dev/null 2>&1 || skip "jq not installed"
curl -V | grep -q HTTP2 || skip "curl without HTTP/2"
lg_start

for path in /api/live/games /healthz; do
	curl -s -m 3 --http2 -o "$T/b" -w '%{http_code} %{http_version}' \
	    "$B$path" >"$T/w" || fail "$path: curl --http2: exit $?"
	expect_eq "$path: status and version" "$(cat "$T/w")" "200 1.1"
done
jq -e '.games | length == 1' "$T/b" >/dev/null 2>&1 ||
    jq -e '.status == "ok"' "$T/b" >/dev/null || fail "body: $(cat "$T/b")"
curl -s -m 3 --http2 "$B/api/live/games" | jq -e '.games[0].game_id == "401772994"' \
    >/dev/null || fail "games over --http2"

# Raw: no 101, one HTTP/1.1 answer.
lg_raw 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n' 1 >/dev/null
grep -aq '^HTTP/1.1 101' "$T/raw" && fail "raw: 101"
grep -aq '^HTTP/1.1 200' "$T/raw" || fail "raw: $(head -n 1 "$T/raw")"
kill -0 $LG || fail "live-games died"
exit 0
