/*
 * fuzz_kalshi_candles: any bytes as a candlestick body; what parses must
 * be sorted, in range, and turn into quote lines that encode.
 */
#include <stdint.h>
#include <stdlib.h>

#include <jansson.h>

#include "kalshi-tap/candles.h"
#include "ndjson.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kalshi_candle c[8];
	struct kalshi_quote q;
	struct errbuf err;
	json_error_t jerr;
	size_t skipped, i, k;
	json_t *doc, *line;
	int n;

	if ((doc = json_loadb((const char *)data, size, 0, &jerr)) == NULL)
		return 0;
	n = kalshi_candles_parse(doc, c, 8, &skipped, &err);
	json_decref(doc);
	if (n <= 0)
		return 0;
	for (i = 1; i < (size_t)n; i++)
		if (c[i].end_ts <= c[i - 1].end_ts)
			abort();
	k = kalshi_candles_changes(c, (size_t)n, NULL);
	for (i = 0; i < k; i++) {
		if (c[i].bid < 0 || c[i].bid > 1 || c[i].ask < 0 || c[i].ask > 1)
			abort();
		kalshi_candle_quote(&c[i], "T", &q);
		if ((line = kalshi_quote_line(&q, 1)) != NULL) {
			free(ndjson_encode(line, NULL));
			json_decref(line);
		}
	}
	return 0;
}
