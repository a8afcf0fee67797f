/*
 * fuzz_redis_url: the redis://[HOST][:PORT]/NAME parser (common/
 * redis_url.c). Checks that what it accepts is in range and clean.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/redis_url.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct redis_url u;
	struct errbuf err;
	char *s;
	size_t i;

	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (redis_url_parse(s, &u, &err) == 0) {
		if (u.port < 1 || u.port > 65535 || u.host[0] == '\0' ||
		    u.name[0] == '\0' || strlen(u.name) > REDIS_URL_NAME_MAX)
			abort();
		for (i = 0; u.name[i] != '\0'; i++)
			if (u.name[i] == ':' || u.name[i] == '/' ||
			    u.name[i] <= ' ')
				abort();
	}
	free(s);
	return 0;
}
