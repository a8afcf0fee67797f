/*
 * tap_state: the --state file of kalshi-tap: line check, whole reads,
 * appends and atomic rewrites with plain blocking calls (a small local
 * file, as output.c writes a regular-file stdout). Never logs.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <jansson.h>

#include "kalshi_parse.h"
#include "tap_state.h"

int
tap_state_parse_line(const char *line, size_t len, char *ticker,
    size_t tlen, int64_t *ts, struct errbuf *err)
{
	json_error_t jerr;
	json_t *doc, *v;
	const char *s;
	int rc = -1;

	if (len == 0 || line[len - 1] != '\n')
		return errbuf_set(err, "partial line");
	if ((doc = json_loadb(line, len, 0, &jerr)) == NULL)
		return errbuf_set(err, "not JSON: %s", jerr.text);
	if (!json_is_object(doc)) {
		errbuf_set(err, "not an object");
		goto out;
	}
	if ((s = json_string_value(json_object_get(doc, "type"))) == NULL ||
	    strcmp(s, "quote") != 0) {
		errbuf_set(err, "not a quote line");
		goto out;
	}
	if ((s = json_string_value(json_object_get(doc, "src"))) == NULL ||
	    strcmp(s, "kalshi") != 0) {
		errbuf_set(err, "not from kalshi");
		goto out;
	}
	if ((v = json_object_get(doc, "ts")) == NULL || !json_is_integer(v)) {
		errbuf_set(err, "no integer ts");
		goto out;
	}
	if ((s = json_string_value(json_object_get(doc, "ticker"))) == NULL ||
	    !kalshi_ticker_ok(s) || strlen(s) >= tlen) {
		errbuf_set(err, "no usable ticker");
		goto out;
	}
	memcpy(ticker, s, strlen(s) + 1);
	*ts = (int64_t)json_integer_value(v);
	rc = 0;
out:
	json_decref(doc);
	return rc;
}

char *
tap_state_read(const char *path, size_t max, size_t *len, int *missing,
    struct errbuf *err)
{
	struct stat st;
	char *buf = NULL;
	size_t off = 0, cap;
	ssize_t n;
	int fd;

	*missing = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno == ENOENT)
			*missing = 1;
		errbuf_set(err, "open: %s", strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) == -1) {
		errbuf_set(err, "fstat: %s", strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		errbuf_set(err, "not a regular file");
		goto fail;
	}
	if ((unsigned long long)st.st_size > max) {
		errbuf_set(err, "larger than %zu bytes", max);
		goto fail;
	}
	cap = (size_t)st.st_size + 1;
	if ((buf = malloc(cap)) == NULL) {
		errbuf_set(err, "out of memory");
		goto fail;
	}
	/* Stop at the size seen: nothing else writes this file. */
	while (off < cap - 1) {
		n = read(fd, buf + off, cap - 1 - off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			errbuf_set(err, "read: %s", strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		off += (size_t)n;
	}
	close(fd);
	buf[off] = '\0';
	*len = off;
	return buf;
fail:
	free(buf);
	close(fd);
	return NULL;
}

int
tap_state_open(const char *path, struct errbuf *err)
{
	int fd;

	if ((fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
	    0600)) == -1)
		return errbuf_set(err, "open: %s", strerror(errno));
	return fd;
}

int
tap_state_write(int fd, const char *s, size_t len, struct errbuf *err)
{
	ssize_t n;

	while (len > 0) {
		if ((n = write(fd, s, len)) == -1) {
			if (errno == EINTR)
				continue;
			return errbuf_set(err, "write: %s", strerror(errno));
		}
		s += n;
		len -= (size_t)n;
	}
	return 0;
}

int
tap_state_begin(const char *path, char *tmp, size_t tlen,
    struct errbuf *err)
{
	int fd, w;

	w = snprintf(tmp, tlen, "%s.tmp", path);
	if (w < 0 || (size_t)w >= tlen)
		return errbuf_set(err, "path too long");
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0600)) == -1)
		return errbuf_set(err, "open %s: %s", tmp, strerror(errno));
	return fd;
}

int
tap_state_commit(int fd, const char *tmp, const char *path,
    struct errbuf *err)
{
	if (fsync(fd) == -1) {
		errbuf_set(err, "fsync: %s", strerror(errno));
		tap_state_abort(fd, tmp);
		return -1;
	}
	if (close(fd) == -1) {
		errbuf_set(err, "close: %s", strerror(errno));
		(void)unlink(tmp);
		return -1;
	}
	if (rename(tmp, path) == -1) {
		errbuf_set(err, "rename: %s", strerror(errno));
		(void)unlink(tmp);
		return -1;
	}
	return 0;
}

void
tap_state_abort(int fd, const char *tmp)
{
	if (fd >= 0)
		close(fd);
	(void)unlink(tmp);
}
