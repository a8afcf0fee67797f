/*
 * fuzz_opt_listen: --listen's [host:]port parser (common/opts.c). What
 * it accepts has a port in range and a host of the allowed bytes, which
 * with the port spells the input back; it must never write past host.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/opts.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char host[OPTS_HOST_MAX], back[OPTS_HOST_MAX + 16];
	const char *errstr = NULL;
	char *s;
	int port = 0;

	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (opt_listen(s, host, sizeof(host), &port, &errstr) == 0) {
		if (port < 1 || port > 65535 || strlen(host) >= sizeof(host))
			abort();
		/* The port as written may have leading zeros: compare hosts. */
		if (host[0] == '\0')
			snprintf(back, sizeof(back), "%s", "");
		else if (strchr(host, ':') != NULL)
			snprintf(back, sizeof(back), "[%s]:", host);
		else
			snprintf(back, sizeof(back), "%s:", host);
		if (strncmp(s, back, strlen(back)) != 0)
			abort();
	} else if (errstr == NULL)
		abort();
	free(s);
	return 0;
}
