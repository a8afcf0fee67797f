/*
 * lwslog: the one bridge from libwebsockets' own log to common/log.h.
 * Its lines become logfmt events (msg="libwebsockets", line=...), at most
 * LWSLOG_BURST a second: the rest are counted, never written one by one
 * (a refused accept at EMFILE otherwise logs millions of lines), and the
 * count goes out with the next line let through or from lwslog_flush().
 * Process-wide, like lws' own log setting; loop thread only.
 */
#ifndef COURTSIDE_LWSLOG_H
#define COURTSIDE_LWSLOG_H

#define LWSLOG_BURST	20	/* lines a second at most */

/*
 * Routes lws' log to ours for the lws levels in lll_mask (LLL_ERR |
 * LLL_WARN, say): LLL_ERR lines are errors, LLL_WARN warnings, the rest
 * debug. Call before creating the lws context.
 */
void	lwslog_init(int lll_mask);
/* Writes the count of lines held back since the last one, if any. */
void	lwslog_flush(void);
/* Lines held back since lwslog_init (for tests and metrics). */
unsigned long lwslog_suppressed(void);

#endif
