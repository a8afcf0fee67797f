/* Unit tests for ws-fanout/bentry.c: checking Redis Streams entries. */
#include "ws-fanout/bentry.h"
#include "t.h"

#define F(s) { (s), sizeof(s) - 1 }

static enum bentry_why
parse(const struct bfield *kv, size_t n, const char *gid, struct bentry *e)
{
	return bentry_parse(kv, n, gid, 4096, e);
}

int
main(void)
{
	struct bentry e;
	const char *g = "401772994";

	{	/* A full entry: game line and whole-series tick. */
		struct bfield kv[] = { F("k"), F("full"),
		    F("game"), F("{\"type\":\"game\",\"game_id\":\"401772994\"}"),
		    F("tick"), F("{\"type\":\"tick\",\"game_id\":\"401772994\","
		    "\"epoch\":17,\"seq\":42,\"espn\":[]}") };

		T_EQ_INT(parse(kv, 6, g, &e), BENTRY_OK);
		T_EQ_INT(e.kind, BENTRY_FULL);
		T_CHECK(e.game != NULL && e.tick != NULL);
		T_EQ_INT(e.epoch, 17);
		T_EQ_INT(e.seq, 42);
		bentry_fini(&e);
	}
	{	/* A game-only full entry (no tick yet). */
		struct bfield kv[] = { F("k"), F("full"),
		    F("game"), F("{\"type\":\"game\",\"game_id\":\"401772994\"}") };

		T_EQ_INT(parse(kv, 4, g, &e), BENTRY_OK);
		T_CHECK(e.game != NULL && e.tick == NULL);
		bentry_fini(&e);
	}
	{	/* One tick line. */
		struct bfield kv[] = { F("k"), F("line"), F("line"),
		    F("{\"type\":\"tick\",\"game_id\":\"401772994\",\"epoch\":1,"
		    "\"seq\":2}") };

		T_EQ_INT(parse(kv, 4, g, &e), BENTRY_OK);
		T_EQ_INT(e.kind, BENTRY_LINE);
		T_CHECK(e.tick != NULL && e.game == NULL);
		T_EQ_INT(e.seq, 2);
		bentry_fini(&e);
	}
	{	/* Foreign: no k. */
		struct bfield kv[] = { F("foo"), F("bar") };

		T_EQ_INT(parse(kv, 2, g, &e), BENTRY_FOREIGN);
		T_EQ_INT(parse(kv, 0, g, &e), BENTRY_FOREIGN);
	}
	{	/* Wrong type: a quote, another game's tick, a bad seq, a kind. */
		struct bfield q[] = { F("k"), F("line"), F("line"),
		    F("{\"type\":\"quote\",\"game_id\":\"401772994\"}") };
		struct bfield o[] = { F("k"), F("line"), F("line"),
		    F("{\"type\":\"tick\",\"game_id\":\"1\",\"epoch\":1,\"seq\":2}") };
		struct bfield s0[] = { F("k"), F("line"), F("line"),
		    F("{\"type\":\"tick\",\"game_id\":\"401772994\",\"epoch\":1,"
		    "\"seq\":0}") };
		struct bfield b[] = { F("k"), F("bogus") };
		struct bfield src[] = { F("k"), F("source"), F("line"),
		    F("{\"type\":\"source\",\"src\":\"espn\"}") };
		struct bfield nofull[] = { F("k"), F("full") };

		T_EQ_INT(parse(q, 4, g, &e), BENTRY_WRONG_TYPE);
		T_EQ_INT(parse(o, 4, g, &e), BENTRY_WRONG_TYPE);
		T_EQ_INT(parse(s0, 4, g, &e), BENTRY_WRONG_TYPE);
		T_EQ_INT(parse(b, 2, g, &e), BENTRY_WRONG_TYPE);
		T_EQ_INT(parse(src, 4, g, &e), BENTRY_WRONG_TYPE);
		T_EQ_INT(parse(nofull, 2, g, &e), BENTRY_WRONG_TYPE);
		T_CHECK(e.game == NULL && e.tick == NULL && e.source == NULL);
	}
	{	/* Not JSON, too big. */
		struct bfield nj[] = { F("k"), F("line"), F("line"), F("nope") };
		struct bfield arr[] = { F("k"), F("line"), F("line"), F("[1]") };
		static char big[5000];
		struct bfield tb[] = { F("k"), F("line"), F("line"),
		    { big, sizeof(big) } };

		memset(big, 'a', sizeof(big));
		T_EQ_INT(parse(nj, 4, g, &e), BENTRY_BAD_JSON);
		T_EQ_INT(parse(arr, 4, g, &e), BENTRY_BAD_JSON);
		T_EQ_INT(parse(tb, 4, g, &e), BENTRY_TOO_BIG);
	}
	{	/* The index: a game announced, a source line, a bad id. */
		struct bfield ga[] = { F("k"), F("game"), F("id"), F("401772994") };
		struct bfield bad[] = { F("k"), F("game"), F("id"), F("40a") };
		struct bfield src[] = { F("k"), F("source"), F("line"),
		    F("{\"type\":\"source\",\"src\":\"espn\",\"state\":\"ok\"}") };
		struct bfield tick[] = { F("k"), F("line"), F("line"),
		    F("{\"type\":\"tick\"}") };

		T_EQ_INT(parse(ga, 4, NULL, &e), BENTRY_OK);
		T_EQ_INT(e.kind, BENTRY_GAME);
		T_EQ_STR(e.id, "401772994");
		T_EQ_INT(parse(bad, 4, NULL, &e), BENTRY_WRONG_TYPE);
		T_EQ_INT(parse(src, 4, NULL, &e), BENTRY_OK);
		T_EQ_INT(e.kind, BENTRY_SOURCE);
		T_CHECK(e.source != NULL);
		bentry_fini(&e);
		T_EQ_INT(parse(tick, 4, NULL, &e), BENTRY_WRONG_TYPE);
	}
	T_EQ_STR(bentry_why_name(BENTRY_TOO_BIG), "too_big");
	{	/* Entry ids. */
		struct bentry_id a, b;
		char buf[48];

		T_EQ_INT(bentry_id_parse("1796202000617-1", 15, &a), 0);
		T_EQ_INT(bentry_id_parse("1796202000617-10", 16, &b), 0);
		T_CHECK(bentry_id_cmp(&a, &b) < 0);
		T_CHECK(bentry_id_cmp(&b, &a) > 0);
		T_EQ_INT(bentry_id_cmp(&a, &a), 0);
		bentry_id_fmt(&a, buf, sizeof(buf), 1);
		T_EQ_STR(buf, "(1796202000617-1");
		T_EQ_INT(bentry_id_parse("17-", 3, &a), -1);
		T_EQ_INT(bentry_id_parse("-1", 2, &a), -1);
		T_EQ_INT(bentry_id_parse("1x-1", 4, &a), -1);
		T_EQ_INT(bentry_id_parse("", 0, &a), -1);
	}
	return t_done("fanout_bentry");
}
