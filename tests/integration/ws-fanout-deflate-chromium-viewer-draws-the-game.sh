#!/bin/sh
# Headless Chromium, which offers permessage-deflate, opens the viewer
# page while the recorded game runs through the pipeline: ws-fanout
# negotiates the extension with it, sends its snapshot compressed, and
# the page still lists the game, shows its score and draws ESPN and
# Kalshi points.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/pipeline.sh"
CHROME=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROME" ] || skip "chromium not installed (make deps)"
for t in espn-poll kalshi-tap aligner ws-fanout kalshi-sim; do
	need_built "$t"
done
pl_init "$T"
# Start ten minutes into the game, at 120x.
pl_sims 120 600
pl_start ws-fanout
pl_start aligner
pl_start espn-poll
pl_start kalshi-tap
WAIT_SECS=30 wait_for sh -c "curl -sf http://127.0.0.1:$PL_WS_PORT/api/games |
    grep -q '\"state\":\"in\"'" || fail "the game is not in the stream"
url="http://127.0.0.1:$PL_WS_PORT/?game=$PL_GAME"
chrome() {	# the flags a closed network needs, a fresh profile each time
	profile=$1; shift
	timeout 90 "$CHROME" --headless --no-sandbox --disable-gpu --disable-quic \
	    --no-first-run --disable-background-networking \
	    --disable-component-update --disable-sync \
	    --user-data-dir="$T/profile-$profile" --window-size=1200,800 \
	    --virtual-time-budget=8000 "$@" 2>>"$T/chrome.err"
}
chrome dom --dump-dom "$url" >"$T/dom.html" || fail "chromium: $(tail -n 3 "$T/chrome.err")"
# The game list, the score line and the chart, as the page rendered them.
grep -q "data-game=\"$PL_GAME\"" "$T/dom.html" || fail "the game is not listed"
score=$(sed -n 's/.*id="score">\([^<]*\)<.*/\1/p' "$T/dom.html")
echo "$score" | grep -Eq '^NY [0-9]+ – [0-9]+ IND$' || fail "score line: '$score'"
pts=$(sed -n 's/.*data-points="\([0-9]*\)".*/\1/p' "$T/dom.html")
[ "${pts:-0}" -ge 20 ] || fail "points drawn: '${pts:-none}'"
counts=$(sed -n 's/.*id="counts">\([^<]*\)<.*/\1/p' "$T/dom.html")
echo "$counts" | grep -Eq '^[1-9][0-9]* ESPN points, [1-9][0-9]* Kalshi points' ||
    fail "counts: '$counts'"
m() { curl -sf "http://127.0.0.1:$PL_WS_PORT/metrics" |
    awk -v n="$1" '$1 == n { print $2 }'; }
n=$(m ws_fanout_deflate_connections_total)
[ "${n:-0}" -ge 1 ] || fail "chromium did not negotiate permessage-deflate ($n)"
z=$(m ws_fanout_deflate_messages_total)
[ "${z:-0}" -ge 1 ] || fail "nothing was compressed ($z)"
note "negotiated=$n compressed=$z in=$(m ws_fanout_deflate_in_bytes_total) out=$(m ws_fanout_deflate_out_bytes_total)"
