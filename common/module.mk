# common/: the static library every tool links.
COMMON_SRCS += $(wildcard common/*.c)
MANPAGES += man/courtside.7
UNIT_TESTS += tests/unit/test_timeutil.c tests/unit/test_backoff.c \
	tests/unit/test_teams.c tests/unit/test_opts.c tests/unit/test_log.c \
	tests/unit/test_jsonutil.c tests/unit/test_ndjson.c \
	tests/unit/test_containers.c tests/unit/test_service.c
FUZZ_TARGETS += tests/fuzz/fuzz_ndjson.c
FUZZ_fuzz_ndjson_SRCS := common/ndjson.c
FUZZ_TARGETS += tests/fuzz/fuzz_jscan.c
TEST_TOOLS += ndjson-relay
TOOL_ndjson-relay_SRCS := tests/tools/ndjson-relay.c
UNIT_TESTS += tests/unit/test_proxyaddr.c tests/unit/test_iplimit.c \
	tests/unit/test_accept.c tests/unit/test_lwslog.c
FUZZ_TARGETS += tests/fuzz/fuzz_proxyaddr.c
FUZZ_fuzz_proxyaddr_SRCS := common/proxyaddr.c common/errbuf.c
UNIT_TESTS += tests/unit/test_redis_url.c
FUZZ_TARGETS += tests/fuzz/fuzz_redis_url.c
FUZZ_fuzz_redis_url_SRCS := common/redis_url.c common/errbuf.c
FUZZ_TARGETS += tests/fuzz/fuzz_opt_listen.c
FUZZ_fuzz_opt_listen_SRCS := common/opts.c common/log.c common/timeutil.c
