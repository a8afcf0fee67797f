/*
 * fuzz_live_path: live-games' request classifier on arbitrary bytes.
 * First byte picks the method; the rest is the path, as lws hands it.
 * Checks totality: one known route, its status in range.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "live-games/route.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum route_method m;
	enum route r;
	char *path;
	int st;

	if (size == 0)
		return 0;
	m = (enum route_method)(data[0] % 4);
	/* An exact-size copy so that any over-read is caught. */
	if ((path = malloc(size - 1 ? size - 1 : 1)) == NULL)
		return 0;
	for (size_t i = 1; i < size; i++)
		path[i - 1] = (char)data[i];
	r = route_classify(m, path, size - 1);
	st = route_status(r);
	if (r > ROUTE_TOO_LONG || st < 200 || st > 414 ||
	    route_name(r) == NULL)
		abort();
	/* Known paths under GET are the only 200s. */
	if (st == 200 && m != RM_GET && m != RM_HEAD)
		abort();
	free(path);
	return 0;
}
