#!/bin/sh
# live-games-binds-only-its-listen-address: --listen 127.0.0.1:PORT
# listens on that address only (no 0.0.0.0, no [::]), as the kernel's
# table of listening sockets shows; a bare PORT listens on every address,
# IPv4 and IPv6 apart; a taken port is refused with exit 71.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/livegames.sh"
command -v ss >/dev/null 2>&1 || skip "ss (iproute2) not installed"
lg_start
ss -ltnH "sport = :$PORT" | awk '{ print $4 }' >"$T/ss"
expect_eq "listening sockets" "$(cat "$T/ss")" "127.0.0.1:$PORT"
expect_eq "serves there" \
    "$(curl -s -o /dev/null -w '%{http_code}' "$B/healthz")" 200

# The same port on another loopback address is not ours.
rc=0
curl -s -m 2 -o /dev/null "http://127.0.0.2:$PORT/healthz" || rc=$?
expect_eq "127.0.0.2 refused" $rc 7

# Taken: exit 71, the address in the message.
rc=0
"$BIN/live-games" --listen "127.0.0.1:$PORT" --espn-base-url "$SIM" \
    --db "host=127.0.0.1 port=1" 2>"$T/busy" || rc=$?
expect_eq "port taken: exit" $rc 71
grep -q "127.0.0.1:$PORT" "$T/busy" || fail "port taken: $(cat "$T/busy")"
kill -TERM $LG
wait $LG || true

# A bare port: every address, each family on its own socket.
P2=$(free_port)
"$BIN/live-games" --listen "$P2" --espn-base-url "$SIM" \
    --db "host=127.0.0.1 port=1" --ready-fd 3 3>"$T/all.ready" \
    2>"$T/all.err" &
bg $!
wait_ready "$T/all.ready" || fail "every address: not ready: $(cat "$T/all.err")"
ss -ltnH "sport = :$P2" | awk '{ print $4 }' | sort >"$T/ss2"
grep -qx "0.0.0.0:$P2" "$T/ss2" || fail "every address: $(cat "$T/ss2")"
if [ -e /proc/net/if_inet6 ] && [ -s /proc/net/if_inet6 ]; then
	grep -qx "\[::\]:$P2" "$T/ss2" || fail "IPv6: $(cat "$T/ss2")"
fi
exit 0
