#!/bin/sh
# --state FILE: every quote line kalshi-tap writes also goes to FILE. A
# kalshi-tap killed with SIGKILL and started again on the same FILE, with
# Kalshi sending nothing more, resends those quotes to its first consumer
# as history: the same lines, byte for byte, in the same order, once.
# Lines of FILE that are not its quote lines (garbage, a last line cut by
# the kill) are skipped with one warning; FILE is rewritten at start with
# at most --max-history quotes per market, so it does not grow.
ROOT=${ROOT:?}
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/kalshi-sim.sh"
R=$BIN/ndjson-relay
need_built ndjson-relay
st=$T/state.ndjson

ksim_keys tap
# 20 updates of 2 markets: 40 quotes, then the simulator falls silent.
ksim_start --pubkey "$T/tap.pub.pem" --count 20 --interval 20
KTAP_KEY_ID=k KTAP_KEY="$T/tap.pem"
ktap_start --state "$st"
WAIT_SECS=30 wait_for sh -c "[ \$(grep -c '\"type\":\"quote\"' '$T/out.ndjson') -ge 40 ]" ||
    fail "first run wrote $(grep -c '"type":"quote"' "$T/out.ndjson") quotes"
kill -KILL "$KTAP_PID"
ktap_wait
grep '"type":"quote"' "$T/out.ndjson" >"$T/q1"
expect_eq "quotes written" "$(wc -l <"$T/q1" | tr -d ' ')" 40
cmp -s "$T/q1" "$st" || fail "state file differs from the quote lines written"

# Second run: the first consumer gets the first run's quotes as history.
"$R" "unix:$T/k2.sock" --ready-fd 3 3>"$T/ready2" >"$T/down2" 2>/dev/null &
bg $!
wait_ready "$T/ready2" || fail "listener 2 not ready"
# ktap_start would see the last run's readiness if the file were left.
rm -f "$T/tap.ready"
ktap_start --state "$st" --output "unix:$T/k2.sock"
WAIT_SECS=20 wait_lines "$T/down2" 41 || fail "listener 2 got $(wc -l <"$T/down2") lines"
WAIT_SECS=20 wait_for grep -q '"type":"source"' "$T/down2" ||
    fail "no source line after the history"
ktap_stop
expect_eq "exit status" "$KTAP_RC" 0
cp "$T/tap.log" "$T/tap2.log"
expect_eq "frames sent" "$(count_lines '.type=="ticker"' "$T/sent.ndjson")" 40
grep '"type":"quote"' "$T/down2" >"$T/q2"
cmp -s "$T/q1" "$T/q2" || { diff "$T/q1" "$T/q2" >&2; fail "history resent differs from the first run's quotes"; }
grep -q 'msg="state loaded".*quotes=40 markets=2' "$T/tap2.log" ||
    fail "no log of 40 quotes loaded"
grep -q 'state resent.*quotes=40' "$T/tap2.log" || fail "no log of 40 quotes resent"
if grep -q 'lines skipped' "$T/tap2.log"; then fail "a clean state file had lines skipped"; fi
# Not written again as new quotes: the file still holds them once.
cmp -s "$T/q1" "$st" || fail "state file changed across a run that wrote nothing"

# Third run: a garbage line, a last line cut short, and --max-history 3.
{
	head -n 20 "$T/q1"
	echo 'not a quote line'
	tail -n +21 "$T/q1"
	printf '%s' '{"type":"quote","src":"kalshi","ticker":"KXNB'
} >"$st"
: >"$T/want"
for tk in $(jq -r .ticker "$T/q1" | sort -u); do
	grep "\"$tk\"" "$T/q1" | tail -n 3 >>"$T/want"
done
grep -F -x -f "$T/want" "$T/q1" >"$T/want.ordered"
"$R" "unix:$T/k3.sock" --ready-fd 3 3>"$T/ready3" >"$T/down3" 2>/dev/null &
bg $!
wait_ready "$T/ready3" || fail "listener 3 not ready"
rm -f "$T/tap.ready"
ktap_start --state "$st" --output "unix:$T/k3.sock" --max-history 3
# Compacted before kalshi-tap reports ready.
cmp -s "$T/want.ordered" "$st" || { diff "$T/want.ordered" "$st" >&2; fail "state file not compacted to the newest 3 per market"; }
[ ! -e "$st.tmp" ] || fail "temporary file left behind"
WAIT_SECS=20 wait_for grep -q '"type":"source"' "$T/down3" ||
    fail "no source line after the history"
ktap_stop
expect_eq "exit status" "$KTAP_RC" 0
grep '"type":"quote"' "$T/down3" >"$T/q3"
cmp -s "$T/want.ordered" "$T/q3" || { diff "$T/want.ordered" "$T/q3" >&2; fail "history resent is not the newest 3 per market"; }
expect_eq "skip warnings" "$(grep -c 'level=warn.*state file lines skipped' "$T/tap.log")" 1
grep -q 'state file lines skipped.*skipped=2 partial_last=1' "$T/tap.log" ||
    fail "warning does not count the garbage and the cut line"
grep -q 'msg="state loaded".*quotes=6 markets=2' "$T/tap.log" ||
    fail "no log of 6 quotes loaded"
