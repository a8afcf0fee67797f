/*
 * Unit tests for common/opts.c: range-checked option values, the one
 * rule of --listen, [host:]port, and the option table's driver.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/wait.h>

#include "log.h"
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

/* Copies the NULL-ended src into argv, its strings into buf: writable. */
static int
mkargv(char **argv, char (*buf)[32], const char *const *src)
{
	int n;

	for (n = 0; src[n] != NULL; n++) {
		snprintf(buf[n], sizeof(buf[n]), "%s", src[n]);
		argv[n] = buf[n];
	}
	argv[n] = NULL;
	return n;
}

/*
 * Runs opts_next over argv in a child, its stderr into a pipe: the exit
 * code (or -1 when it did not exit) and what it wrote to stderr in out.
 */
static int
child_parse(const struct opts_row *rows, size_t n, int flags,
    const char *const *args, char *out, size_t outsz)
{
	char *argv[16], buf[16][32];
	int fd[2], status, argc = mkargv(argv, buf, args);
	size_t len = 0;
	ssize_t r;
	pid_t pid;

	out[0] = '\0';
	if (pipe(fd) == -1 || (pid = fork()) == -1)
		return -1;
	if (pid == 0) {
		struct opts_parse p;

		close(fd[0]);
		dup2(fd[1], 2);
		opts_init(&p, rows, n, flags, argc, argv);
		while (opts_next(&p) != -1)
			;
		_exit(0);
	}
	close(fd[1]);
	while (len + 1 < outsz &&
	    (r = read(fd[0], out + len, outsz - 1 - len)) > 0)
		len += (size_t)r;
	out[len] = '\0';
	close(fd[0]);
	if (waitpid(pid, &status, 0) == -1 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/*
 * opts_init and opts_next: each plain row does its job, the tool gets its
 * own rows with their argument, and the short string is the table's.
 */
static void
table_rows(void)
{
	const char *str = NULL;
	int flag = 0, i = 1, verbose = 0;
	size_t sz = 1;
	unsigned u = 1;
	int64_t ms = 1;
	const struct opts_row rows[] = {
		OPTS_STR('o', "output", &str),
		OPTS_FLAG(300, "once", &flag),
		OPTS_SIZE('a', "aa", 0, 1LL << 40, &sz),
		OPTS_UINT('b', "bb", 0, 100, &u),
		OPTS_INT(301, "cc", -5, 5, &i),
		OPTS_MS('d', "dd", 10, 60000, &ms),
		OPTS_TOOL('h', "help"),
		OPTS_TOOL_ARG(302, "mine"),
		OPTS_ROW_VERBOSE(&verbose),
	};
	static const char *const args[] = { "t", "-o", "x.out", "--once",
	    "-a1099511627776", "--bb=42", "--cc", "-5", "-d", "1.5s", "-vv",
	    "--mine", "m1", "-h", "--verbose", "--", "rest", NULL };
	char *argv[20], buf[20][32];
	struct opts_parse p;
	int argc = mkargv(argv, buf, args);

	opts_init(&p, rows, OPTS_N(rows), 0, argc, argv);
	T_EQ_STR(p.shorts, "o:a:b:d:hv");
	T_EQ_INT(opts_next(&p), 302);
	T_EQ_STR(p.arg, "m1");
	T_EQ_STR(str, "x.out");
	T_EQ_INT(flag, 1);
	T_CHECK(sz == (size_t)1 << 40);
	T_EQ_INT((int)u, 42);
	T_EQ_INT(i, -5);
	T_EQ_INT(ms, 1500);
	T_EQ_INT(verbose, 2);
	T_EQ_INT(opts_next(&p), 'h');
	T_CHECK(p.arg == NULL);
	T_EQ_INT(opts_next(&p), -1);
	T_EQ_INT(verbose, 3);
	T_EQ_STR(argv[optind], "rest");
	/* Back to the level the -v -v --verbose above raised. */
	log_quiet();
	log_quiet();
	log_quiet();
}

/* OPTS_HELP's function: what -h prints (here to stderr, for the pipe). */
static void
say_help(void)
{
	fputs("the help\n", stderr);
}

/*
 * -h calls the help and exits 0; a bad number, an unknown option and a
 * missing argument exit 64.
 */
static void
table_errors(void)
{
	size_t sz = 0;
	const struct opts_row rows[] = {
		OPTS_SIZE('a', "aa", 1, 9, &sz),
		OPTS_TOOL_ARG('m', "mine"),
		OPTS_HELP(say_help),
	};
	static const char *const help[] = { "t", "-h", "--nope", NULL };
	static const char *const bad[] = { "t", "--aa", "10", NULL };
	static const char *const unknown[] = { "t", "--nope", NULL };
	static const char *const missing[] = { "t", "-m", NULL };
	char err[512], *argv[4], buf[4][32];

	opt_set_usage("t", "t [-a n]");
	T_EQ_INT(child_parse(rows, OPTS_N(rows), 0, help, err, sizeof(err)), 0);
	T_EQ_STR(err, "the help\n");
	T_EQ_INT(child_parse(rows, OPTS_N(rows), 0, bad, err, sizeof(err)),
	    EXIT_USAGE);
	T_EQ_STR(err, "t: --aa 10: too large (1 to 9)\nusage: t [-a n]\n");
	T_EQ_INT(child_parse(rows, OPTS_N(rows), OPTS_NO_OPTERR, unknown, err,
	    sizeof(err)), EXIT_USAGE);
	T_EQ_STR(err, "t: unknown option\nusage: t [-a n]\n");
	T_EQ_INT(child_parse(rows, OPTS_N(rows), 0, missing, err,
	    sizeof(err)), EXIT_USAGE);
	T_EQ_STR(err, "t: option requires an argument -- 'm'\n"
	    "t: unknown option\nusage: t [-a n]\n");
	/* The tool's to say: opts_next returns '?' and exits nothing. */
	T_EQ_INT(child_parse(rows, OPTS_N(rows),
	    OPTS_OWN_UNKNOWN | OPTS_NO_OPTERR, unknown, err, sizeof(err)), 0);
	T_EQ_STR(err, "");
	{
		struct opts_parse p;

		opts_init(&p, rows, OPTS_N(rows),
		    OPTS_OWN_UNKNOWN | OPTS_NO_OPTERR,
		    mkargv(argv, buf, unknown), argv);
		T_EQ_INT(opts_next(&p), '?');
		T_EQ_INT(opts_next(&p), -1);
	}
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
	table_rows();
	table_errors();
	return t_done("opts");
}
