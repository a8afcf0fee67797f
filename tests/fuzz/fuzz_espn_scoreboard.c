/* fuzz_espn_scoreboard: arbitrary bytes through espn_scoreboard_parse. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "espn.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct espn_game games[64];
	struct errbuf err;
	size_t skipped = 0;
	json_t *doc;
	int n, i;

	doc = json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL);
	if (doc == NULL)
		return 0;
	n = espn_scoreboard_parse(doc, games, 64, &skipped, &err);
	if (n > 64)
		__builtin_trap();
	for (i = 0; i < n; i++) {
		/* Every string must be terminated within its field. */
		if (strnlen(games[i].game_id, sizeof(games[i].game_id)) ==
		    sizeof(games[i].game_id) ||
		    strnlen(games[i].clock, sizeof(games[i].clock)) ==
		    sizeof(games[i].clock) ||
		    strnlen(games[i].home.name, sizeof(games[i].home.name)) ==
		    sizeof(games[i].home.name) || games[i].game_id[0] == '\0')
			__builtin_trap();
	}
	json_decref(doc);
	return 0;
}
