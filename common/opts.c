/*
 * opts: a tool's option table run through getopt_long, range-checked
 * option values and the usage/version exits. Only the *_or_die helpers,
 * opts_init/opts_next and opt_usage_error/opt_version exit.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "opts.h"

static const char *prog_name = "courtside";
static const char *prog_usage = "";

void
opt_set_usage(const char *prog, const char *usage)
{
	prog_name = prog;
	prog_usage = usage;
}

/* Sets *errstr to "invalid" and returns -1: every unparsable value. */
static int
invalid(const char **errstr)
{
	*errstr = "invalid";
	return -1;
}

/* What no number may start with: nothing at all, or a space. */
static int
bad_start(const char *s)
{
	return s == NULL || *s == '\0' || *s == ' ';
}

/*
 * s's leading finite double into *v and where it stopped into *end;
 * 0, or -1 with *errstr "invalid" (no digits, out of range or not finite).
 */
static int
real_prefix(const char *s, double *v, char **end, const char **errstr)
{
	errno = 0;
	*v = strtod(s, end);
	if (*end == s || !isfinite(*v) || errno == ERANGE)
		return invalid(errstr);
	return 0;
}

/* v within [min, max]: 0, or -1 with *errstr "too small" / "too large". */
static int
in_range(double v, double min, double max, const char **errstr)
{
	if (v < min) {
		*errstr = "too small";
		return -1;
	}
	if (v > max) {
		*errstr = "too large";
		return -1;
	}
	return 0;
}

int
opt_int(const char *s, long long min, long long max, long long *out,
    const char **errstr)
{
	char *end;
	long long v;

	if (bad_start(s))
		return invalid(errstr);
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end != '\0')
		return invalid(errstr);
	if ((errno == ERANGE && v == LLONG_MIN) || v < min) {
		*errstr = "too small";
		return -1;
	}
	if ((errno == ERANGE && v == LLONG_MAX) || v > max) {
		*errstr = "too large";
		return -1;
	}
	*out = v;
	return 0;
}

int
opt_double(const char *s, double min, double max, double *out,
    const char **errstr)
{
	char *end;
	double v;

	if (bad_start(s) || real_prefix(s, &v, &end, errstr) == -1 ||
	    *end != '\0')
		return invalid(errstr);
	if (in_range(v, min, max, errstr) == -1)
		return -1;
	*out = v;
	return 0;
}

int
opt_duration_ms(const char *s, int64_t min_ms, int64_t max_ms, int64_t *out,
    const char **errstr)
{
	double v, scale;
	char *end;

	if (bad_start(s) || *s == '-' ||
	    real_prefix(s, &v, &end, errstr) == -1)
		return invalid(errstr);
	if (strcmp(end, "ms") == 0)
		scale = 1.0;
	else if (strcmp(end, "s") == 0 || *end == '\0')
		scale = 1000.0;
	else if (strcmp(end, "m") == 0)
		scale = 60000.0;
	else
		return invalid(errstr);
	v *= scale;
	if (in_range(v, (double)min_ms, (double)max_ms, errstr) == -1)
		return -1;
	*out = (int64_t)llround(v);
	return 0;
}

/* A host name's, an IPv4 or (in brackets) an IPv6 address's bytes. */
static int
host_char(char c, int v6)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_' ||
	    (v6 && (c == ':' || c == '%'));
}

int
opt_listen(const char *s, char *host, size_t hostsz, int *port,
    const char **errstr)
{
	const char *h = s, *p = s;
	size_t n = 0, i;
	long long v;
	int v6 = 0;

	if (hostsz > 0)
		host[0] = '\0';
	if (s == NULL || *s == '\0') {
		*errstr = "empty";
		return -1;
	}
	if (*s == '[') {
		const char *end = strchr(s, ']');

		if (end == NULL) {
			*errstr = "unclosed [ in host";
			return -1;
		}
		if (end[1] != ':') {
			*errstr = "want [host]:port";
			return -1;
		}
		h = s + 1;
		n = (size_t)(end - h);
		p = end + 2;
		v6 = 1;
		if (n == 0 || memchr(h, ':', n) == NULL) {
			*errstr = "want an IPv6 address in [ ]";
			return -1;
		}
	} else if ((p = strrchr(s, ':')) != NULL) {
		n = (size_t)(p - s);
		p++;
		if (n == 0) {
			*errstr = "missing host before ':'";
			return -1;
		}
		if (memchr(s, ':', n) != NULL) {
			*errstr = "an IPv6 address goes in [ ]";
			return -1;
		}
	} else
		p = s;
	if (n >= hostsz) {
		*errstr = "host too long";
		return -1;
	}
	for (i = 0; i < n; i++)
		if (!host_char(h[i], v6)) {
			*errstr = "bad character in host";
			return -1;
		}
	if (opt_int(p, 1, 65535, &v, errstr) == -1) {
		*errstr = "want a port from 1 to 65535";
		return -1;
	}
	memcpy(host, h, n);
	host[n] = '\0';
	*port = (int)v;
	return 0;
}

void
opt_listen_or_die(const char *s, char **host, int *port)
{
	char h[OPTS_HOST_MAX];
	const char *errstr;

	free(*host);
	*host = NULL;
	if (opt_listen(s, h, sizeof(h), port, &errstr) == -1)
		opt_usage_error("--listen %s: %s", s, errstr);
	if (h[0] != '\0' && (*host = strdup(h)) == NULL)
		opt_usage_error("--listen: out of memory");
}

void
opt_usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nusage: %s\n", prog_usage);
	exit(EXIT_USAGE);
}

void
opt_version(void)
{
	printf("%s courtside %s\n", prog_name, COURTSIDE_VERSION);
	exit(0);
}

long long
opt_int_or_die(const char *name, const char *s, long long min, long long max)
{
	const char *errstr;
	long long v;

	if (opt_int(s, min, max, &v, &errstr) == -1)
		opt_usage_error("%s %s: %s (%lld to %lld)", name, s, errstr,
		    min, max);
	return v;
}

double
opt_double_or_die(const char *name, const char *s, double min, double max)
{
	const char *errstr;
	double v;

	if (opt_double(s, min, max, &v, &errstr) == -1)
		opt_usage_error("%s %s: %s (%g to %g)", name, s, errstr,
		    min, max);
	return v;
}

int64_t
opt_duration_or_die(const char *name, const char *s, int64_t min_ms,
    int64_t max_ms)
{
	const char *errstr;
	int64_t v;

	if (opt_duration_ms(s, min_ms, max_ms, &v, &errstr) == -1)
		opt_usage_error("%s %s: %s (%lldms to %lldms)", name, s,
		    errstr, (long long)min_ms, (long long)max_ms);
	return v;
}

void
opts_init(struct opts_parse *p, const struct opts_row *rows, size_t n,
    int flags, int argc, char **argv)
{
	size_t i;
	char *sh;
	int arg;

	if (n > OPTS_MAX) {
		fprintf(stderr, "%s: %zu options, more than OPTS_MAX\n",
		    prog_name, n);
		exit(EXIT_SOFTWARE);
	}
	memset(p, 0, sizeof(*p));
	p->rows = rows;
	p->n = n;
	p->flags = flags;
	p->argc = argc;
	p->argv = argv;
	sh = p->shorts;
	for (i = 0; i < n; i++) {
		arg = rows[i].kind == OPTS_K_TOOL_ARG ||
		    rows[i].kind == OPTS_K_STR || rows[i].kind == OPTS_K_SIZE ||
		    rows[i].kind == OPTS_K_UINT || rows[i].kind == OPTS_K_INT ||
		    rows[i].kind == OPTS_K_MS;
		p->lo[i].name = rows[i].name;
		p->lo[i].has_arg = arg ? required_argument : no_argument;
		p->lo[i].val = rows[i].ch;
		if (rows[i].ch > 0 && rows[i].ch < 256) {
			*sh++ = (char)rows[i].ch;
			if (arg)
				*sh++ = ':';
		}
	}
	*sh = '\0';
	optind = 0;	/* glibc: a new parse, its state reset */
	opterr = !(flags & OPTS_NO_OPTERR);
}

/* Does what a plain row says with arg; a bad number exits 64. */
static void
apply(const struct opts_row *r, const char *arg)
{
	char name[80];

	snprintf(name, sizeof(name), "--%s", r->name);
	switch (r->kind) {
	case OPTS_K_STR:
		*(const char **)r->dst = arg;
		break;
	case OPTS_K_FLAG:
		*(int *)r->dst = 1;
		break;
	case OPTS_K_SIZE:
		*(size_t *)r->dst = (size_t)opt_int_or_die(name, arg, r->min,
		    r->max);
		break;
	case OPTS_K_UINT:
		*(unsigned *)r->dst = (unsigned)opt_int_or_die(name, arg,
		    r->min, r->max);
		break;
	case OPTS_K_INT:
		*(int *)r->dst = (int)opt_int_or_die(name, arg, r->min,
		    r->max);
		break;
	case OPTS_K_MS:
		*(int64_t *)r->dst = opt_duration_or_die(name, arg, r->min,
		    r->max);
		break;
	case OPTS_K_QUIET:
		log_quiet();
		break;
	case OPTS_K_VERBOSE:
		if (r->dst != NULL)
			(*(int *)r->dst)++;
		log_verbose();
		break;
	case OPTS_K_VERSION:
		opt_version();
	case OPTS_K_HELP:
		r->help();
		exit(0);
	case OPTS_K_TOOL:
	case OPTS_K_TOOL_ARG:
		break;
	}
}

int
opts_next(struct opts_parse *p)
{
	const struct opts_row *r;
	size_t i;
	int ch;

	for (;;) {
		p->arg = NULL;
		ch = getopt_long(p->argc, p->argv, p->shorts, p->lo, NULL);
		if (ch == -1)
			return -1;
		for (i = 0, r = NULL; i < p->n && r == NULL; i++)
			if (p->rows[i].ch == ch)
				r = &p->rows[i];
		if (r == NULL) {
			if (p->flags & OPTS_OWN_UNKNOWN)
				return '?';
			opt_usage_error("unknown option");
		}
		p->arg = optarg;
		if (r->kind == OPTS_K_TOOL || r->kind == OPTS_K_TOOL_ARG)
			return ch;
		apply(r, optarg);
	}
}
