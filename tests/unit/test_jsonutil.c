/* Unit tests for common/jsonutil.c: optional typed getters. */
#include <stdlib.h>

#include "jsonutil.h"
#include "t.h"

int
main(void)
{
	json_t *doc = json_loads("{\"a\":{\"b\":{\"c\":\"x\"},\"n\":3,"
	    "\"r\":2.5,\"s\":\"0.5400\",\"bad\":\"1.2.3\",\"big\":1e300,"
	    "\"si\":\"13446.00\",\"frac\":\"1.5\"}}", 0, NULL);
	long long i = 0;
	double d = 0;

	T_CHECK(doc != NULL);
	T_EQ_STR(jsonutil_str(doc, "a.b.c"), "x");
	T_CHECK(jsonutil_str(doc, "a.b") == NULL);
	T_CHECK(jsonutil_str(doc, "a.b.c.d") == NULL);
	T_CHECK(jsonutil_str(doc, "zz") == NULL);
	T_CHECK(jsonutil_path(doc, "a.n") != NULL);
	T_EQ_INT(jsonutil_int(doc, "a.n", &i), 0);
	T_EQ_INT(i, 3);
	T_EQ_INT(jsonutil_int(doc, "a.si", &i), 0);
	T_EQ_INT(i, 13446);
	T_EQ_INT(jsonutil_int(doc, "a.frac", &i), -1);
	T_EQ_INT(jsonutil_int(doc, "a.big", &i), -1);
	T_EQ_INT(jsonutil_num(doc, "a.r", &d), 0);
	T_NEAR(d, 2.5, 0);
	T_EQ_INT(jsonutil_num(doc, "a.s", &d), 0);
	T_NEAR(d, 0.54, 1e-12);
	T_EQ_INT(jsonutil_num(doc, "a.bad", &d), -1);
	T_EQ_INT(jsonutil_num(doc, "a.b", &d), -1);
	T_EQ_INT(jsonutil_num(doc, "nope", &d), -1);
	T_EQ_INT(jsonutil_parse_decimal("", &d), -1);
	T_EQ_INT(jsonutil_parse_decimal("nan", &d), -1);
	T_EQ_INT(jsonutil_parse_decimal("0.0010", &d), 0);
	T_NEAR(d, 0.001, 1e-12);
	json_decref(doc);
	return t_done("jsonutil");
}
