# aligner: merges ESPN and Kalshi lines into per-game ticks.
TOOLS += aligner
# The pure engine (align.h), in the order a line goes through it.
ALIGN_SRCS := aligner/align.c aligner/fields.c aligner/wp.c \
	aligner/kalshi_map.c aligner/games.c aligner/map.c aligner/tick_encode.c
TOOL_aligner_SRCS := aligner/main.c aligner/options.c $(ALIGN_SRCS)

UNIT_TESTS += tests/unit/test_align.c
UNIT_test_align_SRCS := $(ALIGN_SRCS)

FUZZ_TARGETS += tests/fuzz/fuzz_align_lines.c
FUZZ_fuzz_align_lines_SRCS := $(ALIGN_SRCS) common/ndjson.c \
	common/teams.c common/timeutil.c common/errbuf.c

MANPAGES += man/aligner.1
