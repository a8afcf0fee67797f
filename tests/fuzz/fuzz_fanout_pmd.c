/*
 * fuzz_fanout_pmd: permessage-deflate's untrusted input in ws-fanout:
 * the Sec-WebSocket-Extensions offer (ws-fanout/pmd.c) and a client's
 * compressed message, inflated with a limit (ws-fanout/deflate.c).
 * Input: the first byte picks the path, the rest is the header value or
 * the compressed bytes. Checks the limit holds and nothing crashes.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "ws-fanout/deflate.h"
#include "ws-fanout/pmd.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	long n;

	if (size == 0)
		return 0;
	if (data[0] & 1) {
		(void)pmd_accept((const char *)data + 1, size - 1);
		return 0;
	}
	n = pmd_inflate_size(data + 1, size - 1, 4096);
	if (n > 4096 || n < -2)
		abort();
	return 0;
}
