/*
 * Unit tests for common/opts.c: range-checked option values and the one
 * rule of --listen, [host:]port.
 */
#include <stdlib.h>
#include <string.h>

#include "opts.h"
#include "t.h"

/* Checks one --listen value that must parse to want_host and want_port. */
static void
listen_ok(const char *s, const char *want_host, int want_port)
{
	char host[OPTS_HOST_MAX];
	const char *e = NULL;
	int port = -1;

	T_EQ_INT(opt_listen(s, host, sizeof(host), &port, &e), 0);
	T_EQ_STR(host, want_host);
	T_EQ_INT(port, want_port);
}

/* Checks one --listen value that must be refused with reason want. */
static void
listen_bad(const char *s, const char *want)
{
	char host[OPTS_HOST_MAX];
	const char *e = NULL;
	int port = -1;

	T_EQ_INT(opt_listen(s, host, sizeof(host), &port, &e), -1);
	T_EQ_STR(e, want);
	T_EQ_INT(port, -1);
}

/* opt_num: each row's value lands in its own type; other options pass. */
static void
opt_num_rows(void)
{
	size_t sz = 1;
	unsigned u = 1;
	int i = 1;
	int64_t ms = 1;
	const struct opt_num t[] = {
		OPT_NUM_SIZE('a', "--a", 0, 1LL << 40, &sz),
		OPT_NUM_UINT('b', "--b", 0, 100, &u),
		OPT_NUM_INT(300, "--c", -5, 5, &i),
		OPT_NUM_MS('d', "--d", 10, 60000, &ms),
	};

	T_EQ_INT(opt_num(t, OPT_NUM_N(t), 'a', "1099511627776"), 1);
	T_CHECK(sz == (size_t)1 << 40);
	T_EQ_INT(opt_num(t, OPT_NUM_N(t), 'b', "42"), 1);
	T_EQ_INT((int)u, 42);
	T_EQ_INT(opt_num(t, OPT_NUM_N(t), 300, "-5"), 1);
	T_EQ_INT(i, -5);
	T_EQ_INT(opt_num(t, OPT_NUM_N(t), 'd', "1.5s"), 1);
	T_EQ_INT(ms, 1500);
	T_EQ_INT(opt_num(t, OPT_NUM_N(t), 'e', "7"), 0);
	T_EQ_INT(opt_num(t, 0, 'a', "7"), 0);
	T_CHECK(sz == (size_t)1 << 40 && u == 42 && i == -5 && ms == 1500);
}

int
main(void)
{
	const char *e = NULL;
	long long v = 0;
	double d = 0;
	int64_t ms = 0;

	T_EQ_INT(opt_int("8080", 1, 65535, &v, &e), 0);
	T_EQ_INT(v, 8080);
	T_EQ_INT(opt_int("0", 1, 65535, &v, &e), -1);
	T_EQ_STR(e, "too small");
	T_EQ_INT(opt_int("65536", 1, 65535, &v, &e), -1);
	T_EQ_STR(e, "too large");
	T_EQ_INT(opt_int("80x", 1, 65535, &v, &e), -1);
	T_EQ_STR(e, "invalid");
	T_EQ_INT(opt_int("", 1, 65535, &v, &e), -1);
	T_EQ_INT(opt_int(" 5", 1, 65535, &v, &e), -1);
	T_EQ_INT(opt_int("99999999999999999999", 1, 65535, &v, &e), -1);
	T_EQ_STR(e, "too large");
	T_EQ_INT(opt_int("-99999999999999999999", 1, 65535, &v, &e), -1);
	T_EQ_STR(e, "too small");
	T_EQ_INT(opt_int("-3", -5, 5, &v, &e), 0);
	T_EQ_INT(v, -3);

	T_EQ_INT(opt_double("2.5", 0.01, 1000, &d, &e), 0);
	T_NEAR(d, 2.5, 1e-12);
	T_EQ_INT(opt_double("nan", 0.01, 1000, &d, &e), -1);
	T_EQ_INT(opt_double("inf", 0.01, 1000, &d, &e), -1);
	T_EQ_INT(opt_double("1e9", 0.01, 1000, &d, &e), -1);
	T_EQ_STR(e, "too large");
	T_EQ_INT(opt_double("2.5x", 0.01, 1000, &d, &e), -1);

	T_EQ_INT(opt_duration_ms("15", 0, 3600000, &ms, &e), 0);
	T_EQ_INT(ms, 15000);
	T_EQ_INT(opt_duration_ms("250ms", 0, 3600000, &ms, &e), 0);
	T_EQ_INT(ms, 250);
	T_EQ_INT(opt_duration_ms("0.5s", 0, 3600000, &ms, &e), 0);
	T_EQ_INT(ms, 500);
	T_EQ_INT(opt_duration_ms("2m", 0, 3600000, &ms, &e), 0);
	T_EQ_INT(ms, 120000);
	T_EQ_INT(opt_duration_ms("5h", 0, 3600000, &ms, &e), -1);
	T_EQ_INT(opt_duration_ms("-1", 0, 3600000, &ms, &e), -1);
	T_EQ_INT(opt_duration_ms("2m", 0, 60000, &ms, &e), -1);
	T_EQ_STR(e, "too large");
	T_EQ_INT(opt_duration_ms("s", 0, 60000, &ms, &e), -1);

	listen_ok("8080", "", 8080);
	listen_ok("127.0.0.1:8080", "127.0.0.1", 8080);
	listen_ok("localhost:1", "localhost", 1);
	listen_ok("[::1]:65535", "::1", 65535);
	listen_ok("[fe80::1%lo]:80", "fe80::1%lo", 80);
	listen_bad("", "empty");
	listen_bad("0", "want a port from 1 to 65535");
	listen_bad("65536", "want a port from 1 to 65535");
	listen_bad("host:", "want a port from 1 to 65535");
	listen_bad("host:80x", "want a port from 1 to 65535");
	listen_bad(":8080", "missing host before ':'");
	listen_bad("::1:8080", "an IPv6 address goes in [ ]");
	listen_bad("[::1]", "want [host]:port");
	listen_bad("[::1]8080", "want [host]:port");
	listen_bad("[::1:8080", "unclosed [ in host");
	listen_bad("[]:80", "want an IPv6 address in [ ]");
	listen_bad("[127.0.0.1]:80", "want an IPv6 address in [ ]");
	listen_bad("a b:80", "bad character in host");
	listen_bad("a/b:80", "bad character in host");
	listen_bad("%lo:80", "bad character in host");
	{
		char host[8], big[300];
		int port = -1;

		memset(big, 'a', 280);
		memcpy(big + 280, ":80", 4);
		listen_bad(big, "host too long");
		T_EQ_INT(opt_listen("abcdefgh:80", host, sizeof(host), &port,
		    &e), -1);
		T_EQ_STR(e, "host too long");
		T_EQ_INT(opt_listen("abcdefg:80", host, sizeof(host), &port,
		    &e), 0);
		T_EQ_STR(host, "abcdefg");
	}
	opt_num_rows();
	return t_done("opts");
}
