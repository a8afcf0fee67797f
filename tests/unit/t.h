/*
 * t.h: the unit-test harness. Each tests/unit/test_<module>.c is one
 * binary: T_CHECK records a failure and goes on; main returns t_done().
 * Prints one "ok"/"not ok" line per check that fails, and a summary.
 */
#ifndef COURTSIDE_T_H
#define COURTSIDE_T_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int t_checks, t_failed;

#define T_CHECK(cond) do {						\
	t_checks++;							\
	if (!(cond)) {							\
		t_failed++;						\
		fprintf(stderr, "not ok: %s:%d: %s\n", __FILE__,	\
		    __LINE__, #cond);					\
	}								\
} while (0)

#define T_EQ_INT(a, b) do {						\
	long long t_a = (long long)(a), t_b = (long long)(b);		\
	t_checks++;							\
	if (t_a != t_b) {						\
		t_failed++;						\
		fprintf(stderr, "not ok: %s:%d: %s == %s (%lld != %lld)\n", \
		    __FILE__, __LINE__, #a, #b, t_a, t_b);		\
	}								\
} while (0)

#define T_EQ_STR(a, b) do {						\
	const char *t_a = (a), *t_b = (b);				\
	t_checks++;							\
	if (t_a == NULL || t_b == NULL || strcmp(t_a, t_b) != 0) {	\
		t_failed++;						\
		fprintf(stderr, "not ok: %s:%d: %s == %s (\"%s\" != \"%s\")\n", \
		    __FILE__, __LINE__, #a, #b, t_a ? t_a : "(null)",	\
		    t_b ? t_b : "(null)");				\
	}								\
} while (0)

#define T_NEAR(a, b, eps) do {						\
	double t_a = (a), t_b = (b);					\
	t_checks++;							\
	if (!(fabs(t_a - t_b) <= (eps))) {				\
		t_failed++;						\
		fprintf(stderr, "not ok: %s:%d: %s ~ %s (%g != %g)\n",	\
		    __FILE__, __LINE__, #a, #b, t_a, t_b);		\
	}								\
} while (0)

static inline int
t_done(const char *name)
{
	fprintf(stderr, "%s: %d checks, %d failed\n", name, t_checks,
	    t_failed);
	return t_failed ? 1 : 0;
}

/* Reads a whole file (fixtures); returns a new buffer or NULL. */
static inline char *
t_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1)) != NULL) {
		if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		} else {
			buf[n] = '\0';
			if (len)
				*len = (size_t)n;
		}
	}
	fclose(f);
	return buf;
}

#endif
