# kalshi-tap: Kalshi market quotes as NDJSON, and its local simulator.
KALSHI_LIB_SRCS := kalshi-tap/kalshi_parse.c kalshi-tap/kalshi_sign.c \
	kalshi-tap/candles.c

TOOLS += kalshi-tap
# The engine's modules, less the WebSocket client and main.c (tap.h).
TAP_CORE_SRCS := kalshi-tap/emit.c kalshi-tap/markets.c \
	kalshi-tap/history.c kalshi-tap/state.c kalshi-tap/backfill.c \
	kalshi-tap/rest.c
TOOL_kalshi-tap_SRCS := kalshi-tap/main.c $(TAP_CORE_SRCS) \
	kalshi-tap/discover.c kalshi-tap/poll.c kalshi-tap/feed.c \
	kalshi-tap/replay.c kalshi-tap/kalshi_ws.c $(KALSHI_LIB_SRCS)

TEST_TOOLS += kalshi-sim
TOOL_kalshi-sim_SRCS := tests/tools/kalshi-sim.c tests/tools/ksim_candles.c $(KALSHI_LIB_SRCS)

UNIT_TESTS += tests/unit/test_kalshi_parse.c tests/unit/test_kalshi_sign.c \
	tests/unit/test_tap_state.c tests/unit/test_tap_history.c \
	tests/unit/test_kalshi_candles.c
UNIT_test_tap_state_SRCS := $(TAP_CORE_SRCS) kalshi-tap/kalshi_parse.c \
	kalshi-tap/candles.c
UNIT_test_tap_history_SRCS := kalshi-tap/history.c
UNIT_test_kalshi_parse_SRCS := kalshi-tap/kalshi_parse.c
UNIT_test_kalshi_candles_SRCS := kalshi-tap/candles.c
UNIT_test_kalshi_sign_SRCS := kalshi-tap/kalshi_sign.c

FUZZ_TARGETS += tests/fuzz/fuzz_kalshi_parse.c
FUZZ_fuzz_kalshi_parse_SRCS := kalshi-tap/kalshi_parse.c common/errbuf.c \
	common/ndjson.c

FUZZ_TARGETS += tests/fuzz/fuzz_kalshi_candles.c
FUZZ_fuzz_kalshi_candles_SRCS := kalshi-tap/candles.c \
	kalshi-tap/kalshi_parse.c common/errbuf.c common/ndjson.c

MANPAGES += man/kalshi-tap.1
