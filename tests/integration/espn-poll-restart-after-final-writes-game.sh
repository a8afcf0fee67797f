#!/bin/sh
# espn-poll started after the game is final (a restart, say) still writes
# the whole game: the post game line and every one of the 472 points,
# once, from one summary poll; then it polls that summary no more while
# the scoreboard goes on. A failing summary is retried with backoff
# until that one poll succeeds.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/espn-sim.sh"

# summary_requests [STATUS]: summary requests in the sim's log (with
# that status).
summary_requests() {
	jq -r --arg st "${1:-}" 'select(.path | test("/summary\\?"))
	  | select($st == "" or (.status | tostring) == $st) | .path' \
	    "$SIM_LOG" | wc -l | tr -d ' '
}

scoreboard_requests() {
	grep -c '/scoreboard?' "$SIM_LOG" || true
}

# run_final_game NAME [FAULT]: a fresh espn-poll against the finished
# game; checks its lines and that the summary is left alone afterwards.
# Leaves the sim's log in $SIM_LOG.
run_final_game() {
	_n=$1; shift
	rm -f "$T/sim-requests.log"
	sim_start --speed 1 "$@"
	_simpid=$!
	# Past the last play: the game is final (post).
	sim_ctl "/_sim/seek?offset=100000" >"$T/seek.$_n"
	expect_eq "sim state" "$(jq -r .state "$T/seek.$_n")" post
	"$BIN/espn-poll" --base-url "$SIM_URL" --date "$SIM_DATE" \
	    --scoreboard-interval 50ms --interval 50ms --retry-base 50ms \
	    --ready-fd 3 3>"$T/ready.$_n" >"$T/out.$_n" 2>"$T/err.$_n" &
	_pid=$!; bg $_pid
	wait_ready "$T/ready.$_n" || fail "$_n: espn-poll not ready"
	WAIT_SECS=20 wait_for grep -q 'msg="game finished"' "$T/err.$_n" ||
	    fail "$_n: game not finished: $(tail -3 "$T/err.$_n")"
	# Twenty more scoreboard polls, all saying post.
	_sb=$(scoreboard_requests)
	WAIT_SECS=20 wait_for sh -c "[ \$(grep -c '/scoreboard?' '$SIM_LOG') -ge $((_sb + 20)) ]" ||
	    fail "$_n: the scoreboard is not polled any more"
	kill -TERM $_pid
	_rc=0; wait $_pid || _rc=$?
	expect_eq "$_n: exit status after SIGTERM" "$_rc" 0

	expect_eq "$_n: game lines" \
	    "$(jq -c 'select(.type == "game") | [.game_id, .state, .home.score, .away.score]' "$T/out.$_n")" \
	    "[\"$SIM_GAME\",\"post\",125,108]"
	sim_expected_wp "$SIM_FIXTURE" >"$T/want"
	wp_fields_by_seq "$T/out.$_n" >"$T/got.$_n"
	expect_eq "$_n: wp lines" "$(wc -l <"$T/got.$_n" | tr -d ' ')" 472
	cmp -s "$T/want" "$T/got.$_n" ||
	    { diff "$T/want" "$T/got.$_n" | head >&2; fail "$_n: wp lines differ from the fixture"; }
	# The game line comes before its points.
	expect_eq "$_n: first line for the game" \
	    "$(grep -m 1 "$SIM_GAME" "$T/out.$_n" | jq -r .type)" game
	expect_eq "$_n: summaries answered 200" "$(summary_requests 200)" 1
	kill $_simpid
}

run_final_game plain
expect_eq "plain: summary requests" "$(summary_requests)" 1
expect_eq "plain: source lines" "$(jq -r 'select(.type == "source") | .state' "$T/out.plain" | tr '\n' ' ')" "ok "

# The one poll fails twice (503): retried with backoff, then written.
run_final_game faulted --fault 503:2@summary
expect_eq "faulted: summary requests" "$(summary_requests)" 3
expect_eq "faulted: summaries answered 503" "$(summary_requests 503)" 2
expect_eq "faulted: source states" \
    "$(jq -r 'select(.type == "source") | .state' "$T/out.faulted" | tr '\n' ' ')" \
    "ok degraded ok "
