#!/bin/sh
# live-games-rejects-ambiguous-framing: a request whose body length two
# readers could disagree on (RFC 9112 §6.3) is answered 400 and the
# connection closed, so what follows is never read as a next request:
# conflicting or duplicate Content-Length, Transfer-Encoding on a GET,
# Transfer-Encoding with Content-Length. Before, the "body" was answered
# as a second request (request smuggling behind a proxy).
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/livegames.sh"
lg_start

SMUGGLED='GET /nope HTTP/1.1\r\nHost: x\r\n\r\n'
# refused NAME HEADERS BODY: one 400, closed, the smuggled GET unanswered.
refused() {
	lg_raw "GET /healthz HTTP/1.1\\r\\nHost: x\\r\\n$2\\r\\n$3" 3 >/dev/null
	grep -aq '^HTTP/1.1 400' "$T/raw" || fail "$1: $(head -n 1 "$T/raw")"
	expect_eq "$1: answers" "$(lg_responses)" 1
	[ "$STATE" = closed ] || fail "$1: connection left open"
	grep -aq '"status":404' "$T/raw" && fail "$1: smuggled request answered"
	return 0
}
refused "Content-Length 0 then 10" \
    'Content-Length: 0\r\nContent-Length: 29\r\n' "$SMUGGLED"
refused "Content-Length 29 then 0" \
    'Content-Length: 29\r\nContent-Length: 0\r\n' "$SMUGGLED"
refused "the same Content-Length twice" \
    'Content-Length: 0\r\nContent-Length: 0\r\n' "$SMUGGLED"
refused "a Content-Length list" 'Content-Length: 0, 29\r\n' "$SMUGGLED"
refused "a Content-Length that is not a number" 'Content-Length: -1\r\n' \
    "$SMUGGLED"
refused "Transfer-Encoding on GET" 'Transfer-Encoding: chunked\r\n' \
    "0\\r\\n\\r\\n$SMUGGLED"
refused "Transfer-Encoding with Content-Length" \
    'Transfer-Encoding: chunked\r\nContent-Length: 5\r\n' "0\\r\\n\\r\\n$SMUGGLED"

# A plain pipelined pair is still served twice.
lg_raw "GET /healthz HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 0\\r\\n\\r\\n$SMUGGLED" 1 >/dev/null
expect_eq "pipelined answers" "$(lg_responses)" 2
expect_eq "still serving" \
    "$(curl -s -o /dev/null -w '%{http_code}' "$B/healthz")" 200
kill -0 $LG || fail "live-games died"
exit 0
