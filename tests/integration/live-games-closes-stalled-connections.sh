#!/bin/sh
# live-games-closes-stalled-connections: every connection has a deadline
# in every state (--request-timeout 1s here): nothing sent, half a
# request line, headers without their end, an idle keep-alive after an
# answer, after an h2c offer. A CONNECT is answered 405 at once. Before,
# a CONNECT, an upgrade or a silent socket stayed open for minutes.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/livegames.sh"
lg_start --request-timeout 1s

# closes_in NAME REQUEST: closed between 0.8 and 2.5 s.
closes_in() {
	lg_raw "$2" 6 >/dev/null
	[ "$STATE" = closed ] || fail "$1: still open after $SECS s"
	lg_within 2.5 "$SECS" || fail "$1: closed after $SECS s"
	lg_within "$SECS" 0.8 || fail "$1: closed early, after $SECS s"
}
closes_in "nothing sent" ''
closes_in "half a request line" 'GET /api/li'
closes_in "headers unfinished" 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n'
closes_in "idle keep-alive" 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n'
expect_eq "keep-alive answer first" "$(lg_responses)" 1
closes_in "after an h2c offer" 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n'

lg_raw 'CONNECT / HTTP/1.1\r\nHost: x\r\n\r\n' 6 >/dev/null
[ "$STATE" = closed ] || fail "CONNECT: still open after $SECS s"
lg_within 0.5 "$SECS" || fail "CONNECT: answered after $SECS s"
grep -aq '^HTTP/1.1 405' "$T/raw" || fail "CONNECT: $(head -n 1 "$T/raw")"

# The default is a few seconds, and the server serves on.
curl -s "$B/metrics" | grep -q '^live_games_conn_timeouts_total [5-9]' ||
    fail "metrics: $(curl -s "$B/metrics" | grep timeouts)"
expect_eq "still serving" \
    "$(curl -s -o /dev/null -w '%{http_code}' "$B/healthz")" 200
kill -0 $LG || fail "live-games died"
exit 0
