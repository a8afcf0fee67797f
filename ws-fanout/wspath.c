/*
 * wspath: parse the subscriber's request path and resume point. Bytes
 * in, a struct out; never allocates.
 */
#include <stddef.h>
#include <string.h>

#include "digits.h"
#include "wspath.h"

#define PREFIX		"/ws/live/"
#define PREFIX_LEN	(sizeof(PREFIX) - 1)

int
wspath_valid_id(const char *s, size_t len)
{
	return len > 0 && len <= WSPATH_ID_MAX && digits_only(s, len);
}

static int
parse_u63(const char *s, size_t len, int64_t *out)
{
	int64_t v = 0;
	size_t i;

	if (len == 0 || len > 18)	/* 18 digits cannot overflow */
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int
wspath_parse_since(const char *s, size_t len, int64_t *epoch, int64_t *seq)
{
	const char *colon = memchr(s, ':', len);

	if (colon == NULL)
		return -1;
	if (parse_u63(s, (size_t)(colon - s), epoch) == -1 ||
	    parse_u63(colon + 1, len - (size_t)(colon - s) - 1, seq) == -1)
		return -1;
	return 0;
}

static void
parse_query(const char *q, struct wspath *out)
{
	const char *arg, *end;
	size_t n;

	for (arg = q; *arg != '\0'; arg = *end ? end + 1 : end) {
		end = strchr(arg, '&');
		if (end == NULL)
			end = arg + strlen(arg);
		n = (size_t)(end - arg);
		if (n > 6 && memcmp(arg, "since=", 6) == 0 &&
		    wspath_parse_since(arg + 6, n - 6, &out->since_epoch,
		    &out->since_seq) == 0)
			out->has_since = 1;
	}
}

enum wspath_result
wspath_parse(const char *path, const char *query, struct wspath *out)
{
	const char *id;
	size_t n;

	memset(out, 0, sizeof(*out));
	if (path == NULL || strncmp(path, PREFIX, PREFIX_LEN) != 0)
		return WSPATH_NOT_FOUND;
	id = path + PREFIX_LEN;
	n = strlen(id);
	if (n == 0 || memchr(id, '/', n) != NULL)
		return WSPATH_NOT_FOUND;
	if (!wspath_valid_id(id, n))
		return WSPATH_BAD_ID;
	memcpy(out->game_id, id, n);
	out->game_id[n] = '\0';
	if (query != NULL)
		parse_query(query, out);
	return WSPATH_OK;
}
