#!/bin/sh
# tests/fuzz/run.sh: runs each libFuzzer target for FUZZ_SECONDS from its
# seed corpus (tests/fuzz/corpus/<target>); new inputs go to a scratch
# corpus, crashes to tests/fuzz/findings/. Exits 1 if any target fails.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
FUZZ_BUILD=${FUZZ_BUILD:-build-fuzz}
SECS=${FUZZ_SECONDS:-30}
failed=0
mkdir -p "$ROOT/tests/fuzz/findings"
for t in "$@"; do
	seed=$ROOT/tests/fuzz/corpus/$t
	work=$(mktemp -d)
	[ -d "$seed" ] || mkdir -p "$seed"
	printf '%-28s ' "$t"
	if "$ROOT/$FUZZ_BUILD/$t" -max_total_time="$SECS" -rss_limit_mb=2048 -print_final_stats=1 \
	    -artifact_prefix="$ROOT/tests/fuzz/findings/$t-" \
	    "$work" "$seed" >"$work.log" 2>&1; then
		echo "ok ($(grep -o 'stat::number_of_executed_units: [0-9]*' "$work.log" |
		    awk '{print $2}') runs in ${SECS}s)"
	else
		echo "FAILED: see $work.log"
		tail -n 30 "$work.log"
		failed=1
	fi
	rm -rf "$work"
done
exit $failed
