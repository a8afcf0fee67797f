/*
 * fuzz_fanout_pmd: the Sec-WebSocket-Extensions offer parser
 * (ws-fanout/pmd.c), untrusted header text. Checks nothing crashes and
 * the answer is 0 or 1.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "ws-fanout/pmd.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int r = pmd_accept((const char *)data, size);

	if (r != 0 && r != 1)
		abort();
	return 0;
}
