# aligner: merges ESPN and Kalshi lines into per-game ticks.
TOOLS += aligner
TOOL_aligner_SRCS := aligner/main.c aligner/align.c aligner/fields.c

UNIT_TESTS += tests/unit/test_align.c
UNIT_test_align_SRCS := aligner/align.c aligner/fields.c

FUZZ_TARGETS += tests/fuzz/fuzz_align_lines.c
FUZZ_fuzz_align_lines_SRCS := aligner/align.c aligner/fields.c common/ndjson.c \
	common/teams.c common/timeutil.c common/errbuf.c

MANPAGES += man/aligner.1
