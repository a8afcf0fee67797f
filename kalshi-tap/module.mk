# kalshi-tap: Kalshi market quotes as NDJSON, and its local simulator.
KALSHI_LIB_SRCS := kalshi-tap/kalshi_parse.c kalshi-tap/kalshi_sign.c

TOOLS += kalshi-tap
TOOL_kalshi-tap_SRCS := kalshi-tap/main.c kalshi-tap/tap.c \
	kalshi-tap/kalshi_ws.c kalshi-tap/tap_state.c $(KALSHI_LIB_SRCS)

TEST_TOOLS += kalshi-sim
TOOL_kalshi-sim_SRCS := tests/tools/kalshi-sim.c $(KALSHI_LIB_SRCS)

UNIT_TESTS += tests/unit/test_kalshi_parse.c tests/unit/test_kalshi_sign.c \
	tests/unit/test_tap_state.c
UNIT_test_tap_state_SRCS := kalshi-tap/tap_state.c kalshi-tap/kalshi_parse.c
UNIT_test_kalshi_parse_SRCS := kalshi-tap/kalshi_parse.c
UNIT_test_kalshi_sign_SRCS := kalshi-tap/kalshi_sign.c

FUZZ_TARGETS += tests/fuzz/fuzz_kalshi_parse.c
FUZZ_fuzz_kalshi_parse_SRCS := kalshi-tap/kalshi_parse.c common/errbuf.c

MANPAGES += man/kalshi-tap.1
