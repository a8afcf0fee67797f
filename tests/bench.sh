#!/bin/sh
# tests/bench.sh (make bench): every benchmark in tests/bench/, each side
# by side with its peer in the same run. Figures are medians; compare
# ratios, not absolute numbers, on a shared machine.
set -u
cd "$(dirname "$0")/.." || exit 1
rc=0
# The peers (nginx + nchan, wrk) are only needed here.
sh tests/deps.sh bench || echo "bench: could not install the peers; their columns will be missing"
for b in tests/bench/*.sh; do
	[ -e "$b" ] || continue
	echo "== $(basename "$b" .sh)"
	BUILD=${BUILD:-build} sh "$b" || { echo "bench $b failed"; rc=1; }
done
exit $rc
