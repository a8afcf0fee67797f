/*
 * fuzz_live_framing: live-games' body-framing check on arbitrary bytes.
 * First byte: bit 0 no_body, bit 1 Transfer-Encoding; the rest is split
 * at '\n' into Content-Length values, each in an exact-size copy so that
 * any over-read is caught. Checks totality and the verdicts' invariants.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "live-games/framing.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAXF	8

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct framing_field f[MAXF];
	char *copy[MAXF];
	size_t n = 0, i, start, end;
	enum framing v;
	int no_body, te;

	if (size == 0)
		return 0;
	no_body = data[0] & 1;
	te = (data[0] >> 1) & 1;
	for (start = 1; start <= size && n < MAXF; start = end + 1) {
		for (end = start; end < size && data[end] != '\n'; end++)
			;
		if (start == size && n > 0)
			break;
		if ((copy[n] = malloc(end - start ? end - start : 1)) == NULL)
			goto out;
		memcpy(copy[n], data + start, end - start);
		f[n].p = copy[n];
		f[n].len = end - start;
		n++;
	}
	v = framing_check(no_body, f, n, te);
	if (v > FRAMING_TE_NO_BODY || framing_name(v) == NULL)
		abort();
	/* Without a length field, only Transfer-Encoding can be refused. */
	if (n == 0 && v != FRAMING_OK && v != FRAMING_TE_NO_BODY)
		abort();
	if (v == FRAMING_DUP_LENGTH && n == 0)
		abort();
	if (v == FRAMING_TE_NO_BODY && (!te || !no_body))
		abort();
out:
	for (i = 0; i < n; i++)
		free(copy[i]);
	return 0;
}
