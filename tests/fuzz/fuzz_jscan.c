/*
 * libFuzzer target: common/jscan.c's strict tokens against jansson. When
 * jscan_number or jscan_plain_str takes the whole input as one token,
 * jansson must read the same text (JSON_DECODE_ANY) to the same value:
 * the same integer, the same double to the bit, the same bytes. The skims
 * must stay within the input and agree with jansson on where a valid
 * value ends.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "jscan.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_number(const char *p, size_t n)
{
	struct jscan_num v;
	json_error_t jerr;
	json_t *j;
	double d;

	if (jscan_number(p, p + n, &v) != p + n)
		return;
	if ((j = json_loadb(p, n, JSON_DECODE_ANY, &jerr)) == NULL)
		abort();		/* jscan took what jansson refuses */
	if (v.kind == JSCAN_INT) {
		if (!json_is_integer(j) || json_integer_value(j) != v.i ||
		    v.d != (double)v.i)
			abort();
	} else {
		d = json_real_value(j);
		if (!json_is_real(j) || memcmp(&d, &v.d, sizeof(d)) != 0)
			abort();
	}
	json_decref(j);
}

static void
check_string(const char *p, size_t n)
{
	json_error_t jerr;
	const char *s;
	size_t sn;
	json_t *j;

	if (n < 2 || p[0] != '"' || jscan_plain_str(p + 1, p + n, &s, &sn) !=
	    p + n)
		return;
	if ((j = json_loadb(p, n, JSON_DECODE_ANY, &jerr)) == NULL ||
	    !json_is_string(j) || json_string_length(j) != sn ||
	    memcmp(json_string_value(j), s, sn) != 0)
		abort();
	json_decref(j);
}

static void
check_skim(const char *p, size_t n)
{
	struct jscan c = { p, p + n };
	json_error_t jerr;
	json_t *j;

	if (jscan_skip_value(&c) != 0)
		return;
	if (c.p < p || c.p > p + n)
		abort();
	/* A valid value's end is where the skim stops. */
	jscan_ws(&c);
	if ((j = json_loadb(p, n, JSON_DECODE_ANY, &jerr)) != NULL) {
		if (c.p != p + n)
			abort();
		json_decref(j);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *p;

	/* A copy without the NUL past its end: reads past n are caught. */
	if ((p = malloc(size ? size : 1)) == NULL)
		return 0;
	memcpy(p, data, size);
	check_number(p, size);
	check_string(p, size);
	check_skim(p, size);
	free(p);
	return 0;
}
