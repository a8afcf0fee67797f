/*
 * lwslog: libwebsockets' log lines into ours, rate-limited. Holds the
 * only state lws' callback can reach (it takes no argument); never
 * blocks, never allocates.
 */
#include <stdio.h>
#include <string.h>

#include <libwebsockets.h>

#include "log.h"
#include "lwslog.h"
#include "timeutil.h"

static struct ratelimit	rl = RATELIMIT_INIT(1000, LWSLOG_BURST);
static unsigned long	held_total;
static unsigned long	held_unreported;

static int
level_of(int lll)
{
	if (lll & LLL_ERR)
		return LOG_LVL_ERROR;
	if (lll & LLL_WARN)
		return LOG_LVL_WARN;
	return LOG_LVL_DEBUG;
}

static void
emit(int level, const char *line)
{
	char buf[512];
	unsigned long held;
	size_t n;

	if (!ratelimit_allow(&rl, time_mono_ms(), &held)) {
		held_total++;
		held_unreported++;
		return;
	}
	snprintf(buf, sizeof(buf), "%s", line);
	n = strlen(buf);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	if (held_unreported > 0) {
		log_msg(level_of(level), "libwebsockets",
		    "line=%s suppressed=%lu", log_str(buf), held_unreported);
		held_unreported = 0;
	} else
		log_msg(level_of(level), "libwebsockets", "line=%s",
		    log_str(buf));
}

void
lwslog_init(int lll_mask)
{
	lws_set_log_level(lll_mask, emit);
}

void
lwslog_flush(void)
{
	if (held_unreported == 0)
		return;
	log_warn("libwebsockets lines suppressed", "count=%lu",
	    held_unreported);
	held_unreported = 0;
}

unsigned long
lwslog_suppressed(void)
{
	return held_total;
}
