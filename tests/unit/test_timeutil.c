/* Unit tests for common/timeutil.c: ISO-8601 and the US Eastern date. */
#include <stdlib.h>

#include "t.h"
#include "timeutil.h"

static void
check_eastern(const char *iso, int y, unsigned m, unsigned d, int off)
{
	int64_t ms;
	int gy;
	unsigned gm, gd;

	T_EQ_INT(time_parse_iso8601(iso, &ms), 0);
	T_EQ_INT(time_eastern_date(ms, &gy, &gm, &gd), off);
	T_EQ_INT(gy, y);
	T_EQ_INT(gm, m);
	T_EQ_INT(gd, d);
}

int
main(void)
{
	char buf[TIME_ISO_LEN], ymd[9];
	int64_t ms;

	T_EQ_INT(time_parse_iso8601("1970-01-01T00:00:00Z", &ms), 0);
	T_EQ_INT(ms, 0);
	/* ESPN writes minutes only. */
	T_EQ_INT(time_parse_iso8601("2025-06-01T00:00Z", &ms), 0);
	T_EQ_INT(ms, 1748736000000LL);
	T_EQ_INT(time_parse_iso8601("2025-06-01T00:06:11.412Z", &ms), 0);
	T_EQ_INT(ms, 1748736371412LL);
	T_EQ_INT(time_parse_iso8601("2025-05-31T20:06:11-04:00", &ms), 0);
	T_EQ_INT(ms, 1748736371000LL);
	T_EQ_INT(time_parse_iso8601("2025-06-01T02:06:11+0200", &ms), 0);
	T_EQ_INT(ms, 1748736371000LL);
	T_EQ_INT(time_parse_iso8601("1969-12-31T23:59:59.5Z", &ms), 0);
	T_EQ_INT(ms, -500);
	T_EQ_INT(time_parse_iso8601("2025-06-01", &ms), 0);
	T_EQ_INT(ms, 1748736000000LL);
	/* Bad forms. */
	T_EQ_INT(time_parse_iso8601("", &ms), -1);
	T_EQ_INT(time_parse_iso8601("2025-13-01T00:00Z", &ms), -1);
	T_EQ_INT(time_parse_iso8601("2025-06-01T24:00Z", &ms), -1);
	T_EQ_INT(time_parse_iso8601("2025-06-01T00:00", &ms), -1);
	T_EQ_INT(time_parse_iso8601("2025-06-01T00:00Zjunk", &ms), -1);
	T_EQ_INT(time_parse_iso8601("2025-6-01T00:00Z", &ms), -1);
	T_EQ_INT(time_parse_iso8601("2025-06-01T00:00:00.Z", &ms), -1);
	T_EQ_INT(time_parse_iso8601(NULL, &ms), -1);

	time_format_iso8601(1748736371412LL, 1, buf);
	T_EQ_STR(buf, "2025-06-01T00:06:11.412Z");
	time_format_iso8601(1748736371412LL, 0, buf);
	T_EQ_STR(buf, "2025-06-01T00:06:11Z");
	time_format_iso8601(-1, 1, buf);
	T_EQ_STR(buf, "1969-12-31T23:59:59.999Z");
	/* Round trip over a range of days, leap years included. */
	for (ms = 946684800000LL; ms < 4102444800000LL; ms += 86400000LL * 37 + 12345) {
		int64_t back;

		time_format_iso8601(ms, 1, buf);
		T_CHECK(time_parse_iso8601(buf, &back) == 0 && back == ms);
	}

	/* The recorded game: 00:00Z on June 1 is May 31 in New York. */
	check_eastern("2025-06-01T00:00:00Z", 2025, 5, 31, -240);
	/* Winter: EST. */
	check_eastern("2024-12-16T04:59:59Z", 2024, 12, 15, -300);
	check_eastern("2024-12-16T05:00:00Z", 2024, 12, 16, -300);
	/* DST starts 2025-03-09 02:00 EST = 07:00Z. */
	check_eastern("2025-03-09T06:59:59Z", 2025, 3, 9, -300);
	check_eastern("2025-03-09T07:00:00Z", 2025, 3, 9, -240);
	/* DST ends 2025-11-02 02:00 EDT = 06:00Z. */
	check_eastern("2025-11-02T05:59:59Z", 2025, 11, 2, -240);
	check_eastern("2025-11-02T06:00:00Z", 2025, 11, 2, -300);
	check_eastern("2025-11-02T03:59:59Z", 2025, 11, 1, -240);
	/* 2026: second Sunday of March is the 8th, first of November the 1st. */
	check_eastern("2026-03-08T07:00:00Z", 2026, 3, 8, -240);
	check_eastern("2026-11-01T05:59:59Z", 2026, 11, 1, -240);
	check_eastern("2026-11-01T06:00:00Z", 2026, 11, 1, -300);
	/* New Year in New York comes 5 hours after UTC's. */
	check_eastern("2026-01-01T04:59:00Z", 2025, 12, 31, -300);

	T_EQ_INT(time_parse_iso8601("2025-06-01T03:30Z", &ms), 0);
	time_eastern_day(ms, 0, ymd);
	T_EQ_STR(ymd, "20250531");
	time_eastern_day(ms, 1, ymd);
	T_EQ_STR(ymd, "20250530");
	/*
	 * The Monday after spring-forward, 00:30 EDT: yesterday is Sunday
	 * the 9th. 24 hours earlier it was still Saturday 23:30 EST (what
	 * espn-poll asked for when it subtracted 86,400,000 ms).
	 */
	T_EQ_INT(time_parse_iso8601("2025-03-10T04:30:00Z", &ms), 0);
	time_eastern_day(ms, 0, ymd);
	T_EQ_STR(ymd, "20250310");
	time_eastern_day(ms, 1, ymd);
	T_EQ_STR(ymd, "20250309");
	/* And after fall-back, 23:30 EST on Sunday: yesterday is Saturday. */
	T_EQ_INT(time_parse_iso8601("2025-11-03T04:30:00Z", &ms), 0);
	time_eastern_day(ms, 0, ymd);
	T_EQ_STR(ymd, "20251102");
	time_eastern_day(ms, 1, ymd);
	T_EQ_STR(ymd, "20251101");
	/* Across a month and a year. */
	T_EQ_INT(time_parse_iso8601("2026-01-01T12:00:00Z", &ms), 0);
	time_eastern_day(ms, 1, ymd);
	T_EQ_STR(ymd, "20251231");

	T_CHECK(time_now_ms() > 1700000000000LL);
	T_CHECK(time_mono_ms() >= 0);
	return t_done("timeutil");
}
