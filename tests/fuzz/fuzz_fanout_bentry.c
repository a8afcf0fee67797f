/*
 * fuzz_fanout_bentry: Redis Streams entries as ws-fanout reads them
 * (ws-fanout/bentry.c). Input: NUL-separated field/value items, the
 * first byte choosing the game stream or the index. Checks that an
 * accepted entry holds what its kind promises.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ws-fanout/bentry.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bfield kv[32];
	struct bentry e;
	size_t n = 0, i, start;
	const char *gid;

	if (size == 0)
		return 0;
	gid = (data[0] & 1) ? NULL : "401772994";
	for (i = start = 1; i <= size && n < 32; i++) {
		if (i == size || data[i] == '\0') {
			kv[n].p = (const char *)data + start;
			kv[n].len = i - start;
			n++;
			start = i + 1;
		}
	}
	if (bentry_parse(kv, n, gid, 1 << 16, &e) == BENTRY_OK) {
		switch (e.kind) {
		case BENTRY_FULL:
			if (e.game == NULL && e.tick == NULL)
				abort();
			break;
		case BENTRY_LINE:
			if ((e.game == NULL) == (e.tick == NULL))
				abort();
			break;
		case BENTRY_GAME:
			if (e.id[0] < '0' || e.id[0] > '9')
				abort();
			break;
		case BENTRY_SOURCE:
			if (e.source == NULL)
				abort();
			break;
		}
		if (e.tick != NULL && e.seq < 1)
			abort();
		bentry_fini(&e);
	}
	return 0;
}
