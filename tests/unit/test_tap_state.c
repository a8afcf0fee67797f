/*
 * test_tap_state: kalshi-tap's --state file: which lines count as its own
 * quote lines, and the read, append and rewrite round trip in a scratch
 * folder.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "t.h"
#include "kalshi-tap/kalshi_parse.h"
#include "kalshi-tap/state.h"

#define Q "{\"type\":\"quote\",\"src\":\"kalshi\"," \
	"\"ticker\":\"KXNBAGAME-25MAY31NYKIND-IND\",\"ts\":1748736371880," \
	"\"recv_ts\":1748736371884,\"bid\":0.54,\"ask\":0.55}\n"

static int
parse(const char *line, char *ticker, size_t tlen)
{
	struct errbuf err;
	int64_t ts;

	return tap_state_parse_line(line, strlen(line), ticker, tlen, &ts,
	    &err);
}

static void
test_parse(void)
{
	char tk[KALSHI_TICKER_MAX], small[8];
	struct errbuf err;
	int64_t ts = 0;

	T_EQ_INT(tap_state_parse_line(Q, strlen(Q), tk, sizeof(tk), &ts, &err),
	    0);
	T_EQ_STR(tk, "KXNBAGAME-25MAY31NYKIND-IND");
	T_CHECK(ts == 1748736371880LL);
	/* Only the bytes given count: the same line without its newline. */
	T_EQ_INT(tap_state_parse_line(Q, strlen(Q) - 1, tk, sizeof(tk), &ts, &err),
	    -1);
	T_EQ_STR(err.msg, "partial line");
	T_EQ_INT(tap_state_parse_line(Q, 40, tk, sizeof(tk), &ts, &err), -1);
	T_EQ_INT(tap_state_parse_line("", 0, tk, sizeof(tk), &ts, &err), -1);
	T_EQ_INT(parse("garbage\n", tk, sizeof(tk)), -1);
	T_EQ_INT(parse("\n", tk, sizeof(tk)), -1);
	T_EQ_INT(parse("[1,2]\n", tk, sizeof(tk)), -1);
	/* Other line types, other sources, missing or odd fields. */
	T_EQ_INT(parse("{\"type\":\"trade\",\"src\":\"kalshi\",\"ticker\":"
	    "\"A-B\",\"ts\":1}\n", tk, sizeof(tk)), -1);
	T_EQ_INT(parse("{\"type\":\"market\",\"src\":\"kalshi\",\"ticker\":"
	    "\"A-B\"}\n", tk, sizeof(tk)), -1);
	T_EQ_INT(parse("{\"type\":\"quote\",\"src\":\"espn\",\"ticker\":"
	    "\"A-B\",\"ts\":1}\n", tk, sizeof(tk)), -1);
	T_EQ_INT(parse("{\"type\":\"quote\",\"src\":\"kalshi\",\"ticker\":"
	    "\"A-B\"}\n", tk, sizeof(tk)), -1);
	T_EQ_INT(parse("{\"type\":\"quote\",\"src\":\"kalshi\",\"ticker\":"
	    "\"A-B\",\"ts\":\"1\"}\n", tk, sizeof(tk)), -1);
	T_EQ_INT(parse("{\"type\":\"quote\",\"src\":\"kalshi\",\"ticker\":"
	    "\"A B\",\"ts\":1}\n", tk, sizeof(tk)), -1);
	T_EQ_INT(parse("{\"type\":\"quote\",\"src\":\"kalshi\",\"ticker\":"
	    "7,\"ts\":1}\n", tk, sizeof(tk)), -1);
	/* Two lines in one: not one JSON document. */
	T_EQ_INT(parse(Q Q, tk, sizeof(tk)), -1);
	/* A ticker longer than the caller's buffer is refused, not cut. */
	T_EQ_INT(parse(Q, small, sizeof(small)), -1);
	T_EQ_INT(parse("{\"type\":\"quote\",\"src\":\"kalshi\",\"ticker\":"
	    "\"A-B\",\"ts\":1}\n", small, sizeof(small)), 0);
	T_EQ_STR(small, "A-B");
}

static void
test_files(void)
{
	static char dir[] = "/tmp/test_tap_state.XXXXXX";
	char path[256], tmp[300], *buf;
	struct errbuf err;
	size_t len = 0;
	int fd, missing = 0;

	T_CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/state.ndjson", dir);
	T_CHECK(tap_state_read(path, 1 << 20, &len, &missing, &err) == NULL);
	T_EQ_INT(missing, 1);

	/* Appends land at the end, across opens. */
	T_CHECK((fd = tap_state_open(path, &err)) >= 0);
	T_EQ_INT(tap_state_write(fd, Q, strlen(Q), &err), 0);
	close(fd);
	T_CHECK((fd = tap_state_open(path, &err)) >= 0);
	T_EQ_INT(tap_state_write(fd, "x", 1, &err), 0);
	close(fd);
	buf = tap_state_read(path, 1 << 20, &len, &missing, &err);
	T_CHECK(buf != NULL);
	T_EQ_INT(len, strlen(Q) + 1);
	if (buf != NULL)
		T_CHECK(memcmp(buf, Q "x", len) == 0 && buf[len] == '\0');
	free(buf);

	/* A rewrite replaces the whole file; an aborted one leaves it. */
	T_CHECK((fd = tap_state_begin(path, tmp, sizeof(tmp), &err)) >= 0);
	T_EQ_INT(tap_state_write(fd, "y\n", 2, &err), 0);
	T_EQ_INT(tap_state_commit(fd, tmp, path, &err), 0);
	T_CHECK(access(tmp, F_OK) != 0);
	T_CHECK((fd = tap_state_begin(path, tmp, sizeof(tmp), &err)) >= 0);
	T_EQ_INT(tap_state_write(fd, "z\n", 2, &err), 0);
	tap_state_abort(fd, tmp);
	T_CHECK(access(tmp, F_OK) != 0);
	buf = tap_state_read(path, 1 << 20, &len, &missing, &err);
	T_CHECK(buf != NULL);
	if (buf != NULL)
		T_EQ_STR(buf, "y\n");
	free(buf);
	T_CHECK(tap_state_begin(path, tmp, 4, &err) == -1);

	/* A file over the limit is refused without being read (sparse). */
	T_CHECK((fd = tap_state_open(path, &err)) >= 0);
	T_EQ_INT(ftruncate(fd, (off_t)(1 << 20) + 1), 0);
	close(fd);
	T_CHECK(tap_state_read(path, 1 << 20, &len, &missing, &err) == NULL);
	T_EQ_INT(missing, 0);
	T_CHECK(strstr(err.msg, "larger than") != NULL);

	/* A folder is not a state file; a missing folder is no file. */
	T_CHECK(tap_state_read(dir, 1 << 20, &len, &missing, &err) == NULL);
	T_EQ_INT(missing, 0);
	unlink(path);
	rmdir(dir);
}

int
main(void)
{
	test_parse();
	test_files();
	return t_done("test_tap_state");
}
