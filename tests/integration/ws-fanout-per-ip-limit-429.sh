#!/bin/sh
# Ten connections from one address are served; the eleventh gets 429 at
# the upgrade. Another address is not affected, and the C load generator
# spreads its clients over 127.0.0.x to stay under the limit.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/ws-load.sh"
need_py
start_fanout --max-per-ip 10
G=401800001
feed_sync -i $G -E 2 -K 2 -n 1 -w 0
mkfifo "$T/hold"
"$PY" "$PROBE" hold "$URL/$G" 11 127.0.0.1 <"$T/hold" >"$T/out" &
bg $!
exec 4>"$T/hold"
wait_lines "$T/out" 11 || fail "probe did not finish: $(cat "$T/out")"
expect_eq "first ten" "$(head -n 10 "$T/out" | sort -u)" 101
expect_eq "eleventh" "$(tail -n 1 "$T/out")" 429
expect_eq "other address" "$("$PY" "$PROBE" hold "$URL/$G" 1 127.0.0.2 </dev/null)" 101
# 40 clients over four addresses: ten each, all served.
"$LOAD" clients -a "127.0.0.1:$PORT" -g $G -n 40 -S 4 -b 3 -t 20 \
    >"$T/load.json" || fail "load: $(cat "$T/load.json")"
expect_eq established "$(jq .established "$T/load.json")" 40
exec 4>&-
expect_eq counted "$(curl -sf "$HTTP/metrics" |
    grep -c 'rejected_total{reason="per_ip"} 1$')" 1
