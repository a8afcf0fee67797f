/* teams: the one NBA team table; lookups by ESPN, Kalshi or NBA code. */
#include <stddef.h>
#include <string.h>

#include "teams.h"

static const struct team teams[] = {
	{ "ATL", "ATL", "ATL", "Atlanta Hawks", "1" },
	{ "BOS", "BOS", "BOS", "Boston Celtics", "2" },
	{ "BKN", "BKN", "BKN", "Brooklyn Nets", "17" },
	{ "CHA", "CHA", "CHA", "Charlotte Hornets", "30" },
	{ "CHI", "CHI", "CHI", "Chicago Bulls", "4" },
	{ "CLE", "CLE", "CLE", "Cleveland Cavaliers", "5" },
	{ "DAL", "DAL", "DAL", "Dallas Mavericks", "6" },
	{ "DEN", "DEN", "DEN", "Denver Nuggets", "7" },
	{ "DET", "DET", "DET", "Detroit Pistons", "8" },
	{ "GS", "GSW", "GSW", "Golden State Warriors", "9" },
	{ "HOU", "HOU", "HOU", "Houston Rockets", "10" },
	{ "IND", "IND", "IND", "Indiana Pacers", "11" },
	{ "LAC", "LAC", "LAC", "LA Clippers", "12" },
	{ "LAL", "LAL", "LAL", "Los Angeles Lakers", "13" },
	{ "MEM", "MEM", "MEM", "Memphis Grizzlies", "29" },
	{ "MIA", "MIA", "MIA", "Miami Heat", "14" },
	{ "MIL", "MIL", "MIL", "Milwaukee Bucks", "15" },
	{ "MIN", "MIN", "MIN", "Minnesota Timberwolves", "16" },
	{ "NO", "NOP", "NOP", "New Orleans Pelicans", "3" },
	{ "NY", "NYK", "NYK", "New York Knicks", "18" },
	{ "OKC", "OKC", "OKC", "Oklahoma City Thunder", "25" },
	{ "ORL", "ORL", "ORL", "Orlando Magic", "19" },
	{ "PHI", "PHI", "PHI", "Philadelphia 76ers", "20" },
	{ "PHX", "PHX", "PHX", "Phoenix Suns", "21" },
	{ "POR", "POR", "POR", "Portland Trail Blazers", "22" },
	{ "SAC", "SAC", "SAC", "Sacramento Kings", "23" },
	{ "SA", "SAS", "SAS", "San Antonio Spurs", "24" },
	{ "TOR", "TOR", "TOR", "Toronto Raptors", "28" },
	{ "UTAH", "UTA", "UTA", "Utah Jazz", "26" },
	{ "WSH", "WAS", "WAS", "Washington Wizards", "27" },
};
#define NTEAMS (sizeof(teams) / sizeof(teams[0]))

static const struct team *
find(const char *code, size_t off)
{
	size_t i;

	if (code == NULL)
		return NULL;
	for (i = 0; i < NTEAMS; i++) {
		const char *c = *(const char *const *)(const void *)
		    ((const char *)&teams[i] + off);

		if (strcmp(c, code) == 0)
			return &teams[i];
	}
	return NULL;
}

const struct team *
team_by_espn(const char *abbr)
{
	return find(abbr, offsetof(struct team, espn));
}

const struct team *
team_by_kalshi(const char *code)
{
	return find(code, offsetof(struct team, kalshi));
}

const struct team *
team_by_nba(const char *code)
{
	return find(code, offsetof(struct team, nba));
}

const struct team *
team_lookup(const char *code)
{
	const struct team *t;

	if ((t = team_by_espn(code)) != NULL)
		return t;
	if ((t = team_by_kalshi(code)) != NULL)
		return t;
	return team_by_nba(code);
}

const struct team *
team_table(size_t *n)
{
	*n = NTEAMS;
	return teams;
}
