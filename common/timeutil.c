/*
 * timeutil: epoch milliseconds, ISO-8601, and the US Eastern date by the
 * post-2007 DST rule, computed rather than read from the tz database.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "timeutil.h"

int64_t
time_now_ms(void)
{
	return time_now_us() / 1000;
}

int64_t
time_mono_ms(void)
{
	return time_mono_us() / 1000;
}

int64_t
time_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t
time_mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Howard Hinnant's days-from-civil algorithm, as arithmetic. */
int64_t
time_days_from_civil(int y, unsigned m, unsigned d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
time_civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int
digits(const char **p, int n, int *out)
{
	int v = 0;

	while (n-- > 0) {
		if (**p < '0' || **p > '9')
			return -1;
		v = v * 10 + (**p - '0');
		(*p)++;
	}
	*out = v;
	return 0;
}

int
time_parse_iso8601(const char *s, int64_t *ms)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, frac = 0, oh = 0, om = 0;
	int sign = 0, scale = 100;
	const char *p = s;

	if (s == NULL || digits(&p, 4, &y) || *p++ != '-' ||
	    digits(&p, 2, &mo) || *p++ != '-' || digits(&p, 2, &d))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > 31)
		return -1;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		p++;
		if (digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &mi))
			return -1;
		if (*p == ':') {
			p++;
			if (digits(&p, 2, &sec))
				return -1;
			if (*p == '.' || *p == ',') {
				p++;
				if (*p < '0' || *p > '9')
					return -1;
				while (*p >= '0' && *p <= '9') {
					frac += (*p - '0') * scale;
					scale /= 10;
					p++;
				}
			}
		}
		if (*p == 'Z' || *p == 'z')
			p++;
		else if (*p == '+' || *p == '-') {
			sign = *p++ == '-' ? -1 : 1;
			if (digits(&p, 2, &oh))
				return -1;
			if (*p == ':')
				p++;
			if (*p != '\0' && digits(&p, 2, &om))
				return -1;
		} else
			return -1;
	}
	if (*p != '\0' || h > 23 || mi > 59 || sec > 60 || oh > 23 || om > 59)
		return -1;
	*ms = (time_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
	    h * 3600 + mi * 60 + sec - sign * (oh * 3600 + om * 60)) * 1000 +
	    frac;
	return 0;
}

static int64_t
floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

size_t
time_format_iso8601(int64_t ms, int millis, char buf[TIME_ISO_LEN])
{
	int64_t days = floor_div(ms, 86400000), rem = ms - days * 86400000;
	int y;
	unsigned m, d;
	int n;

	time_civil_from_days(days, &y, &m, &d);
	if (millis)
		n = snprintf(buf, TIME_ISO_LEN,
		    "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", y, m, d,
		    (int)(rem / 3600000), (int)(rem / 60000 % 60),
		    (int)(rem / 1000 % 60), (int)(rem % 1000));
	else
		n = snprintf(buf, TIME_ISO_LEN, "%04d-%02u-%02uT%02d:%02d:%02dZ",
		    y, m, d, (int)(rem / 3600000), (int)(rem / 60000 % 60),
		    (int)(rem / 1000 % 60));
	return n < 0 ? 0 : (size_t)n;
}

/* Day of the n-th Sunday (n >= 1) of month m in year y, as days since epoch. */
static int64_t
nth_sunday(int y, unsigned m, int n)
{
	int64_t first = time_days_from_civil(y, m, 1);
	/* 1970-01-01 was a Thursday: weekday 0 = Sunday. */
	int64_t wd = ((first + 4) % 7 + 7) % 7;

	return first + (7 - wd) % 7 + 7 * (n - 1);
}

int
time_eastern_date(int64_t ms, int *y, unsigned *m, unsigned *d)
{
	int64_t days = floor_div(ms, 86400000), start, end;
	int yy, off;
	unsigned mm, dd;

	time_civil_from_days(days, &yy, &mm, &dd);
	/* DST: 2nd Sunday of March 02:00 EST (07:00 UTC) to 1st Sunday of
	   November 02:00 EDT (06:00 UTC). */
	start = nth_sunday(yy, 3, 2) * 86400000 + 7 * 3600000;
	end = nth_sunday(yy, 11, 1) * 86400000 + 6 * 3600000;
	off = (ms >= start && ms < end) ? -240 : -300;
	time_civil_from_days(floor_div(ms + (int64_t)off * 60000, 86400000),
	    y, m, d);
	return off;
}

void
time_eastern_day(int64_t ms, int back, char buf[9])
{
	int y;
	unsigned m, d;

	time_eastern_date(ms, &y, &m, &d);
	time_civil_from_days(time_days_from_civil(y, m, d) - back, &y, &m, &d);
	snprintf(buf, 9, "%04u%02u%02u", (unsigned)y % 10000u, m % 100u,
	    d % 100u);
}
