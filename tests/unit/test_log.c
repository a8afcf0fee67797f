/* Unit tests for common/log.c: logfmt quoting and the rate limit. */
#include <stdlib.h>

#include "log.h"
#include "t.h"

int
main(void)
{
	struct ratelimit rl = RATELIMIT_INIT(1000, 3);
	unsigned long sup = 99;
	int i, allowed = 0;

	T_EQ_STR(log_str("plain"), "plain");
	T_EQ_STR(log_str("two words"), "\"two words\"");
	T_EQ_STR(log_str("say \"hi\""), "\"say \\\"hi\\\"\"");
	T_EQ_STR(log_str("a=b"), "\"a=b\"");
	T_EQ_STR(log_str(""), "\"\"");
	T_EQ_STR(log_str("line\nbreak"), "\"line\\nbreak\"");
	T_EQ_STR(log_str("tab\there"), "\"tab\\x09here\"");
	T_EQ_STR(log_str(NULL), "\"\"");
	{
		char big[4000];

		memset(big, 'x', sizeof(big) - 1);
		big[0] = ' ';
		big[sizeof(big) - 1] = '\0';
		T_CHECK(strlen(log_str(big)) < 512);
	}

	/* 3 per second: the 4th to 10th are held back and counted. */
	for (i = 0; i < 10; i++)
		allowed += ratelimit_allow(&rl, 5000 + i, &sup);
	T_EQ_INT(allowed, 3);
	T_EQ_INT(rl.suppressed, 7);
	T_EQ_INT(ratelimit_allow(&rl, 6000, &sup), 1);
	T_EQ_INT(sup, 7);
	T_EQ_INT(rl.suppressed, 0);

	log_init("test", LOG_LVL_WARN);
	log_verbose();
	T_EQ_INT(log_get_level(), LOG_LVL_INFO);
	log_quiet();
	log_quiet();
	log_quiet();
	T_EQ_INT(log_get_level(), LOG_LVL_ERROR);
	for (i = 0; i < 10; i++)
		log_verbose();
	T_EQ_INT(log_get_level(), LOG_LVL_DEBUG);
	return t_done("log");
}
