/*
 * log: logfmt on stderr, one event per line, a constant msg and variables
 * as key=value pairs. Never writes to stdout.
 *
 *   ts=2025-06-01T00:06:11.412Z level=warn prog=espn-poll msg="fetch failed" status=503
 */
#ifndef COURTSIDE_LOG_H
#define COURTSIDE_LOG_H

#include <stdint.h>

enum log_level {
	LOG_LVL_ERROR = 0,
	LOG_LVL_WARN,
	LOG_LVL_INFO,
	LOG_LVL_DEBUG,
};

void	log_init(const char *prog, int level);
void	log_set_level(int level);
int	log_get_level(void);
/* -v raises the level by one step, -q lowers it. */
void	log_verbose(void);
void	log_quiet(void);

/*
 * kvfmt is a printf format of key=value pairs (may be NULL). Values that
 * may hold spaces or quotes go through log_str().
 */
void	log_msg(int level, const char *msg, const char *kvfmt, ...)
	    __attribute__((format(printf, 3, 4)));
#define log_error(msg, ...)	log_msg(LOG_LVL_ERROR, msg, __VA_ARGS__)
#define log_warn(msg, ...)	log_msg(LOG_LVL_WARN, msg, __VA_ARGS__)
#define log_info(msg, ...)	log_msg(LOG_LVL_INFO, msg, __VA_ARGS__)
#define log_debug(msg, ...)	log_msg(LOG_LVL_DEBUG, msg, __VA_ARGS__)

/*
 * Returns s quoted and escaped for logfmt when it needs quoting, else s.
 * The result lives in one of 8 rotating static buffers (truncated at
 * 512 bytes): use it within the same log call.
 */
const char *log_str(const char *s);

/*
 * Rate limit for repeated warnings: at most burst events per interval_ms;
 * the rest are counted and reported with the next event let through.
 */
struct ratelimit {
	int64_t		interval_ms;
	unsigned	burst;
	int64_t		window_start;
	unsigned	in_window;
	unsigned long	suppressed;
};
#define RATELIMIT_INIT(interval_ms, burst) { (interval_ms), (burst), 0, 0, 0 }

/*
 * Returns 1 when an event at now_ms may be logged, 0 when it must be
 * suppressed. *suppressed gets how many were held back since the last
 * one allowed (then reset).
 */
int	ratelimit_allow(struct ratelimit *rl, int64_t now_ms,
	    unsigned long *suppressed);

/* log_msg through a rate limit; adds suppressed=N when some were held back. */
void	log_rl(struct ratelimit *rl, int level, const char *msg,
	    const char *kvfmt, ...) __attribute__((format(printf, 4, 5)));

#endif
