/* test_live_framing: which request heads live-games refuses for their body framing. */
#include <string.h>

#include "t.h"
#include "live-games/framing.h"

static enum framing
check(int no_body, const char *a, const char *b, int te)
{
	struct framing_field f[2] = { { NULL, 0 }, { NULL, 0 } };
	size_t n = 0;

	if (a != NULL) {
		f[n].p = a;
		f[n++].len = strlen(a);
	}
	if (b != NULL) {
		f[n].p = b;
		f[n++].len = strlen(b);
	}
	return framing_check(no_body, f, n, te);
}

int
main(void)
{
	struct framing_field nul = { NULL, 0 };
	const char nulbyte[] = { '1', '\0', '2' };
	struct framing_field withnul = { nulbyte, sizeof(nulbyte) };

	T_EQ_INT(check(1, NULL, NULL, 0), FRAMING_OK);
	T_EQ_INT(check(1, "0", NULL, 0), FRAMING_OK);
	T_EQ_INT(check(0, "10", NULL, 0), FRAMING_OK);
	T_EQ_INT(check(0, " 10\t", NULL, 0), FRAMING_OK);
	T_EQ_INT(check(0, NULL, NULL, 1), FRAMING_OK);
	/* The smuggling pair of issue 18, in either order. */
	T_EQ_INT(check(1, "0", "10", 0), FRAMING_DUP_LENGTH);
	T_EQ_INT(check(1, "10", "0", 0), FRAMING_DUP_LENGTH);
	/* Even equal values: one field, one value. */
	T_EQ_INT(check(1, "5", "5", 0), FRAMING_DUP_LENGTH);
	T_EQ_INT(check(1, "5, 5", NULL, 0), FRAMING_DUP_LENGTH);
	T_EQ_INT(check(1, "5,7", NULL, 0), FRAMING_DUP_LENGTH);
	/* Not 1*DIGIT. */
	T_EQ_INT(check(1, "", NULL, 0), FRAMING_BAD_LENGTH);
	T_EQ_INT(check(1, " ", NULL, 0), FRAMING_BAD_LENGTH);
	T_EQ_INT(check(1, "-1", NULL, 0), FRAMING_BAD_LENGTH);
	T_EQ_INT(check(1, "+1", NULL, 0), FRAMING_BAD_LENGTH);
	T_EQ_INT(check(1, "0x10", NULL, 0), FRAMING_BAD_LENGTH);
	T_EQ_INT(check(1, "1 2", NULL, 0), FRAMING_BAD_LENGTH);
	T_EQ_INT(check(1, "5,", NULL, 0), FRAMING_BAD_LENGTH);
	T_EQ_INT(check(1, ",5", NULL, 0), FRAMING_BAD_LENGTH);
	T_EQ_INT(check(1, "99999999999999999999999", NULL, 0),
	    FRAMING_BAD_LENGTH);
	T_EQ_INT(check(1, "1099511627776", NULL, 0), FRAMING_OK);
	T_EQ_INT(check(1, "1099511627777", NULL, 0), FRAMING_BAD_LENGTH);
	T_EQ_INT(framing_check(1, &nul, 1, 0), FRAMING_BAD_LENGTH);
	T_EQ_INT(framing_check(1, &withnul, 1, 0), FRAMING_BAD_LENGTH);
	/* Transfer-Encoding: never with a length, never without a body. */
	T_EQ_INT(check(0, "5", NULL, 1), FRAMING_TE_LENGTH);
	T_EQ_INT(check(1, "0", NULL, 1), FRAMING_TE_LENGTH);
	T_EQ_INT(check(1, NULL, NULL, 1), FRAMING_TE_NO_BODY);
	/* A bad length wins over the rest: the most specific answer. */
	T_EQ_INT(check(1, "x", "5", 1), FRAMING_BAD_LENGTH);

	T_EQ_STR(framing_name(FRAMING_OK), "ok");
	T_EQ_STR(framing_name(FRAMING_DUP_LENGTH), "duplicate_content_length");
	T_EQ_STR(framing_name(FRAMING_TE_NO_BODY),
	    "transfer_encoding_without_body");
	T_EQ_STR(framing_name((enum framing)99), "unknown");
	return t_done("test_live_framing");
}
