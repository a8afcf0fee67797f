/*
 * test_lwslog: libwebsockets' log through common/lwslog: a flood of
 * identical lines (issue 18: an accept error per loop turn) comes out
 * as at most LWSLOG_BURST lines a second and one count of the rest.
 */
#include <fcntl.h>
#include <unistd.h>

#include <libwebsockets.h>

#include "t.h"

#include "log.h"
#include "lwslog.h"

static int
count_lines(const char *path, const char *needle)
{
	char line[1024];
	FILE *f = fopen(path, "r");
	int n = 0;

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strstr(line, needle) != NULL)
			n++;
	fclose(f);
	return n;
}

int
main(void)
{
	char path[] = "/tmp/test_lwslog.XXXXXX";
	int fd = mkstemp(path), saved = dup(2), i, n;

	T_CHECK(fd >= 0);
	if (fd < 0)
		return t_done("test_lwslog");
	log_init("test_lwslog", LOG_LVL_DEBUG);
	lwslog_init(LLL_ERR | LLL_WARN);
	fflush(stderr);
	(void)dup2(fd, 2);
	for (i = 0; i < 10000; i++)
		lwsl_err("ERROR on accept: Too many open files\n");
	lwsl_notice("not routed\n");
	lwslog_flush();
	fflush(stderr);
	(void)dup2(saved, 2);
	close(saved);
	/* Within a second, or two if the run straddles a window. */
	n = count_lines(path, "msg=libwebsockets line=");
	T_CHECK(n >= LWSLOG_BURST && n <= 2 * LWSLOG_BURST);
	T_EQ_INT(count_lines(path, "level=error"), n);
	T_EQ_INT(lwslog_suppressed(), 10000 - (unsigned long)n);
	T_EQ_INT(count_lines(path, "msg=\"libwebsockets lines suppressed\""), 1);
	T_EQ_INT(count_lines(path, "not routed"), 0);
	close(fd);
	unlink(path);
	return t_done("test_lwslog");
}
