# espn-poll: polls ESPN, writes game, wp and source lines.
TOOLS += espn-poll
TOOL_espn-poll_SRCS := espn-poll/main.c espn-poll/poller.c espn-poll/games.c \
	espn-poll/stream.c \
	espn-poll/lines.c espn-poll/replay.c
MANPAGES += man/espn-poll.1

UNIT_TESTS += tests/unit/test_espn.c tests/unit/test_espn_lines.c
UNIT_test_espn_SRCS :=
UNIT_test_espn_lines_SRCS := espn-poll/lines.c

ESPN_PARSE_SRCS := common/espn.c common/espn_slim.c common/espn_text.c \
	common/jsonutil.c common/timeutil.c common/errbuf.c
FUZZ_TARGETS += tests/fuzz/fuzz_espn_scoreboard.c tests/fuzz/fuzz_espn_summary.c
FUZZ_fuzz_espn_scoreboard_SRCS := $(ESPN_PARSE_SRCS)
FUZZ_fuzz_espn_summary_SRCS := $(ESPN_PARSE_SRCS)
