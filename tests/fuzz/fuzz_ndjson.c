/* libFuzzer target: the NDJSON line splitter on arbitrary bytes. */
#include <stddef.h>
#include <stdint.h>

#include "ndjson.h"

static void
on_line(void *arg, json_t *obj, const char *line, size_t len)
{
	size_t *n = arg;

	*n += len + (json_object_size(obj) > 0);
}

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ndjson_reader r;
	size_t n = 0, cut = size ? data[0] % 17 + 1 : 1, off;

	/* Small limit so the over-long paths are exercised too. */
	ndjson_reader_init(&r, 256, on_line, NULL, &n);
	for (off = 0; off < size; off += cut)
		ndjson_reader_feed(&r, (const char *)data + off,
		    size - off < cut ? size - off : cut);
	ndjson_reader_finish(&r);
	ndjson_reader_fini(&r);
	return 0;
}
