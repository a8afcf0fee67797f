#!/bin/sh
# permessage-deflate: a client offering it gets it in the 101; the
# snapshot frame has RSV1 and inflates, on its own, to exactly the JSON
# a plain client receives; two such clients get byte-identical payloads
# (compressed once), much smaller than the plain one; a plain client
# never sees RSV1; /metrics counts one compression for the two.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/ws-load.sh"
need_py
DP=$ROOT/tests/tools/ws-deflate-probe.py
start_fanout --stats-interval 60s
G=401800001
feed_sync -i $G -E 300 -K 300 -n 1 -w 0
OFFER="permessage-deflate; client_max_window_bits"
mkdir "$T/a" "$T/b" "$T/p"
"$PY" "$DP" frames "$URL/$G" "$OFFER" 1 "$T/a" >"$T/a.out" || fail probe a
"$PY" "$DP" frames "$URL/$G" "$OFFER" 1 "$T/b" >"$T/b.out" || fail probe b
"$PY" "$DP" frames "$URL/$G" - 1 "$T/p" >"$T/p.out" || fail probe plain
expect_eq "101 answer" "$(head -n 1 "$T/a.out")" \
    "ext=permessage-deflate; server_no_context_takeover; client_no_context_takeover"
expect_eq "compressed" "$(sed -n 2p "$T/a.out" | cut -d' ' -f1)" rsv1=1
expect_eq "plain: no extension" "$(head -n 1 "$T/p.out")" ext=-
expect_eq "plain: RSV1 clear" "$(sed -n 2p "$T/p.out" | cut -d' ' -f1)" rsv1=0
expect_eq "type" "$(jq -r .type "$T/p/0.json")" snapshot
cmp "$T/a/0.json" "$T/p/0.json" || fail "inflated snapshot differs from the plain one"
cmp "$T/a/0.wire" "$T/b/0.wire" || fail "two clients got different compressed bytes"
plain=$(wc -c <"$T/p/0.wire")
comp=$(wc -c <"$T/a/0.wire")
note "snapshot plain=$plain compressed=$comp"
[ "$plain" -gt 20000 ] || fail "snapshot only $plain bytes"
[ $((comp * 6)) -le "$plain" ] || fail "compressed $comp is more than 1/6 of $plain"
expect_eq "compressed once" "$(metric ws_fanout_deflate_messages_total)" 1
expect_eq "two negotiated" "$(metric ws_fanout_deflate_connections_total)" 2
expect_eq "bytes before" "$(metric ws_fanout_deflate_in_bytes_total)" "$plain"
expect_eq "bytes after" "$(metric ws_fanout_deflate_out_bytes_total)" "$comp"
mem=$(metric ws_fanout_deflate_memory_bytes)
{ [ "$mem" -gt 0 ] && [ "$mem" -lt 1048576 ]; } || fail "compressor memory $mem"
