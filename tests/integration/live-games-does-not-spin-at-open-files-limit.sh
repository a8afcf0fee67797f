#!/bin/sh
# live-games-does-not-spin-at-open-files-limit: with its open-files
# limit (128 here) filled by silent connections (the caps set above it
# on purpose), live-games pauses accepting instead of retrying in a hot
# loop: it uses little CPU meanwhile, and /healthz answers again at once
# once they go. Before, it spun at 100% CPU.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/livegames.sh"
python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.2", 0))' \
    2>/dev/null || skip "cannot bind 127.0.0.2"
[ -r "/proc/$$/stat" ] || skip "no /proc"
LG_NOFILE=128 lg_start --request-timeout 60s --max-pending 1000 \
    --max-pending-per-ip 1000
hz=$(getconf CLK_TCK)
lg_hold 200 127.0.0.2
sleep 0.5
t0=$(lg_cpu_ticks)
sleep 2
used=$(( $(lg_cpu_ticks) - t0 ))
note "CPU while full: $used ticks in 2 s (of $((2 * hz)))"
# A hot loop would use all 2 s; allow a fifth of it, for a loaded machine.
[ "$used" -le $((2 * hz / 5)) ] || fail "spinning: $used ticks in 2 s"
curl -s "$B/metrics" -m 1 >/dev/null 2>&1 || true

kill -TERM $HOLD
wait $HOLD || true
t=$(curl -s -m 3 -o /dev/null -w '%{http_code} %{time_total}' "$B/healthz") ||
    fail "healthz after: curl exit $? ($t)"
expect_eq "healthz after" "${t% *}" 200
lg_within 1 "${t#* }" || fail "healthz after took ${t#* } s"
curl -s "$B/metrics" | grep -q '^live_games_accept_pauses_total [1-9]' ||
    fail "pauses: $(curl -s "$B/metrics" | grep pauses)"
kill -0 $LG || fail "live-games died"
exit 0
