/* Unit tests for common/teams.c: one table, three code sets. */
#include <stdlib.h>

#include "t.h"
#include "teams.h"

int
main(void)
{
	static const char *const renamed[][2] = { { "GS", "GSW" },
	    { "NO", "NOP" }, { "NY", "NYK" }, { "SA", "SAS" },
	    { "UTAH", "UTA" }, { "WSH", "WAS" } };
	const struct team *t, *tab;
	size_t n, i, j;

	tab = team_table(&n);
	T_EQ_INT(n, 30);
	for (i = 0; i < n; i++) {
		T_CHECK(team_by_espn(tab[i].espn) == &tab[i]);
		T_CHECK(team_by_kalshi(tab[i].kalshi) == &tab[i]);
		T_CHECK(team_by_nba(tab[i].nba) == &tab[i]);
		for (j = 0; j < i; j++) {
			T_CHECK(strcmp(tab[i].espn, tab[j].espn) != 0);
			T_CHECK(strcmp(tab[i].kalshi, tab[j].kalshi) != 0);
			T_CHECK(strcmp(tab[i].espn_id, tab[j].espn_id) != 0);
		}
	}
	for (i = 0; i < sizeof(renamed) / sizeof(renamed[0]); i++) {
		t = team_by_espn(renamed[i][0]);
		T_CHECK(t != NULL);
		if (t)
			T_EQ_STR(t->kalshi, renamed[i][1]);
		T_CHECK(team_by_kalshi(renamed[i][0]) == NULL);
		T_CHECK(team_lookup(renamed[i][1]) == t);
	}
	/* The recorded game's teams, as ESPN's fixture names them. */
	t = team_by_espn("IND");
	T_CHECK(t != NULL && strcmp(t->name, "Indiana Pacers") == 0 &&
	    strcmp(t->espn_id, "11") == 0);
	t = team_by_espn("NY");
	T_CHECK(t != NULL && strcmp(t->name, "New York Knicks") == 0 &&
	    strcmp(t->espn_id, "18") == 0);
	T_CHECK(team_lookup("XXX") == NULL);
	T_CHECK(team_lookup(NULL) == NULL);
	T_CHECK(team_by_espn("ny") == NULL);
	return t_done("teams");
}
