/*
 * map: the --map file (tickers to games and teams) and the Kalshi event
 * ticker of a game. Pure: the caller reads the file.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hmap.h"
#include "teams.h"
#include "timeutil.h"

#include "align_int.h"

int
align_event_ticker(const char *home, const char *away, int64_t start_ms,
    char buf[ALIGN_TICKER_MAX])
{
	static const char *const mon[] = { "JAN", "FEB", "MAR", "APR", "MAY",
	    "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC" };
	const char *h = kmap_code(home), *w = kmap_code(away);
	unsigned m, d;
	int y;

	if (h == NULL || w == NULL)
		return -1;
	time_eastern_date(start_ms, &y, &m, &d);
	if (m < 1 || m > 12 || y < 2000 || y > 2099)
		return -1;
	snprintf(buf, ALIGN_TICKER_MAX, "KXNBAGAME-%02d%s%02u%s%s", y % 100,
	    mon[m - 1], d, w, h);
	return 0;
}

int
align_map_load(struct align *a, const char *text, size_t len,
    struct errbuf *err)
{
	const char *p = text, *end = text + len, *nl;
	char buf[256], f[3][ALIGN_TICKER_MAX], *tok, *save = NULL;
	int lineno = 0, n = 0, nf;
	struct mapent *me;
	const char *code;
	size_t i;

	for (; p < end; p = nl + 1) {
		lineno++;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if ((size_t)(nl - p) >= sizeof(buf))
			return errbuf_set(err, "line %d: too long", lineno);
		memcpy(buf, p, (size_t)(nl - p));
		buf[nl - p] = '\0';
		if (strchr(buf, '#') != NULL)
			*strchr(buf, '#') = '\0';
		nf = 0;
		for (tok = strtok_r(buf, " \t\r", &save); tok != NULL;
		    tok = strtok_r(NULL, " \t\r", &save)) {
			if (nf == 3 || strlen(tok) >= ALIGN_TICKER_MAX)
				return errbuf_set(err,
				    "line %d: want GAME_ID TICKER TEAM", lineno);
			memcpy(f[nf++], tok, strlen(tok) + 1);
		}
		if (nf == 0)
			continue;
		if (nf != 3 || !games_valid_id(f[0]))
			return errbuf_set(err,
			    "line %d: want GAME_ID TICKER TEAM", lineno);
		if (strcmp(f[2], "home") == 0 || strcmp(f[2], "away") == 0)
			code = f[2];
		else if ((code = kmap_code(f[2])) == NULL)
			return errbuf_set(err, "line %d: unknown team %s",
			    lineno, f[2]);
		if (hmap_get(&a->map, f[1], strlen(f[1])) != NULL)
			return errbuf_set(err, "line %d: %s mapped twice",
			    lineno, f[1]);
		if ((me = vec_grow_new(&a->mapents, &a->mapcap, a->nmap,
		    sizeof(*me))) == NULL)
			return errbuf_set(err, "out of memory");
		a->mapents[a->nmap++] = me;
		strcopy(me->ticker, sizeof(me->ticker), f[1]);
		strcopy(me->game_id, sizeof(me->game_id), f[0]);
		strcopy(me->team, sizeof(me->team), code);
		if (hmap_put(&a->map, me->ticker, me) == -1 ||
		    hmap_put(&a->map_games, me->game_id, me) == -1)
			return errbuf_set(err, "out of memory");
		n++;
	}
	/* Games already known lose their automatic mapping. */
	for (i = 0; i < a->ngames; i++) {
		struct game *g = a->games[i];

		if (!g->by_map && hmap_get(&a->map_games, g->id,
		    strlen(g->id)) != NULL) {
			g->by_map = 1;
			if (g->event[0])
				hmap_del(&a->by_event, g->event);
			g->event[0] = '\0';
		}
	}
	return n;
}
