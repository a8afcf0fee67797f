/*
 * redis_url: the redis://[HOST][:PORT]/NAME parser. Pure; must not look
 * names up or touch the network (redis.c does that).
 */
#include <stdio.h>
#include <string.h>

#include "redis_url.h"

#define SCHEME		"redis://"
#define SCHEME_LEN	8

int
redis_url_is(const char *s)
{
	return s != NULL && strncmp(s, SCHEME, SCHEME_LEN) == 0;
}

static int
host_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
}

static int
name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
}

static int
v6_char(char c)
{
	return (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') ||
	    (c >= '0' && c <= '9') || c == ':' || c == '.';
}

int
redis_url_parse(const char *s, struct redis_url *u, struct errbuf *err)
{
	const char *p, *h, *he, *slash;
	size_t n;
	long port = REDIS_URL_DEFAULT_PORT;

	memset(u, 0, sizeof(*u));
	if (!redis_url_is(s))
		return errbuf_set(err, "want redis://[HOST][:PORT]/NAME");
	p = s + SCHEME_LEN;
	if ((slash = strchr(p, '/')) == NULL)
		return errbuf_set(err, "missing /NAME");
	if (*p == '[') {
		h = p + 1;
		if ((he = memchr(h, ']', (size_t)(slash - h))) == NULL)
			return errbuf_set(err, "unclosed [ in host");
		for (const char *c = h; c < he; c++)
			if (!v6_char(*c))
				return errbuf_set(err, "bad IPv6 address");
		if (he == h)
			return errbuf_set(err, "empty IPv6 address");
		p = he + 1;
	} else {
		h = p;
		while (p < slash && *p != ':') {
			if (!host_char(*p))
				return errbuf_set(err, "bad character in host");
			p++;
		}
		he = p;
	}
	n = (size_t)(he - h);
	if (n > REDIS_URL_HOST_MAX)
		return errbuf_set(err, "host too long");
	if (n == 0)
		strcpy(u->host, REDIS_URL_DEFAULT_HOST);
	else {
		memcpy(u->host, h, n);
		u->host[n] = '\0';
	}
	if (p < slash) {
		if (*p != ':')
			return errbuf_set(err, "junk after host");
		p++;
		if (p == slash)
			return errbuf_set(err, "empty port");
		port = 0;
		for (; p < slash; p++) {
			if (*p < '0' || *p > '9')
				return errbuf_set(err, "bad port");
			port = port * 10 + (*p - '0');
			if (port > 65535)
				return errbuf_set(err, "port out of range");
		}
		if (port == 0)
			return errbuf_set(err, "port out of range");
	}
	u->port = (int)port;
	p = slash + 1;
	n = strlen(p);
	if (n == 0)
		return errbuf_set(err, "missing NAME after /");
	if (n > REDIS_URL_NAME_MAX)
		return errbuf_set(err, "NAME longer than %d", REDIS_URL_NAME_MAX);
	for (size_t i = 0; i < n; i++)
		if (!name_char(p[i]))
			return errbuf_set(err, "bad character in NAME");
	memcpy(u->name, p, n + 1);
	return 0;
}

static int
fits(int n, size_t len)
{
	return n >= 0 && (size_t)n < len ? 0 : -1;
}

int
redis_url_game_key(const struct redis_url *u, const char *id, char *buf,
    size_t len)
{
	return fits(snprintf(buf, len, "%s:game:%s", u->name, id), len);
}

int
redis_url_index_key(const struct redis_url *u, char *buf, size_t len)
{
	return fits(snprintf(buf, len, "%s:games", u->name), len);
}
