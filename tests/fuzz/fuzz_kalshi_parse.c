/*
 * fuzz_kalshi_parse: any bytes as a Kalshi WS frame and as a REST body;
 * whatever parses must also turn into lines that encode.
 */
#include <stdint.h>
#include <stdlib.h>

#include <jansson.h>

#include "kalshi-tap/kalshi_parse.h"
#include "ndjson.h"

static void
emit(json_t *line)
{
	char *s;

	if (line == NULL)
		return;
	s = ndjson_encode(line, NULL);
	free(s);
	json_decref(line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kalshi_market mk[8];
	struct kalshi_ws_msg m;
	struct errbuf err;
	json_error_t jerr;
	char cursor[32];
	json_t *doc;
	int i, n;

	if (kalshi_ws_parse_bytes((const char *)data, size, &m, &err) == 0) {
		(void)kalshi_error_name(m.code);
		if (m.type == KALSHI_MSG_TICKER)
			emit(kalshi_quote_line(&m.quote, 1));
		if (m.type == KALSHI_MSG_TRADE)
			emit(kalshi_trade_line(&m.trade, 1));
	}
	doc = json_loadb((const char *)data, size, 0, &jerr);
	if (doc == NULL)
		return 0;
	n = kalshi_markets_parse(doc, mk, 8, cursor, sizeof(cursor), &err);
	for (i = 0; i < n; i++) {
		emit(kalshi_market_line(&mk[i]));
		emit(kalshi_quote_line(&mk[i].quote, 1));
	}
	json_decref(doc);
	return 0;
}
