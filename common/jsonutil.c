/* jsonutil: typed, optional-field getters over jansson. Pure. */
#include <errno.h>
#include <stdint.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jsonutil.h"

json_t *
jsonutil_path(const json_t *root, const char *path)
{
	char key[128];
	const char *p = path, *dot;
	json_t *cur = (json_t *)(uintptr_t)root;	/* jansson lacks const getters */
	size_t n;

	while (cur != NULL && *p != '\0') {
		dot = strchr(p, '.');
		n = dot ? (size_t)(dot - p) : strlen(p);
		if (n >= sizeof(key) || !json_is_object(cur))
			return NULL;
		memcpy(key, p, n);
		key[n] = '\0';
		cur = json_object_get(cur, key);
		p += n + (dot != NULL);
	}
	return cur;
}

const char *
jsonutil_str(const json_t *root, const char *path)
{
	json_t *v = jsonutil_path(root, path);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

int
jsonutil_parse_decimal(const char *s, double *out)
{
	char *end;
	double v;

	if (s == NULL || *s == '\0' || *s == ' ')
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end != '\0' || errno == ERANGE || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

int
jsonutil_num(const json_t *root, const char *path, double *out)
{
	json_t *v = jsonutil_path(root, path);

	if (json_is_number(v)) {
		*out = json_number_value(v);
		return isfinite(*out) ? 0 : -1;
	}
	if (json_is_string(v))
		return jsonutil_parse_decimal(json_string_value(v), out);
	return -1;
}

int
jsonutil_int(const json_t *root, const char *path, long long *out)
{
	json_t *v = jsonutil_path(root, path);
	double d;

	if (json_is_integer(v)) {
		*out = json_integer_value(v);
		return 0;
	}
	if (json_is_real(v) || json_is_string(v)) {
		if (jsonutil_num(root, path, &d) == -1 || d != floor(d) ||
		    fabs(d) > 9.0e15)
			return -1;
		*out = (long long)d;
		return 0;
	}
	return -1;
}
