# tests/lib/espn-sim.sh: helpers for scenarios that run the ESPN
# simulator (tests/tools/espn-sim). Source after tests/lib.sh.
#
#   sim_start ARGS...     start espn-sim (ARGS as its options), wait until
#                         it listens; sets SIM_PORT, SIM_URL (the site API
#                         root for --base-url), SIM_LOG (its request log)
#   sim_ctl PATH?QUERY    GET a control endpoint (/_sim/...), print reply
#   sim_expected_wp FILE  the fixture's 472 points as wp-line fields, one
#                         per line in seq order (TSV), for comparing
#   wp_fields FILE        the same fields from espn-poll's wp lines, in
#                         the order written
#   wait_grep PATTERN FILE  wait until FILE has a line matching PATTERN
SIM=$ROOT/tests/tools/espn-sim
SIM_FIXTURE=$DATA/espn/summary-nba-401772994.json
SIM_GAME=401772994	# the recorded game's ESPN event id
export SIM_GAME
SIM_DATE=20250531	# the game's US Eastern date

need_cmd python3
need_cmd jq

sim_start() {
	SIM_LOG=$T/sim-requests.log
	: >"$T/sim.port"
	rm -f "$T/sim.port"
	"$SIM" --port-file "$T/sim.port" --log "$SIM_LOG" "$@" \
	    2>"$T/sim.err" &
	bg $!
	wait_for test -s "$T/sim.port" || fail "espn-sim did not start: $(cat "$T/sim.err")"
	SIM_PORT=$(cat "$T/sim.port")
	SIM_URL=http://127.0.0.1:$SIM_PORT/apis/site/v2/sports/basketball/nba
}

sim_ctl() {
	curl -sS --max-time 5 "http://127.0.0.1:$SIM_PORT$1"
}

sim_expected_wp() {
	jq -r '
	  (.plays | map({key: .id, value: .}) | from_entries) as $p
	  | [.winprobability[] | . as $w | $p[$w.playId] as $pl
	     | {id: $w.playId, seq: ($pl.sequenceNumber | tonumber),
	        ts: ($pl.wallclock | sub("Z$"; "") | strptime("%Y-%m-%dT%H:%M:%S") | mktime * 1000),
	        home: $w.homeWinPercentage, tie: $w.tiePercentage,
	        period: $pl.period.number, clock: $pl.clock.displayValue,
	        hs: $pl.homeScore, as: $pl.awayScore}]
	  | sort_by(.seq)[]
	  | [.id, .seq, .ts, .home, .tie, .period, .clock, .hs, .as] | @tsv' \
	    "$1"
}

wp_fields() {
	jq -r 'select(.type == "wp")
	  | [.play_id, .seq, .ts, .home, .tie, .period, .clock, .home_score,
	     .away_score] | @tsv' "$1"
}

# wp_fields_by_seq FILE: the same, sorted by seq. ESPN's plays array
# lists play 696 before 695 (a play entered late); a poll that falls
# between their release sees 696 first, and espn-poll rightly writes 695
# once it appears, after 696. Every point once is what matters.
wp_fields_by_seq() {
	wp_fields "$1" | sort -t "$(printf '\t')" -k2,2n -s
}

wait_grep() {
	wait_for grep -q "$1" "$2"
}

# poll_game_with_faults SPEC... : the whole game at 1500x with espn-poll
# (fast retries); once 100 points are out, the faults are switched on
# through the control endpoint. Waits for the final, stops espn-poll with
# SIGTERM (expects 0) and checks the 472 points against the fixture: none
# lost, none repeated. Leaves espn-poll's output in $T/out, logs in $T/err.
poll_game_with_faults() {
	sim_start --speed 1500 --start-offset -2
	"$BIN/espn-poll" --base-url "$SIM_URL" --date "$SIM_DATE" \
	    --scoreboard-interval 150ms --interval 100ms --retry-base 50ms \
	    --timeout 1s --ready-fd 3 \
	    3>"$T/ready" >"$T/out" 2>"$T/err" &
	_pid=$!; bg $_pid
	wait_ready "$T/ready" || fail "espn-poll not ready"
	WAIT_SECS=20 wait_for sh -c "[ \$(grep -c '\"type\":\"wp\"' '$T/out') -ge 100 ]" ||
	    fail "no points: $(tail -3 "$T/err")"
	_q=
	for _f in "$@"; do _q="$_q&set=$_f"; done
	sim_ctl "/_sim/fault?${_q#&}" >/dev/null || fail "sim control"
	WAIT_SECS=45 wait_for grep -q 'msg="game finished"' "$T/err" ||
	    fail "game not finished: $(tail -3 "$T/err")"
	kill -TERM $_pid
	_rc=0; wait $_pid || _rc=$?
	expect_eq "exit status after SIGTERM" "$_rc" 0
	sim_expected_wp "$SIM_FIXTURE" >"$T/want"
	wp_fields_by_seq "$T/out" >"$T/got"
	expect_eq "wp lines" "$(wc -l <"$T/got" | tr -d ' ')" 472
	cmp -s "$T/want" "$T/got" || { diff "$T/want" "$T/got" | head >&2; fail "wp lines differ from the fixture"; }
	jq -c 'select(.type == "source") | [.state, .detail]' "$T/out" >"$T/sources"
}

# source_seq: the states of the source lines, space separated.
# source_recovered: they alternate ok / degraded, at least one degraded,
# and end ok (faults on two streams may give two degraded spells).
source_recovered() {
	source_seq | grep -Eq '^ok( degraded ok)+$' ||
	    fail "source states: $(source_seq)"
}

source_seq() {
	jq -r 'select(.type == "source") | .state' "$T/out" | tr '\n' ' ' | sed 's/ $//'
}
