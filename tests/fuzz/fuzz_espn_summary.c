/*
 * fuzz_espn_summary: arbitrary bytes through espn_summary_parse, and
 * its two shortcuts checked against it: whenever the whole document
 * parses, its slimmed copy must parse to exactly the same game and
 * points, and espn_summary_parse_text must give them too (or fall back).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "espn.h"

#define N 128

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
same_wp(const struct espn_wp *a, const struct espn_wp *b)
{
	return strcmp(a->play_id, b->play_id) == 0 && a->seq == b->seq &&
	    a->ts == b->ts && a->home == b->home && a->away == b->away &&
	    a->tie == b->tie && a->period == b->period &&
	    strcmp(a->clock, b->clock) == 0 &&
	    a->home_score == b->home_score && a->away_score == b->away_score;
}

static int
same_game(const struct espn_game *a, const struct espn_game *b)
{
	return strcmp(a->game_id, b->game_id) == 0 &&
	    strcmp(a->state, b->state) == 0 &&
	    strcmp(a->status, b->status) == 0 && a->period == b->period &&
	    strcmp(a->clock, b->clock) == 0 && a->start_time == b->start_time &&
	    strcmp(a->home.abbr, b->home.abbr) == 0 &&
	    strcmp(a->home.name, b->home.name) == 0 &&
	    strcmp(a->home.id, b->home.id) == 0 &&
	    a->home.score == b->home.score &&
	    strcmp(a->away.abbr, b->away.abbr) == 0 &&
	    a->away.score == b->away.score;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct espn_wp pts[N], pts2[N];
	struct espn_game game, game2;
	struct errbuf err, err2;
	size_t skipped = 0, skipped2 = 0;
	json_t *doc, *doc2;
	char *slim;
	long sl;
	int n, n2, i;

	doc = json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL);
	if (doc == NULL)
		return 0;
	memset(&game, 0, sizeof(game));
	memset(&game2, 0, sizeof(game2));
	n = espn_summary_parse(doc, &game, pts, N, &skipped, &err);
	if (n > N)
		__builtin_trap();
	for (i = 0; i < n; i++) {
		/* Sorted by seq, probabilities in [0, 1]. */
		if ((i > 0 && pts[i].seq < pts[i - 1].seq) ||
		    !(pts[i].home >= 0 && pts[i].home <= 1) ||
		    !(pts[i].away >= 0 && pts[i].away <= 1) ||
		    !(pts[i].tie >= 0 && pts[i].tie <= 1) ||
		    strnlen(pts[i].play_id, sizeof(pts[i].play_id)) ==
		    sizeof(pts[i].play_id))
			__builtin_trap();
	}

	if ((slim = malloc(size + 1)) == NULL)
		__builtin_trap();
	sl = espn_summary_slim((const char *)data, size, slim, size + 1);
	if (json_is_object(doc)) {
		if (sl < 0)
			__builtin_trap();	/* a valid object must slim */
		doc2 = json_loadb(slim, (size_t)sl, 0, NULL);
		if (doc2 == NULL)
			__builtin_trap();
		n2 = espn_summary_parse(doc2, &game2, pts2, N, &skipped2,
		    &err2);
		if (n2 != n || (n >= 0 && skipped2 != skipped) ||
		    (n >= 0 && !same_game(&game, &game2)))
			__builtin_trap();
		for (i = 0; i < n; i++)
			if (!same_wp(&pts[i], &pts2[i]))
				__builtin_trap();
		json_decref(doc2);
		memset(&game2, 0, sizeof(game2));
		n2 = espn_summary_parse_text((const char *)data, size, &game2,
		    pts2, N, &skipped2, &err2);
		if (n2 != ESPN_TEXT_FALLBACK) {
			if (n2 != n || (n >= 0 && skipped2 != skipped) ||
			    (n >= 0 && !same_game(&game, &game2)))
				__builtin_trap();
			for (i = 0; i < n; i++)
				if (!same_wp(&pts[i], &pts2[i]))
					__builtin_trap();
		}
	} else if (espn_summary_parse_text((const char *)data, size, &game2,
	    pts2, N, &skipped2, &err2) > N)
		__builtin_trap();
	free(slim);
	json_decref(doc);
	return 0;
}
