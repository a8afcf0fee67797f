# tests/lib/kalshi-sim.sh: sourced by tests/integration/kalshi-tap-*.sh
# after tests/lib.sh. Starts the Kalshi simulator and kalshi-tap with their
# logs and output in $T, and makes throwaway RSA keys for the handshake.

unset KALSHI_API_KEY_ID KALSHI_PRIVATE_KEY_PATH KTAP_KEY KTAP_KEY_ID
need_built kalshi-sim
need_built kalshi-tap
need_cmd jq

# ksim_keys NAME: $T/NAME.pem (private, 0600) and $T/NAME.pub.pem.
ksim_keys() {
	need_cmd openssl
	(umask 077 && openssl genpkey -algorithm RSA \
	    -pkeyopt rsa_keygen_bits:2048 -out "$T/$1.pem" 2>/dev/null) ||
	    fail "openssl genpkey"
	openssl pkey -in "$T/$1.pem" -pubout -out "$T/$1.pub.pem" 2>/dev/null ||
	    fail "openssl pkey -pubout"
}

# ksim_start ARGS...: the simulator on a free port; sets KSIM_PORT,
# KSIM_WS and KSIM_REST; logs to $T/sim.log, frames sent to $T/sent.ndjson.
ksim_start() {
	KSIM_PORT=$(free_port)
	KSIM_WS=ws://127.0.0.1:$KSIM_PORT/trade-api/ws/v2
	KSIM_REST=http://127.0.0.1:$KSIM_PORT/trade-api/v2
	"$BIN/kalshi-sim" --port "$KSIM_PORT" --sent-log "$T/sent.ndjson" \
	    --ready-fd 3 "$@" 3>"$T/sim.ready" 2>"$T/sim.log" &
	bg $!
	# shellcheck disable=SC2034 # used by the scenarios
	KSIM_PID=$!
	wait_ready "$T/sim.ready" || fail "kalshi-sim not ready"
}

# ktap_start ARGS...: kalshi-tap against the simulator; output in
# $T/out.ndjson, logs in $T/tap.log; KTAP_PID is its process. With
# KTAP_KEY_ID and KTAP_KEY set, they go to kalshi-tap as its key.
ktap_start() {
	rm -f "$T/tap.ready"	# a previous run's newline is not readiness
	# shellcheck disable=SC2086 # no spaces in the key id or $T
	env ${KTAP_KEY:+KALSHI_API_KEY_ID=$KTAP_KEY_ID} \
	    ${KTAP_KEY:+KALSHI_PRIVATE_KEY_PATH=$KTAP_KEY} \
	    "$BIN/kalshi-tap" --ws-url "$KSIM_WS" --rest-url "$KSIM_REST" \
	    --ready-fd 3 "$@" 3>"$T/tap.ready" >"$T/out.ndjson" \
	    2>"$T/tap.log" &
	KTAP_PID=$!
	bg $KTAP_PID
	wait_ready "$T/tap.ready" || fail "kalshi-tap not ready"
}

# ktap_wait: waits for kalshi-tap to exit; sets KTAP_RC to its status.
# (Not inside $(...): a subshell cannot wait for our children.)
ktap_wait() {
	set +e
	wait "$KTAP_PID"
	# shellcheck disable=SC2034 # used by the scenarios
	KTAP_RC=$?
	set -e
}

# ktap_stop: SIGTERM to kalshi-tap, then ktap_wait.
ktap_stop() {
	kill -TERM "$KTAP_PID" 2>/dev/null || true
	ktap_wait
}

# count_lines JQFILTER FILE: lines of FILE the jq filter selects.
count_lines() {
	jq -c "select($1)" "$2" 2>/dev/null | wc -l | tr -d ' '
}

# The fields of each ticker frame sent, as kalshi-tap should print them.
sent_quotes() {
	jq -c 'select(.type == "ticker") | .msg |
	    [.market_ticker, (.yes_bid_dollars | tonumber),
	     (.yes_ask_dollars | tonumber),
	     (if .price_dollars then (.price_dollars | tonumber) else null end),
	     (.yes_bid_size_fp | tonumber), (.yes_ask_size_fp | tonumber),
	     (.volume_fp | tonumber), (.open_interest_fp | tonumber)]' \
	    "$T/sent.ndjson"
}
got_quotes() {
	jq -c 'select(.type == "quote") |
	    [.ticker, .bid, .ask, .last, .bid_size, .ask_size, .volume,
	     .open_interest]' "$T/out.ndjson"
}
