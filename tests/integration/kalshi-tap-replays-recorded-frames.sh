#!/bin/sh
# --replay reads recorded Kalshi WS frames (the real production fixtures)
# and writes the lines they make, then exits 0.
ROOT=${ROOT:?}
. "$ROOT/tests/lib.sh"
need_built kalshi-tap
need_cmd jq

cat "$DATA/kalshi/ws_ticker_prod_2026-02-12.jsonl" \
    "$DATA/kalshi/ws_trade_prod_2026-02-12.jsonl" >"$T/frames.jsonl"
printf '%s\n' '{"type":"ticker","sid":1' >>"$T/frames.jsonl"
set +e
"$BIN/kalshi-tap" --replay "$T/frames.jsonl" --speed 0 >"$T/out.ndjson" \
    2>"$T/tap.log"
rc=$?
set -e
expect_eq "exit status" "$rc" 0
expect_eq "quotes" "$(jq -c 'select(.type=="quote")' "$T/out.ndjson" | wc -l | tr -d ' ')" 10
expect_eq "trades" "$(jq -c 'select(.type=="trade")' "$T/out.ndjson" | wc -l | tr -d ' ')" 10
expect_eq "first quote" "$(jq -c 'select(.type=="quote") | [.ticker,.ts,.bid,.ask,.last,.bid_size,.ask_size,.volume,.open_interest]' "$T/out.ndjson" | head -n 1)" \
    '["KXXRP-26FEB1317-B1.3899500",1770897976000,0.04,0.95,0.14,14,84,13446,892]'
expect_eq "first trade" "$(jq -c 'select(.type=="trade") | [.ticker,.ts,.price,.count,.taker]' "$T/out.ndjson" | head -n 1)" \
    '["KXSOLD-26FEB1217-T79.9999",1770897981000,0.77,75,"yes"]'
grep -q 'msg="bad frame skipped"' "$T/tap.log" || fail "bad frame not logged"

# Paced: the trades span 7 s of exchange time; at --speed 7 about 1 s.
start=$(date +%s%N)
"$BIN/kalshi-tap" --replay "$DATA/kalshi/ws_trade_prod_2026-02-12.jsonl" \
    --speed 7 >"$T/paced.ndjson" 2>/dev/null || fail "paced replay failed"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$ms" -ge 900 ] || fail "paced replay took only $ms ms"
[ "$ms" -le 6000 ] || fail "paced replay took $ms ms"
expect_eq "paced trades" "$(grep -c '"type":"trade"' "$T/paced.ndjson")" 10
