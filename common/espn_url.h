/*
 * espn_url: the URL of an ESPN site-API document (a day's scoreboard, a
 * game's summary) under a base: the API root, or a file: folder of
 * recorded bodies (scoreboard-nba-DATE.json, summary-nba-ID.json). The
 * one builder for espn-poll and live-games. Pure.
 */
#ifndef COURTSIDE_ESPN_URL_H
#define COURTSIDE_ESPN_URL_H

#include <stddef.h>

enum espn_doc { ESPN_DOC_SCOREBOARD, ESPN_DOC_SUMMARY };

/*
 * Writes the URL of doc for key (YYYYMMDD for a scoreboard, the event id
 * for a summary) under base (no trailing '/'; "file:..." is a folder)
 * into buf (size bytes). Returns the length, or -1 when it does not fit.
 */
int	espn_url(char *buf, size_t size, const char *base, enum espn_doc doc,
	    const char *key);

#endif
