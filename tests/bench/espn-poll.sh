#!/bin/sh
# espn-poll: CPU per poll of the full 472-play summary (parse + diff, as
# espn-poll counts it, against espn-sim with every body different) and
# bytes per poll with gzip; beside it the same parse + join in Python
# (json.loads, a dict by play id, a sort by sequence number) on the same
# body, same run. Target: under 5 ms per poll.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
export ROOT BUILD
out=$(sh "$ROOT/tests/tools/espn-sim-bench.sh")
echo "$out"
c=$(echo "$out" | sed -n 's/.*cpu_ms_per_poll=\([0-9.]*\).*/\1/p')
py=$(python3 -c '
import json, sys, time
# Compact, as ESPN and espn-sim serve it (the fixture is pretty-printed).
body = json.dumps(json.load(open(sys.argv[1], "rb")),
                  separators=(",", ":")).encode()
runs = []
for _ in range(20):
    t0 = time.process_time()
    d = json.loads(body)
    plays = {p["id"]: p for p in d.get("plays", [])}
    pts = sorted(((int(plays[w["playId"]]["sequenceNumber"]), w)
                  for w in d.get("winprobability", []) if w["playId"] in plays),
                 key=lambda x: x[0])
    runs.append((time.process_time() - t0) * 1000)
runs.sort()
print("%.2f" % runs[len(runs) // 2])
' "$ROOT/tests/data/espn/summary-nba-401772994.json")
echo "python3 json.loads + join + sort: cpu_ms_per_poll=$py (median of 20, same summary)"
awk -v c="$c" -v p="$py" 'BEGIN { if (c > 0) printf "ratio: espn-poll is %.1fx the Python peer\n", p / c }'
