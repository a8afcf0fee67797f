# tests/lib/viewer.sh: the viewer page in headless Chromium, for the
# scenarios that check what a fan sees. Source it after tests/lib.sh.
#
#   viewer_render URL NAME   the page's DOM after its scripts ran
#                            ($T/NAME.html) and a screenshot
#                            ($T/NAME.png, copied to ARTIFACT_DIR)
#   viewer_check_drawn GAME  the DOM of the last render lists GAME, shows
#                            the NY–IND score line, draws at least 20
#                            points and counts ESPN and Kalshi points
CHROME=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROME" ] || fail "chromium not installed (make deps)"

# The flags a closed network needs, a fresh profile each time.
viewer_chrome() {
	_profile=$1; shift
	timeout 90 "$CHROME" --headless --no-sandbox --disable-gpu --disable-quic \
	    --no-first-run --disable-background-networking \
	    --disable-component-update --disable-sync \
	    --user-data-dir="$T/profile-$_profile" --window-size=1200,800 \
	    --virtual-time-budget=8000 "$@" 2>>"$T/chrome.err"
}

viewer_render() {
	VIEWER_DOM=$T/$2.html
	viewer_chrome "$2-dom" --dump-dom "$1" >"$VIEWER_DOM" ||
	    fail "chromium: $(tail -n 3 "$T/chrome.err")"
	viewer_chrome "$2-shot" --screenshot="$T/$2.png" "$1" >/dev/null ||
	    fail "chromium screenshot: $(tail -n 3 "$T/chrome.err")"
	test -s "$T/$2.png" || fail "no screenshot"
	cp "$T/$2.png" "${ARTIFACT_DIR:-$T}/$2.png" 2>/dev/null || true
}

viewer_check_drawn() {
	grep -q "data-game=\"$1\"" "$VIEWER_DOM" || fail "the game is not listed"
	_v=$(sed -n 's/.*id="score">\([^<]*\)<.*/\1/p' "$VIEWER_DOM")
	echo "$_v" | grep -Eq '^NY [0-9]+ – [0-9]+ IND$' || fail "score line: '$_v'"
	_v=$(sed -n 's/.*data-points="\([0-9]*\)".*/\1/p' "$VIEWER_DOM")
	[ "${_v:-0}" -ge 20 ] || fail "points drawn: '${_v:-none}'"
	_v=$(sed -n 's/.*id="counts">\([^<]*\)<.*/\1/p' "$VIEWER_DOM")
	echo "$_v" | grep -Eq '^[1-9][0-9]* ESPN points, [1-9][0-9]* Kalshi points' ||
	    fail "counts: '$_v'"
}
