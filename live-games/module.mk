# live-games: GET /api/live/games from ESPN's scoreboard and Postgres.
TOOLS += live-games
TOOL_live-games_SRCS := live-games/main.c live-games/live.c \
	live-games/body.c live-games/cache.c live-games/route.c \
	live-games/db.c live-games/server.c live-games/conn.c \
	live-games/framing.c live-games/edge.c live-games/tlsfiles.c \
	live-games/options.c
# schema_sql.c is generated from schema.sql, the one copy of the schema:
# each line a C string, with \, " and tabs escaped.
$(BUILD)/gen/live-games/schema_sql.c: live-games/schema.sql live-games/module.mk
	@mkdir -p $(@D)
	{ printf '%s\n' '/* Generated from live-games/schema.sql by make: do not edit. */' \
	    '#include "live-games/schema_sql.h"' '' 'const char schema_sql[] ='; \
	  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/	/\\t/g' \
	    -e 's/^/    "/' -e 's/$$/\\n"/' $<; printf '    "";\n'; } >$@.tmp
	mv $@.tmp $@
$(BUILD)/gen/live-games/schema_sql.o: $(BUILD)/gen/live-games/schema_sql.c
	$(CC) $(ALL_CFLAGS) -c $< -o $@
$(BUILD)/bin/live-games: $(BUILD)/gen/live-games/schema_sql.o
UNIT_TESTS += tests/unit/test_live_body.c tests/unit/test_live_route.c \
	tests/unit/test_live_cache.c tests/unit/test_live_framing.c
UNIT_test_live_framing_SRCS := live-games/framing.c
UNIT_test_live_body_SRCS := live-games/body.c
UNIT_test_live_route_SRCS := live-games/route.c
UNIT_test_live_cache_SRCS := live-games/cache.c
FUZZ_TARGETS += tests/fuzz/fuzz_live_path.c tests/fuzz/fuzz_live_body.c \
	tests/fuzz/fuzz_live_framing.c
FUZZ_fuzz_live_framing_SRCS := live-games/framing.c
FUZZ_fuzz_live_path_SRCS := live-games/route.c
FUZZ_fuzz_live_body_SRCS := live-games/body.c common/espn.c \
	common/jsonutil.c common/timeutil.c common/errbuf.c
MANPAGES += man/live-games.1
