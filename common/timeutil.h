/*
 * timeutil: instants as int64 milliseconds since the Unix epoch (UTC),
 * ISO-8601 in and out, and the US Eastern calendar date of an instant.
 * Pure but for time_now_ms(); no dependence on TZ or the tz database.
 */
#ifndef COURTSIDE_TIMEUTIL_H
#define COURTSIDE_TIMEUTIL_H

#include <stddef.h>
#include <stdint.h>

int64_t	time_now_ms(void);		/* wall clock */
int64_t	time_mono_ms(void);		/* monotonic clock */
int64_t	time_now_us(void);		/* wall clock, microseconds */
int64_t	time_mono_us(void);		/* monotonic clock, microseconds */

/*
 * Parses ISO-8601 / RFC 3339: "2025-06-01T00:06:11Z",
 * "2025-06-01T00:06:11.412Z", "2025-06-01T00:06Z" (ESPN), offsets
 * "+02:00" / "-0500". Returns 0 and sets *ms, or -1.
 */
int	time_parse_iso8601(const char *s, int64_t *ms);

/* "2025-06-01T00:06:11.412Z" (millis=1) or "2025-06-01T00:06:11Z". */
#define TIME_ISO_LEN 32
size_t	time_format_iso8601(int64_t ms, int millis, char buf[TIME_ISO_LEN]);

/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
int64_t	time_days_from_civil(int y, unsigned m, unsigned d);
void	time_civil_from_days(int64_t days, int *y, unsigned *m, unsigned *d);

/*
 * The US Eastern local date of an instant (EST, or EDT from the second
 * Sunday of March 02:00 to the first Sunday of November 02:00 local).
 * Returns the UTC offset used, in minutes (-300 or -240).
 */
int	time_eastern_date(int64_t ms, int *y, unsigned *m, unsigned *d);
/*
 * "YYYYMMDD" of the Eastern calendar day back days before that of ms
 * (0: its own), for ESPN's dates= parameter. Calendar days, not 24-hour
 * steps: the day after a DST change is 23 or 25 hours long.
 */
void	time_eastern_day(int64_t ms, int back, char buf[9]);

#endif
