/*
 * opts: range-checked option values and the usage/version exits.
 * Only the *_or_die helpers and opt_usage_error/opt_version exit.
 */
#include <errno.h>
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

int
opt_num(const struct opt_num *t, size_t n, int ch, const char *arg)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].ch == ch)
			break;
	if (i == n)
		return 0;
	switch (t[i].type) {
	case OPT_T_SIZE:
		*(size_t *)t[i].dst = (size_t)opt_int_or_die(t[i].name, arg,
		    t[i].min, t[i].max);
		break;
	case OPT_T_UINT:
		*(unsigned *)t[i].dst = (unsigned)opt_int_or_die(t[i].name,
		    arg, t[i].min, t[i].max);
		break;
	case OPT_T_INT:
		*(int *)t[i].dst = (int)opt_int_or_die(t[i].name, arg,
		    t[i].min, t[i].max);
		break;
	case OPT_T_MS:
		*(int64_t *)t[i].dst = opt_duration_or_die(t[i].name, arg,
		    t[i].min, t[i].max);
		break;
	}
	return 1;
}

int
opt_common(int ch, const char *arg, const struct opt_num *nums, size_t n)
{
	switch (ch) {
	case 'q':
		log_quiet();
		return 1;
	case 'v':
		log_verbose();
		return 1;
	case 'V':
		opt_version();
	default:
		return opt_num(nums, n, ch, arg);
	}
}
