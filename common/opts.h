/*
 * opts: what every main() needs around getopt_long: the one option
 * table a tool keeps, range checked numbers, usage errors (exit 64) and
 * --version. Only the *_or_die helpers, opts_next and opt_usage_error /
 * opt_version exit.
 */
#ifndef COURTSIDE_OPTS_H
#define COURTSIDE_OPTS_H

#include <getopt.h>
#include <stddef.h>
#include <stdint.h>

/* sysexits.h values, as DESIGN.md lists them. */
#define EXIT_USAGE	64
#define EXIT_DATAERR	65
#define EXIT_UNAVAIL	69
#define EXIT_SOFTWARE	70
#define EXIT_OSERR	71
#define EXIT_IOERR	74
#define EXIT_CONFIG	78

/*
 * Parses s as a decimal integer in [min, max]. Returns 0, or -1 with
 * *errstr set to "invalid", "too small" or "too large".
 */
int	opt_int(const char *s, long long min, long long max, long long *out,
	    const char **errstr);
/* The same for a finite double in [min, max]. */
int	opt_double(const char *s, double min, double max, double *out,
	    const char **errstr);
/*
 * Parses a duration: a number with an optional unit ms, s (default), m;
 * fractions allowed ("0.5s", "250ms"). Returns 0 or -1 as above.
 */
int	opt_duration_ms(const char *s, int64_t min_ms, int64_t max_ms,
	    int64_t *out, const char **errstr);

/*
 * The same three, exiting 64 with "prog: --name: reason" and the usage
 * line on stderr when the value is bad.
 */
long long opt_int_or_die(const char *name, const char *s, long long min,
	    long long max);
double	opt_double_or_die(const char *name, const char *s, double min,
	    double max);
int64_t	opt_duration_or_die(const char *name, const char *s, int64_t min_ms,
	    int64_t max_ms);

/* A listen address's host: at most this many bytes with the NUL. */
#define OPTS_HOST_MAX	256
/*
 * Parses -l, --listen's [host:]port: a port alone (every interface), or
 * a host name or IPv4 address, ':' and a port, or an IPv6 address in
 * brackets, ':' and a port ("[::1]:8080"). The port is 1 to 65535.
 * Fills host (hostsz bytes with the NUL; the brackets dropped; "" for
 * every interface) and *port. Pure. Returns 0, or -1 with *errstr set
 * to the reason.
 */
int	opt_listen(const char *s, char *host, size_t hostsz, int *port,
	    const char **errstr);
/*
 * The same, exiting 64 with "prog: --listen S: reason" and the usage
 * line when s is bad. Frees *host (NULL, or a former call's), then sets
 * it to a new string (free() it), or NULL for every interface.
 */
void	opt_listen_or_die(const char *s, char **host, int *port);

/* Set once by main: the program name and its one-line usage (SYNOPSIS). */
void	opt_set_usage(const char *prog, const char *usage);
/* Prints "prog: message" and the usage line to stderr, exits 64. */
void	opt_usage_error(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
/* Prints "prog courtside VERSION" to stdout, exits 0. */
void	opt_version(void) __attribute__((noreturn));

/*
 * One letter is one option in every tool (the table in courtside(7));
 * what several tools have is parsed here, with the same range everywhere.
 */

/* The long-only option every service has: --ready-fd N (0 .. 2^20). */
#define OPTS_READY_FD	0x1ff
#define OPTS_READY_FD_MAX	(1 << 20)
/* -G, --give-up N: failures in a row before exit 69; 0 never. */
#define OPTS_GIVE_UP_MAX	1000000

/*
 * One table per tool: a row an option (getopt_long lists the matches of
 * an ambiguous prefix in the table's order).
 * The row says the long name, the letter (a short option too) or a value
 * from 256 up (long only), and what the option does:
 *   OPTS_STR	stores its argument (borrowed from argv) in a const char *
 *   OPTS_FLAG	sets an int to 1
 *   OPTS_SIZE, OPTS_UINT, OPTS_INT, OPTS_MS
 *		a number in [min, max] (a duration's in ms) into a size_t,
 *		unsigned, int or int64_t; a bad one exits 64 with
 *		"prog: --name value: reason (min to max)" and the usage line
 *   OPTS_TOOL, OPTS_TOOL_ARG
 *		nothing: opts_next hands it to the tool (without, with an
 *		argument)
 *   OPTS_HELP(fn)	-h, --help: calls fn (it prints the help), exits 0
 *   OPTS_ROW_QUIET, OPTS_ROW_VERBOSE(dst), OPTS_ROW_VERSION
 *		-q, -v (counted in *dst too unless dst is NULL), -V (exits 0)
 *   OPTS_ROW_READY_FD(dst), OPTS_ROW_GIVE_UP(dst)
 *		--ready-fd and -G, the same range in every tool
 * The macros check dst's type: a pointer of another type is a compile
 * error. The table and every dst are the tool's, borrowed while opts_next
 * runs.
 */
enum opts_kind {
	OPTS_K_TOOL,		/* no argument; the tool's */
	OPTS_K_TOOL_ARG,	/* an argument; the tool's */
	OPTS_K_STR,		/* const char * */
	OPTS_K_FLAG,		/* int, set to 1 */
	OPTS_K_SIZE,		/* size_t, opt_int */
	OPTS_K_UINT,		/* unsigned, opt_int */
	OPTS_K_INT,		/* int, opt_int */
	OPTS_K_MS,		/* int64_t, opt_duration_ms */
	OPTS_K_QUIET,
	OPTS_K_VERBOSE,		/* int, counted, or NULL */
	OPTS_K_VERSION,
	OPTS_K_HELP,
};
struct opts_row {
	const char	*name;		/* without the "--" */
	void		*dst;		/* borrowed; NULL for the tool's */
	void		(*help)(void);	/* OPTS_HELP's, else NULL */
	long long	 min, max;
	int		 ch;
	enum opts_kind	 kind;
};
#define OPTS_ROW(ch, name, kind, ctype, dst, min, max)			\
	{ (name), 1 ? (dst) : (ctype *)NULL, NULL, (min), (max), (ch),	\
	    (kind) }
#define OPTS_TOOL(ch, name)						\
	OPTS_ROW(ch, name, OPTS_K_TOOL, void, NULL, 0, 0)
#define OPTS_TOOL_ARG(ch, name)						\
	OPTS_ROW(ch, name, OPTS_K_TOOL_ARG, void, NULL, 0, 0)
#define OPTS_STR(ch, name, dst)						\
	OPTS_ROW(ch, name, OPTS_K_STR, const char *, dst, 0, 0)
#define OPTS_FLAG(ch, name, dst)					\
	OPTS_ROW(ch, name, OPTS_K_FLAG, int, dst, 0, 0)
#define OPTS_SIZE(ch, name, min, max, dst)				\
	OPTS_ROW(ch, name, OPTS_K_SIZE, size_t, dst, min, max)
#define OPTS_UINT(ch, name, min, max, dst)				\
	OPTS_ROW(ch, name, OPTS_K_UINT, unsigned, dst, min, max)
#define OPTS_INT(ch, name, min, max, dst)				\
	OPTS_ROW(ch, name, OPTS_K_INT, int, dst, min, max)
#define OPTS_MS(ch, name, min, max, dst)				\
	OPTS_ROW(ch, name, OPTS_K_MS, int64_t, dst, min, max)
#define OPTS_HELP(fn)							\
	{ "help", NULL, (fn), 0, 0, 'h', OPTS_K_HELP }
#define OPTS_ROW_QUIET							\
	OPTS_ROW('q', "quiet", OPTS_K_QUIET, void, NULL, 0, 0)
#define OPTS_ROW_VERBOSE(dst)						\
	OPTS_ROW('v', "verbose", OPTS_K_VERBOSE, int, dst, 0, 0)
#define OPTS_ROW_VERSION						\
	OPTS_ROW('V', "version", OPTS_K_VERSION, void, NULL, 0, 0)
#define OPTS_ROW_READY_FD(dst)						\
	OPTS_INT(OPTS_READY_FD, "ready-fd", 0, OPTS_READY_FD_MAX, dst)
#define OPTS_ROW_GIVE_UP(dst)						\
	OPTS_UINT('G', "give-up", 0, OPTS_GIVE_UP_MAX, dst)
#define OPTS_N(t)	(sizeof(t) / sizeof((t)[0]))

/* The rows a table may have at the most. */
#define OPTS_MAX	48

/* opts_init's flags. */
#define OPTS_OWN_UNKNOWN 0x1	/* opts_next returns '?' (see there) */
#define OPTS_NO_OPTERR	0x2	/* getopt_long says nothing (opterr 0) */

/*
 * The parse of one command line, on the caller's stack: opts_init fills
 * it, opts_next reads argv with it. arg is the argument of the option
 * opts_next last returned (borrowed from argv), or NULL.
 */
struct opts_parse {
	const char		*arg;
	const struct opts_row	*rows;		/* borrowed */
	char			**argv;		/* borrowed */
	size_t			 n;
	int			 argc;
	int			 flags;
	struct option		 lo[OPTS_MAX + 1];
	char			 shorts[2 * OPTS_MAX + 1];
};

/*
 * Builds getopt_long's table and short string from the n rows (borrowed
 * until the last opts_next); more than OPTS_MAX rows is a bug and exits
 * 70. Sets optind to 0: a new parse, getopt_long's state reset.
 */
void	opts_init(struct opts_parse *p, const struct opts_row *rows, size_t n,
	    int flags, int argc, char **argv);
/*
 * Runs getopt_long until an option that is the tool's: does each plain
 * row itself (a bad number exits 64), returns the tool's option's ch
 * (its argument in p->arg), or -1 when the options are done (optind
 * is then the first operand, getopt_long having moved them last).
 * An unknown option or a missing argument: getopt_long's message, then
 * "prog: unknown option" and the usage line, exit 64; with
 * OPTS_OWN_UNKNOWN it returns '?' instead, for the tool to say (optopt
 * and optind as getopt_long left them).
 */
int	opts_next(struct opts_parse *p);

#endif
