# live-games: GET /api/live/games from ESPN's scoreboard and Postgres.
TOOLS += live-games
TOOL_live-games_SRCS := live-games/main.c live-games/live.c \
	live-games/body.c live-games/cache.c live-games/route.c \
	live-games/db.c live-games/server.c live-games/conn.c \
	live-games/framing.c live-games/edge.c live-games/tlsfiles.c live-games/schema_sql.c
UNIT_TESTS += tests/unit/test_live_body.c tests/unit/test_live_route.c \
	tests/unit/test_live_cache.c tests/unit/test_live_schema.c \
	tests/unit/test_live_framing.c
UNIT_test_live_framing_SRCS := live-games/framing.c
UNIT_test_live_body_SRCS := live-games/body.c
UNIT_test_live_route_SRCS := live-games/route.c
UNIT_test_live_cache_SRCS := live-games/cache.c
UNIT_test_live_schema_SRCS := live-games/schema_sql.c
FUZZ_TARGETS += tests/fuzz/fuzz_live_path.c tests/fuzz/fuzz_live_body.c \
	tests/fuzz/fuzz_live_framing.c
FUZZ_fuzz_live_framing_SRCS := live-games/framing.c
FUZZ_fuzz_live_path_SRCS := live-games/route.c
FUZZ_fuzz_live_body_SRCS := live-games/body.c common/espn.c \
	common/jsonutil.c common/timeutil.c common/errbuf.c
MANPAGES += man/live-games.1
