/*
 * state: the --state file of kalshi-tap. The tap_state_* primitives (line
 * check, whole reads, appends, atomic rewrites with plain blocking calls:
 * a small local file, as output.c writes a regular-file stdout) never log;
 * state_load and state_append, on the tap, log and go on without the file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <jansson.h>

#include "errbuf.h"
#include "log.h"

#include "kalshi_parse.h"
#include "state.h"
#include "tap.h"

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

/* The tap's use of the file: the quote lines written, to seed a restart */

/* Rewrite once the appends pass this factor of the kept bytes. */
#define STATE_GROWTH	4
#define STATE_FLOOR	(1 << 20)	/* bytes appended before any rewrite */
#define STATE_MAX	((size_t)1 << 30)	/* a larger file is not read */

/*
 * Rewrites the state file from the quote history held, in write order.
 * Errors are logged; the quote stream goes on without the file. Returns 0
 * or -1.
 */
static int
state_rewrite(struct tap *t)
{
	const char *path = t->cfg->state;
	unsigned long long bytes = 0, n = 0;
	const struct hline *e;
	struct errbuf err;
	char tmp[4096];
	int fd;

	/* Whatever happens, wait for as many bytes again before retrying. */
	t->st_added = 0;
	if ((fd = tap_state_begin(path, tmp, sizeof(tmp), &err)) == -1)
		goto fail;
	for (e = t->hist.first; e != NULL; e = e->next) {
		if (tap_state_write(fd, e->line, e->len, &err) != 0) {
			tap_state_abort(fd, tmp);
			goto fail;
		}
		bytes += e->len;
		n++;
	}
	if (tap_state_commit(fd, tmp, path, &err) != 0)
		goto fail;
	/* The old descriptor appends to the file the rename replaced. */
	if (t->st_fd != -1)
		close(t->st_fd);
	if ((t->st_fd = tap_state_open(path, &err)) == -1)
		goto fail;
	t->st_kept = bytes;
	log_info("state file rewritten", "path=%s quotes=%llu bytes=%llu",
	    log_str(path), n, bytes);
	return 0;
fail:
	log_rl(&t->st_rl, LOG_LVL_WARN, "cannot rewrite state file",
	    "path=%s error=%s", log_str(path), log_str(err.msg));
	return -1;
}

/* Appends one quote line as written; rewrites the file when it grew. */
void
state_append(struct tap *t, const char *s, size_t len)
{
	struct errbuf err;

	if (t->cfg->state == NULL)
		return;
	if (t->st_fd == -1 &&
	    (t->st_fd = tap_state_open(t->cfg->state, &err)) == -1) {
		log_rl(&t->st_rl, LOG_LVL_WARN, "cannot open state file",
		    "path=%s error=%s", log_str(t->cfg->state),
		    log_str(err.msg));
		return;
	}
	if (tap_state_write(t->st_fd, s, len, &err) != 0) {
		log_rl(&t->st_rl, LOG_LVL_WARN, "cannot append to state file",
		    "path=%s error=%s", log_str(t->cfg->state),
		    log_str(err.msg));
		/* Reopen next time: a partial line ends at our next one. */
		close(t->st_fd);
		t->st_fd = -1;
		return;
	}
	t->st_added += len;
	if (t->st_added > STATE_GROWTH * t->st_kept + STATE_FLOOR)
		(void)state_rewrite(t);
}

/*
 * Seeds the quote history from the state file, newest max_history per
 * market, then rewrites the file with just those. Lines that are not our
 * quote lines (a partial last line after a kill, say) are skipped.
 */
void
state_load(struct tap *t)
{
	const char *path = t->cfg->state;
	unsigned long long kept = 0, bad = 0;
	char ticker[KALSHI_TICKER_MAX];
	char *buf, *p, *nl, *end;
	struct errbuf err, lerr;
	size_t len, i, nm = 0;
	int missing, partial = 0;
	struct mkt *m;
	int64_t ts = 0;

	lerr.msg[0] = '\0';
	if ((buf = tap_state_read(path, STATE_MAX, &len, &missing,
	    &err)) == NULL) {
		if (missing)
			log_info("no state file yet", "path=%s",
			    log_str(path));
		else
			log_warn("cannot read state file, starting empty",
			    "path=%s error=%s", log_str(path),
			    log_str(err.msg));
		return;
	}
	end = buf + len;
	for (p = buf; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL) {
			partial = 1;
			bad++;
			break;
		}
		if (tap_state_parse_line(p, (size_t)(nl - p + 1), ticker,
		    sizeof(ticker), &ts, &err) != 0) {
			if (bad++ == 0)
				lerr = err;
			continue;
		}
		if ((m = markets_find(t, ticker)) == NULL &&
		    (m = markets_add(t, ticker)) == NULL) {
			if (bad++ == 0)
				errbuf_set(&lerr, "too many markets");
			continue;
		}
		markets_hold(t, m, p, (size_t)(nl - p + 1), 1);
		/* Closed, as far as we know, since its newest quote. */
		if (ts > m->closed_ms)
			m->closed_ms = ts;
	}
	free(buf);
	for (i = 0; i < t->n_mk; i++) {
		kept += t->mk[i].h.n;
		nm += t->mk[i].h.n > 0;
	}
	if (bad > 0)
		log_warn("state file lines skipped", "path=%s skipped=%llu "
		    "partial_last=%d first=%s", log_str(path), bad, partial,
		    log_str(partial && bad == 1 ? "partial line" : lerr.msg));
	log_info("state loaded", "path=%s quotes=%llu markets=%zu",
	    log_str(path), kept, nm);
	/* Not rewritten: end a partial line, lest our first one join it. */
	if (state_rewrite(t) != 0 && partial)
		state_append(t, "\n", 1);
}
