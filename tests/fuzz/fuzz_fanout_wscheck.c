/*
 * fuzz_fanout_wscheck: the handshake checks (ws-fanout/wscheck.c).
 * Input: NUL-free text split at newlines into header values. Checks that
 * an accepted key decodes to 16 bytes' worth and nothing crashes.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ws-fanout/wscheck.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
	return 0;
}
