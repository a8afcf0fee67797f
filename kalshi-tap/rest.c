/*
 * rest: what kalshi-tap's three REST loops (discover.c, poll.c,
 * backfill.c) read alike from an answer: a 200 with a JSON body, or why
 * not, in the words their source lines and logs use. Pure: no I/O.
 */
#include <stdio.h>

#include <jansson.h>

#include "fetch.h"

#include "tap.h"

json_t *
rest_doc(const struct fetch_result *res, char *detail, size_t n)
{
	json_error_t jerr;
	json_t *doc;

	if (!res->ok)
		snprintf(detail, n, "%s", res->error);
	else if (res->status != 200)
		snprintf(detail, n, "HTTP %ld", res->status);
	else if ((doc = json_loadb(res->body, res->len, 0, &jerr)) != NULL)
		return doc;
	else
		snprintf(detail, n, "bad body");
	return NULL;
}
