/* Unit tests for common/opts.c: range-checked option values. */
#include <stdlib.h>

#include "opts.h"
#include "t.h"

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
	return t_done("opts");
}
