/*
 * log: logfmt on stderr. One write(2) per event so lines from one process
 * never interleave. Must not write to stdout.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "timeutil.h"

static const char *log_prog = "courtside";
static int log_level = LOG_LVL_INFO;

static const char *const level_names[] = { "error", "warn", "info", "debug" };

void
log_init(const char *prog, int level)
{
	log_prog = prog;
	log_level = level;
}

void
log_set_level(int level)
{
	if (level < LOG_LVL_ERROR)
		level = LOG_LVL_ERROR;
	if (level > LOG_LVL_DEBUG)
		level = LOG_LVL_DEBUG;
	log_level = level;
}

int
log_get_level(void)
{
	return log_level;
}

void
log_verbose(void)
{
	log_set_level(log_level + 1);
}

void
log_quiet(void)
{
	log_set_level(log_level - 1);
}

static int
needs_quote(const char *s)
{
	if (*s == '\0')
		return 1;
	for (; *s; s++)
		if (*s <= ' ' || *s == '"' || *s == '=' || *s == '\\' ||
		    *s == 0x7f)
			return 1;
	return 0;
}

const char *
log_str(const char *s)
{
	static char bufs[8][512];
	static unsigned next;
	char *b, *p, *end;

	if (s == NULL)
		return "\"\"";
	if (!needs_quote(s))
		return s;
	b = bufs[next++ % 8];
	p = b;
	end = b + sizeof(bufs[0]) - 2;	/* room for the closing quote */
	*p++ = '"';
	for (; *s && p < end - 4; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			*p++ = '\\';
			*p++ = (char)c;
		} else if (c == '\n') {
			*p++ = '\\';
			*p++ = 'n';
		} else if (c < ' ' || c == 0x7f) {
			p += snprintf(p, 5, "\\x%02x", c);
		} else
			*p++ = (char)c;
	}
	*p++ = '"';
	*p = '\0';
	return b;
}

static void
vlog(int level, const char *msg, const char *kvfmt, va_list ap,
    unsigned long suppressed)
{
	char line[2048], ts[TIME_ISO_LEN];
	int n, m;

	if (level > log_level)
		return;
	time_format_iso8601(time_now_ms(), 1, ts);
	n = snprintf(line, sizeof(line), "ts=%s level=%s prog=%s msg=%s",
	    ts, level_names[level], log_prog, log_str(msg));
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line))
		n = sizeof(line) - 1;
	if (kvfmt != NULL && *kvfmt != '\0' && (size_t)n < sizeof(line) - 2) {
		line[n++] = ' ';
		m = vsnprintf(line + n, sizeof(line) - (size_t)n, kvfmt, ap);
		if (m > 0)
			n += m;
		if ((size_t)n >= sizeof(line))
			n = sizeof(line) - 1;
	}
	if (suppressed > 0 && (size_t)n < sizeof(line) - 1) {
		m = snprintf(line + n, sizeof(line) - (size_t)n,
		    " suppressed=%lu", suppressed);
		if (m > 0)
			n += m;
		if ((size_t)n >= sizeof(line))
			n = sizeof(line) - 1;
	}
	if ((size_t)n >= sizeof(line) - 1)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	/* Nothing useful to do if stderr is gone. */
	if (write(STDERR_FILENO, line, (size_t)n) < 0)
		return;
}

void
log_msg(int level, const char *msg, const char *kvfmt, ...)
{
	va_list ap;

	va_start(ap, kvfmt);
	vlog(level, msg, kvfmt, ap, 0);
	va_end(ap);
}

int
ratelimit_allow(struct ratelimit *rl, int64_t now_ms, unsigned long *suppressed)
{
	if (now_ms - rl->window_start >= rl->interval_ms ||
	    now_ms < rl->window_start) {
		rl->window_start = now_ms;
		rl->in_window = 0;
	}
	if (rl->in_window >= rl->burst) {
		rl->suppressed++;
		return 0;
	}
	rl->in_window++;
	if (suppressed)
		*suppressed = rl->suppressed;
	rl->suppressed = 0;
	return 1;
}

void
log_rl(struct ratelimit *rl, int level, const char *msg, const char *kvfmt, ...)
{
	unsigned long suppressed = 0;
	va_list ap;

	if (level > log_level)
		return;
	if (!ratelimit_allow(rl, time_mono_ms(), &suppressed))
		return;
	va_start(ap, kvfmt);
	vlog(level, msg, kvfmt, ap, suppressed);
	va_end(ap);
}
