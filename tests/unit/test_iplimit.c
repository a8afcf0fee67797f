/* test_iplimit: connections per address (common/iplimit.c). */
#include "t.h"

#include "iplimit.h"

int
main(void)
{
	struct iplimit *t = iplimit_new(4);
	struct iplimit_ent *a1, *a2, *b, *e[100];
	char ip[32];
	int i;

	T_CHECK(t != NULL);
	T_EQ_INT(iplimit_count(t, "10.0.0.1"), 0);
	a1 = iplimit_take(t, "10.0.0.1");
	a2 = iplimit_take(t, "10.0.0.1");
	b = iplimit_take(t, "::1");
	T_CHECK(a1 == a2);
	T_EQ_INT(iplimit_count(t, "10.0.0.1"), 2);
	T_CHECK(b != NULL && b != a1);
	T_EQ_INT(iplimit_count(t, "::1"), 1);
	T_EQ_INT(iplimit_addresses(t), 2);
	iplimit_release(t, a1);
	T_EQ_INT(iplimit_count(t, "10.0.0.1"), 1);
	iplimit_release(t, a2);
	T_EQ_INT(iplimit_count(t, "10.0.0.1"), 0);
	T_EQ_INT(iplimit_addresses(t), 1);
	iplimit_release(t, NULL);
	/* Many addresses over few buckets: each counted apart. */
	for (i = 0; i < 100; i++) {
		snprintf(ip, sizeof(ip), "192.0.2.%d", i);
		e[i] = iplimit_take(t, ip);
	}
	T_EQ_INT(iplimit_addresses(t), 101);
	T_EQ_INT(iplimit_count(t, "192.0.2.42"), 1);
	for (i = 0; i < 100; i += 2)
		iplimit_release(t, e[i]);
	T_EQ_INT(iplimit_count(t, "192.0.2.42"), 0);
	T_EQ_INT(iplimit_count(t, "192.0.2.43"), 1);
	T_EQ_INT(iplimit_addresses(t), 51);
	iplimit_free(t);	/* the rest freed with it (ASan checks) */
	iplimit_free(NULL);
	return t_done("test_iplimit");
}
