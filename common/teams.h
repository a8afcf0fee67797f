/*
 * teams: the one NBA team table. ESPN, Kalshi and NBA codes and full
 * names. ESPN says GS, NO, NY, SA, UTAH, WSH where Kalshi and the NBA say
 * GSW, NOP, NYK, SAS, UTA, WAS.
 */
#ifndef COURTSIDE_TEAMS_H
#define COURTSIDE_TEAMS_H

#include <stddef.h>

struct team {
	const char	*espn;		/* "NY" */
	const char	*kalshi;	/* "NYK" */
	const char	*nba;		/* "NYK" */
	const char	*name;		/* "New York Knicks" */
	const char	*espn_id;	/* ESPN's numeric team id, "18" */
};

/* Case-sensitive lookups; NULL when unknown. */
const struct team *team_by_espn(const char *abbr);
const struct team *team_by_kalshi(const char *code);
const struct team *team_by_nba(const char *code);
/* Any of the three codes. */
const struct team *team_lookup(const char *code);
/* The whole table and its size (30). */
const struct team *team_table(size_t *n);

#endif
