/*
 * fuzz_fanout_wscheck: the handshake checks (ws-fanout/wscheck.c).
 * Input: NUL-free text split at newlines into header values. Checks that
 * an accepted key decodes to 16 bytes' worth and nothing crashes. The
 * same bytes as a client's frames (wscheck_rx), whole and in chunks
 * sized by the input: the chunked scan lets through what the whole one
 * does, plus at most an unmasked header's first byte.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ws-fanout/wscheck.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
frames(const uint8_t *data, size_t size)
{
	struct wscheck_rx whole, part;
	size_t w, d = 0, off = 0, k, got;

	memset(&whole, 0, sizeof(whole));
	memset(&part, 0, sizeof(part));
	w = wscheck_rx(&whole, data, size);
	if (w > size || (!whole.bad && w != size))
		abort();
	while (off < size) {
		k = 1 + data[off] % 7;
		if (k > size - off)
			k = size - off;
		got = wscheck_rx(&part, data + off, k);
		if (got > k)
			abort();
		d += got;
		off += k;
	}
	if (part.bad != whole.bad || d < w || d > w + 1)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *vals[8];
	char *s, *p;
	size_t n = 0;

	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	for (p = s; p != NULL && n < 8; n++) {
		vals[n] = p;
		if ((p = strchr(p, '\n')) != NULL)
			*p++ = '\0';
	}
	(void)wscheck_version(vals[0]);
	if (wscheck_key(vals[0]) && strlen(vals[0]) != 24)
		abort();
	(void)wscheck_content_length(vals, n);
	if (size >= 2)
		(void)wscheck_close_code((unsigned)(data[0] << 8 | data[1]));
	free(s);
	frames(data, size);
	return 0;
}
