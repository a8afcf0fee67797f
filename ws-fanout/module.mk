# ws-fanout/: frames in, WebSocket subscribers out.
FANOUT_CORE := ws-fanout/msg.c ws-fanout/rooms.c ws-fanout/throttle.c \
	ws-fanout/sources.c \
	ws-fanout/wspath.c ws-fanout/clientq.c ws-fanout/metrics.c \
	ws-fanout/wscheck.c ws-fanout/bentry.c ws-fanout/pmd.c

TOOLS += ws-fanout
TOOL_ws-fanout_SRCS := ws-fanout/main.c ws-fanout/server.c ws-fanout/fanout.c \
	ws-fanout/wswrite.c ws-fanout/http.c ws-fanout/heap.c ws-fanout/edge.c \
	ws-fanout/input_redis.c ws-fanout/deflate.c \
	ws-fanout/rxguard.c $(FANOUT_CORE)
TOOL_ws-fanout_SRCS += ws-fanout/app.c

TEST_TOOLS += ws-load
TOOL_ws-load_SRCS := tests/tools/ws-load.c tests/tools/ws-load-hist.c \
	tests/tools/ws-load-feed.c tests/tools/ws-load-raw.c \
	tests/tools/ws-load-churn.c

# The machine's own limit for the same fan-out: plain TCP, no WebSocket.
TEST_TOOLS += fanout-floor
TOOL_fanout-floor_SRCS := tests/tools/fanout-floor.c tests/tools/ws-load-hist.c

UNIT_TESTS += tests/unit/test_fanout_rooms.c tests/unit/test_fanout_wspath.c \
	tests/unit/test_fanout_queue.c tests/unit/test_fanout_metrics.c \
	tests/unit/test_fanout_wscheck.c tests/unit/test_fanout_bentry.c \
	tests/unit/test_fanout_pmd.c
UNIT_test_fanout_pmd_SRCS := ws-fanout/pmd.c ws-fanout/deflate.c ws-fanout/msg.c
UNIT_test_fanout_bentry_SRCS := ws-fanout/bentry.c ws-fanout/wspath.c
UNIT_test_fanout_rooms_SRCS := $(FANOUT_CORE)
UNIT_test_fanout_wspath_SRCS := ws-fanout/wspath.c
UNIT_test_fanout_queue_SRCS := $(FANOUT_CORE)
UNIT_test_fanout_metrics_SRCS := $(FANOUT_CORE)
UNIT_test_fanout_wscheck_SRCS := ws-fanout/wscheck.c

FUZZ_TARGETS += tests/fuzz/fuzz_fanout_path.c tests/fuzz/fuzz_fanout_frames.c \
	tests/fuzz/fuzz_fanout_wscheck.c tests/fuzz/fuzz_fanout_bentry.c \
	tests/fuzz/fuzz_fanout_pmd.c
FUZZ_fuzz_fanout_pmd_SRCS := ws-fanout/pmd.c
FUZZ_fuzz_fanout_wscheck_SRCS := ws-fanout/wscheck.c
FUZZ_fuzz_fanout_bentry_SRCS := ws-fanout/bentry.c ws-fanout/wspath.c
FUZZ_fuzz_fanout_path_SRCS := ws-fanout/wspath.c
FUZZ_fuzz_fanout_frames_SRCS := ws-fanout/msg.c ws-fanout/rooms.c \
	ws-fanout/sources.c \
	ws-fanout/throttle.c ws-fanout/wspath.c ws-fanout/clientq.c

MANPAGES += man/ws-fanout.1
