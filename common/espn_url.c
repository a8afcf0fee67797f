/* espn_url: ESPN document URLs, on the API or in a file: folder. Pure. */
#include <stdio.h>
#include <string.h>

#include "espn_url.h"

int
espn_url(char *buf, size_t size, const char *base, enum espn_doc doc,
    const char *key)
{
	int file = strncmp(base, "file:", 5) == 0, n;

	if (doc == ESPN_DOC_SCOREBOARD)
		n = snprintf(buf, size, file ? "%s/scoreboard-nba-%s.json" :
		    "%s/scoreboard?dates=%s", base, key);
	else
		n = snprintf(buf, size, file ? "%s/summary-nba-%s.json" :
		    "%s/summary?event=%s", base, key);
	return n < 0 || (size_t)n >= size ? -1 : n;
}
