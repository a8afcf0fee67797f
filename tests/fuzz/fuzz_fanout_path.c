/*
 * fuzz_fanout_path: the WebSocket request path and query (wspath.c).
 * Input: "path?query" bytes. Checks that an accepted id is digits only.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ws-fanout/wspath.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wspath wp;
	char *s, *q;
	int64_t e, sq;
	size_t i;

	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	(void)wspath_parse_since(s, size, &e, &sq);
	if ((q = strchr(s, '?')) != NULL)
		*q++ = '\0';
	if (wspath_parse(s, q, &wp) == WSPATH_OK) {
		if (wp.game_id[0] == '\0')
			abort();
		for (i = 0; wp.game_id[i] != '\0'; i++)
			if (wp.game_id[i] < '0' || wp.game_id[i] > '9')
				abort();
		if (wp.has_since && (wp.since_epoch < 0 || wp.since_seq < 0))
			abort();
	}
	free(s);
	return 0;
}
