/*
 * opts: the small pieces every main() needs around getopt_long: range
 * checked numbers, usage errors (exit 64), --help and --version.
 */
#ifndef COURTSIDE_OPTS_H
#define COURTSIDE_OPTS_H

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

/*
 * The options that are only a number in a range, as a table a tool keeps
 * beside its longopts: getopt_long's value, the name the usage error
 * says, the range (a duration's in ms) and where the value goes. Rows
 * are made with the OPT_NUM_* macros, which check dst's type.
 */
enum opt_num_type {
	OPT_T_SIZE,		/* size_t, opt_int */
	OPT_T_UINT,		/* unsigned, opt_int */
	OPT_T_INT,		/* int, opt_int */
	OPT_T_MS,		/* int64_t, opt_duration_ms */
};
struct opt_num {
	const char		*name;
	long long		 min, max;
	void			*dst;	/* borrowed */
	int			 ch;
	enum opt_num_type	 type;
};
/* A pointer of any other type than the macro's is a compile error. */
#define OPT_NUM_ROW(ch, name, min, max, type, ctype, dst)		\
	{ (name), (min), (max), 1 ? (dst) : (ctype *)NULL, (ch), (type) }
#define OPT_NUM_SIZE(ch, name, min, max, dst)				\
	OPT_NUM_ROW(ch, name, min, max, OPT_T_SIZE, size_t, dst)
#define OPT_NUM_UINT(ch, name, min, max, dst)				\
	OPT_NUM_ROW(ch, name, min, max, OPT_T_UINT, unsigned, dst)
#define OPT_NUM_INT(ch, name, min, max, dst)				\
	OPT_NUM_ROW(ch, name, min, max, OPT_T_INT, int, dst)
#define OPT_NUM_MS(ch, name, min, max, dst)				\
	OPT_NUM_ROW(ch, name, min, max, OPT_T_MS, int64_t, dst)
#define OPT_NUM_N(t)	(sizeof(t) / sizeof((t)[0]))

/*
 * When ch is the option of one of t's n rows: stores arg's value through
 * its dst, or exits 64 as opt_int_or_die and opt_duration_or_die do,
 * and returns 1. Else 0, nothing touched.
 */
int	opt_num(const struct opt_num *t, size_t n, int ch, const char *arg);

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
 * line when s is bad. *host is a new string (free() it), or NULL for
 * every interface.
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

/* Their rows in a tool's opt_num table, the same range everywhere. */
#define OPT_NUM_READY_FD(dst)						\
	OPT_NUM_INT(OPTS_READY_FD, "--ready-fd", 0, OPTS_READY_FD_MAX, dst)
#define OPT_NUM_GIVE_UP(dst)						\
	OPT_NUM_UINT('G', "--give-up", 0, OPTS_GIVE_UP_MAX, dst)
/*
 * What every tool parses alike: -q, -v and -V, then its numbers (the n
 * rows of nums, as opt_num: its limits, --ready-fd, --give-up). Returns
 * 1 when ch was one of them (handled: -V exits, a bad value exits 64),
 * else 0.
 */
int	opt_common(int ch, const char *arg, const struct opt_num *nums,
	    size_t n);

#endif
