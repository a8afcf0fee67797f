/* Unit tests for common/redis_url.c: redis://[HOST][:PORT]/NAME. */
#include "redis_url.h"
#include "t.h"

static int
ok(const char *s, const char *host, int port, const char *name)
{
	struct redis_url u;
	struct errbuf err;

	if (redis_url_parse(s, &u, &err) != 0) {
		fprintf(stderr, "%s: %s\n", s, err.msg);
		return 0;
	}
	return strcmp(u.host, host) == 0 && u.port == port &&
	    strcmp(u.name, name) == 0;
}

static int
bad(const char *s)
{
	struct redis_url u;
	struct errbuf err;

	err.msg[0] = '\0';
	return redis_url_parse(s, &u, &err) == -1 && err.msg[0] != '\0';
}

int
main(void)
{
	char longname[200];

	T_CHECK(ok("redis:///courtside", "127.0.0.1", 6379, "courtside"));
	T_CHECK(ok("redis://:7000/cs", "127.0.0.1", 7000, "cs"));
	T_CHECK(ok("redis://10.0.0.5/live", "10.0.0.5", 6379, "live"));
	T_CHECK(ok("redis://redis.internal:6380/a.b-c_d",
	    "redis.internal", 6380, "a.b-c_d"));
	T_CHECK(ok("redis://[::1]:7001/x", "::1", 7001, "x"));
	T_CHECK(ok("redis://[::1]/x", "::1", 6379, "x"));
	T_CHECK(redis_url_is("redis://x/y"));
	T_CHECK(!redis_url_is("unix:/tmp/x"));
	T_CHECK(!redis_url_is(NULL));

	T_CHECK(bad("redis://"));
	T_CHECK(bad("redis://host"));
	T_CHECK(bad("redis://host/"));
	T_CHECK(bad("redis://host:/x"));
	T_CHECK(bad("redis://host:0/x"));
	T_CHECK(bad("redis://host:65536/x"));
	T_CHECK(bad("redis://host:12a/x"));
	T_CHECK(bad("redis://user@host/x"));
	T_CHECK(bad("redis://host/x/y"));
	T_CHECK(bad("redis://host/x y"));
	T_CHECK(bad("redis://host/x:y"));
	T_CHECK(bad("redis://[::1/x"));
	T_CHECK(bad("redis://[]/x"));
	T_CHECK(bad("redis://[::1]junk/x"));
	T_CHECK(bad("redis://[zz]/x"));
	T_CHECK(bad("unix:/tmp/x"));
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	{
		char s[512];

		snprintf(s, sizeof(s), "redis://h/%s", longname);
		T_CHECK(bad(s));
		snprintf(s, sizeof(s), "redis://%s%s/x", longname, longname);
		T_CHECK(bad(s));
	}
	/* The stream layout writer and readers share. */
	{
		struct redis_url u;
		struct errbuf err;
		char key[64];

		T_EQ_INT(redis_url_parse("redis://h/cs", &u, &err), 0);
		T_EQ_INT(redis_url_game_key(&u, "401772994", key, sizeof(key)), 0);
		T_EQ_STR(key, "cs:game:401772994");
		T_EQ_INT(redis_url_index_key(&u, key, sizeof(key)), 0);
		T_EQ_STR(key, "cs:games");
		T_EQ_INT(redis_url_game_key(&u, "401772994", key, 10), -1);
	}
	return t_done("redis_url");
}
