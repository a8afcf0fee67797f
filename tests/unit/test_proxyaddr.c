/*
 * test_proxyaddr: --trust-proxy lists, and the client address picked
 * from X-Forwarded-For / X-Real-IP (common/proxyaddr.c).
 */
#include "t.h"

#include "proxyaddr.h"

static const char *
client(const struct proxyaddr *pa, const char *peer, const char *xff,
    const char *xri, enum proxyaddr_result want)
{
	static char out[PROXYADDR_STRLEN];

	T_EQ_INT(proxyaddr_client(pa, peer, xff, xri, out, sizeof(out)), want);
	return out;
}

static void
test_parse(void)
{
	struct proxyaddr pa;
	struct errbuf err;
	char many[4096];
	int i, n = 0;

	T_EQ_INT(proxyaddr_parse(&pa, "127.0.0.1", &err), 0);
	T_EQ_INT(pa.n, 1);
	T_EQ_INT(proxyaddr_parse(&pa, "10.0.0.0/8, 192.168.1.0/24 ,::1,"
	    "fd00::/8", &err), 0);
	T_EQ_INT(pa.n, 4);
	T_EQ_INT(proxyaddr_parse(&pa, "10.1.2.3/8", &err), 0);
	T_EQ_INT(proxyaddr_trusted(&pa, "10.200.0.1"), 1);
	T_EQ_INT(proxyaddr_parse(&pa, "0.0.0.0/0", &err), 0);
	T_EQ_INT(proxyaddr_trusted(&pa, "8.8.8.8"), 1);
	T_EQ_INT(proxyaddr_trusted(&pa, "::1"), 0);
	T_EQ_INT(proxyaddr_parse(&pa, "::/0", &err), 0);
	T_EQ_INT(proxyaddr_trusted(&pa, "2001:db8::1"), 1);

	T_EQ_INT(proxyaddr_parse(&pa, "", &err), -1);
	T_EQ_INT(proxyaddr_parse(&pa, NULL, &err), -1);
	T_EQ_INT(proxyaddr_parse(&pa, "localhost", &err), -1);
	T_EQ_INT(pa.n, 0);
	T_EQ_INT(proxyaddr_parse(&pa, "10.0.0.0/33", &err), -1);
	T_EQ_INT(proxyaddr_parse(&pa, "::/129", &err), -1);
	T_EQ_INT(proxyaddr_parse(&pa, "10.0.0.0/", &err), -1);
	T_EQ_INT(proxyaddr_parse(&pa, "10.0.0.0/+8", &err), -1);
	T_EQ_INT(proxyaddr_parse(&pa, "10.0.0.0/8,,::1", &err), -1);
	T_EQ_INT(proxyaddr_parse(&pa, "10.0.0.1,", &err), -1);
	T_EQ_INT(proxyaddr_parse(&pa, "1.2.3.4.5", &err), -1);
	T_EQ_INT(proxyaddr_trusted(&pa, "1.2.3.4"), 0);
	for (i = 0; i < PROXYADDR_MAX_RANGES + 1; i++)
		n += snprintf(many + n, sizeof(many) - (size_t)n, "%s10.0.%d.0/24",
		    i ? "," : "", i);
	T_EQ_INT(proxyaddr_parse(&pa, many, &err), -1);
	T_CHECK(strstr(err.msg, "more than") != NULL);
}

static void
test_trusted(void)
{
	struct proxyaddr pa, none;
	struct errbuf err;

	memset(&none, 0, sizeof(none));
	T_EQ_INT(proxyaddr_trusted(&none, "127.0.0.1"), 0);
	T_EQ_INT(proxyaddr_parse(&pa, "127.0.0.0/8,2001:db8::/32", &err), 0);
	T_EQ_INT(proxyaddr_trusted(&pa, "127.0.0.1"), 1);
	T_EQ_INT(proxyaddr_trusted(&pa, "127.255.255.254"), 1);
	T_EQ_INT(proxyaddr_trusted(&pa, "128.0.0.1"), 0);
	/* An IPv4 peer seen on a dual-stack socket. */
	T_EQ_INT(proxyaddr_trusted(&pa, "::ffff:127.0.0.1"), 1);
	T_EQ_INT(proxyaddr_trusted(&pa, "::ffff:128.0.0.1"), 0);
	T_EQ_INT(proxyaddr_trusted(&pa, "2001:db8:ffff::1"), 1);
	T_EQ_INT(proxyaddr_trusted(&pa, "2001:db9::1"), 0);
	T_EQ_INT(proxyaddr_trusted(&pa, "::1"), 0);
	T_EQ_INT(proxyaddr_trusted(&pa, "garbage"), 0);
	T_EQ_INT(proxyaddr_trusted(&pa, ""), 0);
	T_EQ_INT(proxyaddr_trusted(&pa, NULL), 0);
	/* A mapped range matches plain IPv4 peers too. */
	T_EQ_INT(proxyaddr_parse(&pa, "::ffff:10.0.0.0/104", &err), 0);
	T_EQ_INT(proxyaddr_trusted(&pa, "10.9.9.9"), 1);
	T_EQ_INT(proxyaddr_parse(&pa, "10.0.0.0/31", &err), 0);
	T_EQ_INT(proxyaddr_trusted(&pa, "10.0.0.1"), 1);
	T_EQ_INT(proxyaddr_trusted(&pa, "10.0.0.2"), 0);
}

static void
test_client(void)
{
	struct proxyaddr pa, none;
	struct errbuf err;
	char big[PROXYADDR_MAX_HEADER + 64];
	int i, n = 0;

	memset(&none, 0, sizeof(none));
	T_EQ_INT(proxyaddr_parse(&pa, "127.0.0.1,10.0.0.0/8", &err), 0);

	/* An untrusted peer: the headers are ignored. */
	T_EQ_STR(client(&pa, "192.0.2.7", "203.0.113.9", "203.0.113.8",
	    PROXYADDR_PEER), "192.0.2.7");
	T_EQ_STR(client(&none, "127.0.0.1", "203.0.113.9", NULL,
	    PROXYADDR_PEER), "127.0.0.1");
	T_EQ_STR(client(&pa, "::ffff:192.0.2.7", NULL, NULL, PROXYADDR_PEER),
	    "192.0.2.7");

	/* Trusted peer: the rightmost untrusted hop. */
	T_EQ_STR(client(&pa, "127.0.0.1", "203.0.113.9", NULL,
	    PROXYADDR_FORWARDED), "203.0.113.9");
	T_EQ_STR(client(&pa, "::ffff:127.0.0.1", "1.1.1.1, 203.0.113.9",
	    NULL, PROXYADDR_FORWARDED), "203.0.113.9");
	T_EQ_STR(client(&pa, "127.0.0.1", "6.6.6.6,203.0.113.9 , 10.1.1.1",
	    NULL, PROXYADDR_FORWARDED), "203.0.113.9");
	/* Two headers joined by the caller, spaces and tabs. */
	T_EQ_STR(client(&pa, "127.0.0.1", "\t203.0.113.9\t,10.0.0.2", NULL,
	    PROXYADDR_FORWARDED), "203.0.113.9");
	T_EQ_STR(client(&pa, "127.0.0.1", "2001:DB8::0:1", NULL,
	    PROXYADDR_FORWARDED), "2001:db8::1");
	T_EQ_STR(client(&pa, "127.0.0.1", "[2001:db8::1]", NULL,
	    PROXYADDR_FORWARDED), "2001:db8::1");
	T_EQ_STR(client(&pa, "127.0.0.1", "::ffff:198.51.100.1", NULL,
	    PROXYADDR_FORWARDED), "198.51.100.1");
	/* Every hop trusted: X-Real-IP, else the peer. */
	T_EQ_STR(client(&pa, "127.0.0.1", "10.0.0.1,10.0.0.2", "198.51.100.2",
	    PROXYADDR_FORWARDED), "198.51.100.2");
	T_EQ_STR(client(&pa, "127.0.0.1", "10.0.0.1", NULL, PROXYADDR_PEER),
	    "127.0.0.1");
	T_EQ_STR(client(&pa, "127.0.0.1", NULL, " 198.51.100.3 ",
	    PROXYADDR_FORWARDED), "198.51.100.3");
	T_EQ_STR(client(&pa, "127.0.0.1", "", "", PROXYADDR_PEER),
	    "127.0.0.1");
	T_EQ_STR(client(&pa, "127.0.0.1", NULL, NULL, PROXYADDR_PEER),
	    "127.0.0.1");

	/* Malformed: the peer stays. */
	T_EQ_STR(client(&pa, "127.0.0.1", "unknown", NULL,
	    PROXYADDR_MALFORMED), "127.0.0.1");
	T_EQ_STR(client(&pa, "127.0.0.1", "203.0.113.9:4711", NULL,
	    PROXYADDR_MALFORMED), "127.0.0.1");
	T_EQ_STR(client(&pa, "127.0.0.1", "203.0.113.9,", NULL,
	    PROXYADDR_MALFORMED), "127.0.0.1");
	T_EQ_STR(client(&pa, "127.0.0.1", ",203.0.113.9,10.0.0.1", NULL,
	    PROXYADDR_FORWARDED), "203.0.113.9");
	T_EQ_STR(client(&pa, "127.0.0.1", ",10.0.0.1", NULL,
	    PROXYADDR_MALFORMED), "127.0.0.1");
	T_EQ_STR(client(&pa, "127.0.0.1", "10.0.0.1, ,", NULL,
	    PROXYADDR_MALFORMED), "127.0.0.1");
	T_EQ_STR(client(&pa, "127.0.0.1", NULL, "not-an-ip",
	    PROXYADDR_MALFORMED), "127.0.0.1");
	T_EQ_STR(client(&pa, "127.0.0.1", NULL,
	    "1111:2222:3333:4444:5555:6666:7777:8888:9999:aaaa",
	    PROXYADDR_MALFORMED), "127.0.0.1");
	/* Left of the client, garbage is the client's own business. */
	T_EQ_STR(client(&pa, "127.0.0.1", "junk, 203.0.113.9", NULL,
	    PROXYADDR_FORWARDED), "203.0.113.9");
	/* Too many hops, all trusted, and a header over the bound. */
	for (i = 0; i < PROXYADDR_MAX_HOPS + 1; i++)
		n += snprintf(big + n, sizeof(big) - (size_t)n, "%s10.0.0.%d",
		    i ? "," : "", i + 1);
	T_EQ_STR(client(&pa, "127.0.0.1", big, NULL, PROXYADDR_MALFORMED),
	    "127.0.0.1");
	memset(big, ' ', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big + sizeof(big) - 12, "203.0.113.9", 11);
	T_EQ_STR(client(&pa, "127.0.0.1", big, NULL, PROXYADDR_MALFORMED),
	    "127.0.0.1");
	/* The peer not an address at all: itself, unchanged. */
	T_EQ_STR(client(&pa, "?", "203.0.113.9", NULL, PROXYADDR_PEER), "?");
}

static void
test_canon(void)
{
	char out[PROXYADDR_STRLEN];

	T_EQ_INT(proxyaddr_canon("::ffff:127.0.0.2", out, sizeof(out)), 0);
	T_EQ_STR(out, "127.0.0.2");
	T_EQ_INT(proxyaddr_canon("0:0:0:0:0:0:0:1", out, sizeof(out)), 0);
	T_EQ_STR(out, "::1");
	T_EQ_INT(proxyaddr_canon("x", out, sizeof(out)), -1);
	T_EQ_STR(out, "x");
}

int
main(void)
{
	test_parse();
	test_trusted();
	test_client();
	test_canon();
	return t_done("test_proxyaddr");
}
