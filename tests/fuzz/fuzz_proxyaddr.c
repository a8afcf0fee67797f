/*
 * fuzz_proxyaddr: --trust-proxy lists and forwarded headers
 * (common/proxyaddr.c). Input: "list\npeer\nxff\nxrealip". Checks that the
 * answer is always an address (or the peer as given) and fits out.
 */
#include <arpa/inet.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/proxyaddr.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct proxyaddr pa;
	struct errbuf err;
	char *s, *f[4] = { NULL, NULL, NULL, NULL }, *p, out[PROXYADDR_STRLEN];
	unsigned char bin[16];
	enum proxyaddr_result r;
	int i;

	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	for (i = 0, p = s; i < 4 && p != NULL; i++) {
		f[i] = p;
		if ((p = strchr(p, '\n')) != NULL)
			*p++ = '\0';
	}
	if (proxyaddr_parse(&pa, f[0], &err) == -1 && pa.n != 0)
		abort();
	(void)proxyaddr_trusted(&pa, f[1]);
	r = proxyaddr_client(&pa, f[1], f[2], f[3], out, sizeof(out));
	if (strlen(out) >= sizeof(out))
		abort();
	if (r == PROXYADDR_FORWARDED && inet_pton(AF_INET, out, bin) != 1 &&
	    inet_pton(AF_INET6, out, bin) != 1)
		abort();
	/* From an untrusted peer nothing but the peer comes out. */
	if (!proxyaddr_trusted(&pa, f[1]) && r != PROXYADDR_PEER)
		abort();
	free(s);
	return 0;
}
