/*
 * fetch: libcurl multi-socket on libuv. curl tells us which sockets to
 * watch (uv_poll) and when to wake it (uv_timer); we never block. It must
 * not interpret bodies: callers get bytes and validators.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "fetch.h"

struct req {
	struct fetch	*f;
	CURL		*easy;
	struct curl_slist *hdrs;
	char		*body;
	size_t		 len, cap;
	int		 too_big;
	char		*etag, *last_modified;
	int64_t		 retry_after_ms;	/* -1: none */
	fetch_done_fn	 done;
	void		*arg;
	char		 errbuf[CURL_ERROR_SIZE];
	struct req	*next, *prev;
};

struct sock {
	uv_poll_t	 poll;
	struct fetch	*f;
	curl_socket_t	 fd;
};

struct fetch {
	uv_loop_t	*loop;
	CURLM		*multi;
	uv_timer_t	 timer;
	char		*user_agent;
	char		*ca_file;
	unsigned long long started;
	long		 timeout_ms, connect_timeout_ms;
	size_t		 max_body;
	struct req	*reqs;
	size_t		 nreqs;
	unsigned	 open_handles;	/* timer + polls not yet closed */
	int		 freeing;
};

static int	curl_global_done;

static void
maybe_free(struct fetch *f)
{
	if (f->freeing && f->open_handles == 0) {
		free(f->user_agent);
		free(f->ca_file);
		free(f);
		if (curl_global_done) {
			curl_global_cleanup();
			curl_global_done = 0;
		}
	}
}

static void
handle_closed(uv_handle_t *h)
{
	struct fetch *f;

	if (h->type == UV_POLL) {
		struct sock *s = h->data;

		f = s->f;
		free(s);
	} else
		f = h->data;
	f->open_handles--;
	maybe_free(f);
}

static void
req_free(struct req *r)
{
	struct fetch *f = r->f;

	if (r->prev)
		r->prev->next = r->next;
	else
		f->reqs = r->next;
	if (r->next)
		r->next->prev = r->prev;
	f->nreqs--;
	curl_multi_remove_handle(f->multi, r->easy);
	curl_easy_cleanup(r->easy);
	curl_slist_free_all(r->hdrs);
	free(r->body);
	free(r->etag);
	free(r->last_modified);
	free(r);
}

static size_t
on_body(char *data, size_t size, size_t nmemb, void *arg)
{
	struct req *r = arg;
	size_t n = size * nmemb, cap;
	char *nb;

	if (r->len + n + 1 > r->f->max_body) {
		r->too_big = 1;
		return 0;		/* aborts the transfer */
	}
	if (r->len + n + 1 > r->cap) {
		cap = r->cap ? r->cap : 64 * 1024;
		while (cap < r->len + n + 1)
			cap *= 2;
		if ((nb = realloc(r->body, cap)) == NULL)
			return 0;
		r->body = nb;
		r->cap = cap;
	}
	memcpy(r->body + r->len, data, n);
	r->len += n;
	r->body[r->len] = '\0';
	return n;
}

/* Copies a header value without surrounding blanks. */
static char *
header_value(const char *line, size_t n, size_t name_len)
{
	const char *v = line + name_len, *end = line + n;
	char *s;

	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && isspace((unsigned char)end[-1]))
		end--;
	if ((s = malloc((size_t)(end - v) + 1)) == NULL)
		return NULL;
	memcpy(s, v, (size_t)(end - v));
	s[end - v] = '\0';
	return s;
}

/*
 * A Retry-After value (RFC 9110 §10.2.3: delay-seconds or an HTTP date)
 * as a delay in ms from now, at most a day; -1 when it is neither.
 */
static int64_t
retry_after(const char *v)
{
	char *end;
	long long secs;
	time_t when;

	if (*v >= '0' && *v <= '9') {
		secs = strtoll(v, &end, 10);
		if (*end != '\0')
			return -1;
	} else {
		if ((when = curl_getdate(v, NULL)) == -1)
			return -1;
		secs = (long long)(when - time(NULL));
		if (secs < 0)
			secs = 0;
	}
	return (secs > 86400 ? 86400 : secs) * 1000;
}

static size_t
on_header(char *line, size_t size, size_t nmemb, void *arg)
{
	struct req *r = arg;
	size_t n = size * nmemb;

	/* A new response (redirect, 100-continue) starts over. */
	if (n >= 5 && strncmp(line, "HTTP/", 5) == 0) {
		free(r->etag);
		free(r->last_modified);
		r->etag = r->last_modified = NULL;
		r->retry_after_ms = -1;
	} else if (n > 12 && strncasecmp(line, "Retry-After:", 12) == 0 &&
	    n < 256) {
		char *v = header_value(line, n, 12);

		r->retry_after_ms = v != NULL ? retry_after(v) : -1;
		free(v);
	} else if (n > 5 && strncasecmp(line, "ETag:", 5) == 0 &&
	    n < 1024) {
		free(r->etag);
		r->etag = header_value(line, n, 5);
	} else if (n > 14 && strncasecmp(line, "Last-Modified:", 14) == 0 &&
	    n < 1024) {
		free(r->last_modified);
		r->last_modified = header_value(line, n, 14);
	}
	return n;
}

static void
check_done(struct fetch *f)
{
	struct fetch_result res;
	struct req *r;
	CURLMsg *msg;
	curl_off_t wire = 0;
	int left;
	char err[CURL_ERROR_SIZE + 64];

	while ((msg = curl_multi_info_read(f->multi, &left)) != NULL) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &r);
		memset(&res, 0, sizeof(res));
		res.retry_after_ms = -1;
		curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &res.status);
		curl_easy_getinfo(r->easy, CURLINFO_SIZE_DOWNLOAD_T, &wire);
		res.wire_bytes = (long long)wire;
		if (msg->data.result == CURLE_OK) {
			res.ok = 1;
			res.not_modified = res.status == 304;
			res.body = r->body ? r->body : "";
			res.len = r->len;
			res.etag = r->etag;
			res.last_modified = r->last_modified;
			res.retry_after_ms = r->retry_after_ms;
		} else {
			if (r->too_big)
				snprintf(err, sizeof(err),
				    "body larger than %zu bytes", f->max_body);
			else
				snprintf(err, sizeof(err), "%s",
				    r->errbuf[0] ? r->errbuf :
				    curl_easy_strerror(msg->data.result));
			res.error = err;
		}
		r->done(r->arg, &res);
		/* done may have freed f's requests only through fetch_free,
		 * which sets freeing and empties the list. */
		if (f->freeing)
			return;
		req_free(r);
	}
}

static void
on_timer(uv_timer_t *t)
{
	struct fetch *f = t->data;
	int running;

	curl_multi_socket_action(f->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	check_done(f);
}

static int
timer_cb(CURLM *multi, long timeout_ms, void *arg)
{
	struct fetch *f = arg;

	if (f->freeing)
		return 0;
	if (timeout_ms < 0)
		uv_timer_stop(&f->timer);
	else
		uv_timer_start(&f->timer, on_timer, (uint64_t)timeout_ms, 0);
	return 0;
}

static void
on_poll(uv_poll_t *p, int status, int events)
{
	struct sock *s = p->data;
	struct fetch *f = s->f;
	int flags = 0, running;

	if (status < 0)
		flags = CURL_CSELECT_IN;	/* let curl find the reason */
	if (events & UV_READABLE)
		flags |= CURL_CSELECT_IN;
	if (events & UV_WRITABLE)
		flags |= CURL_CSELECT_OUT;
	curl_multi_socket_action(f->multi, s->fd, flags, &running);
	check_done(f);
}

static int
socket_cb(CURL *easy, curl_socket_t fd, int what, void *arg, void *sockp)
{
	struct fetch *f = arg;
	struct sock *s = sockp;
	int events = 0;

	if (what == CURL_POLL_REMOVE) {
		if (s != NULL) {
			uv_poll_stop(&s->poll);
			uv_close((uv_handle_t *)&s->poll, handle_closed);
			curl_multi_assign(f->multi, fd, NULL);
		}
		return 0;
	}
	if (s == NULL) {
		if ((s = calloc(1, sizeof(*s))) == NULL)
			return -1;
		s->f = f;
		s->fd = fd;
		if (uv_poll_init_socket(f->loop, &s->poll, fd) != 0) {
			free(s);
			return -1;
		}
		s->poll.data = s;
		f->open_handles++;
		curl_multi_assign(f->multi, fd, s);
	}
	if (what == CURL_POLL_IN || what == CURL_POLL_INOUT)
		events |= UV_READABLE;
	if (what == CURL_POLL_OUT || what == CURL_POLL_INOUT)
		events |= UV_WRITABLE;
	uv_poll_start(&s->poll, events, on_poll);
	return 0;
}

struct fetch *
fetch_new(uv_loop_t *loop, const struct fetch_cfg *cfg, struct errbuf *err)
{
	struct fetch *f;

	if (!curl_global_done) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
			errbuf_set(err, "curl_global_init failed");
			return NULL;
		}
		curl_global_done = 1;
	}
	if ((f = calloc(1, sizeof(*f))) == NULL ||
	    (f->user_agent = strdup(cfg->user_agent)) == NULL ||
	    (cfg->ca_file != NULL &&
	    (f->ca_file = strdup(cfg->ca_file)) == NULL)) {
		if (f != NULL)
			free(f->user_agent);
		free(f);
		errbuf_set(err, "out of memory");
		return NULL;
	}
	f->loop = loop;
	f->timeout_ms = cfg->timeout_ms > 0 ? (long)cfg->timeout_ms : 10000;
	f->connect_timeout_ms = cfg->connect_timeout_ms > 0 ?
	    (long)cfg->connect_timeout_ms : 5000;
	f->max_body = cfg->max_body ? cfg->max_body : 16u << 20;
	if ((f->multi = curl_multi_init()) == NULL) {
		free(f->user_agent);
		free(f->ca_file);
		free(f);
		errbuf_set(err, "curl_multi_init failed");
		return NULL;
	}
	uv_timer_init(loop, &f->timer);
	f->timer.data = f;
	f->open_handles = 1;
	curl_multi_setopt(f->multi, CURLMOPT_SOCKETFUNCTION, socket_cb);
	curl_multi_setopt(f->multi, CURLMOPT_SOCKETDATA, f);
	curl_multi_setopt(f->multi, CURLMOPT_TIMERFUNCTION, timer_cb);
	curl_multi_setopt(f->multi, CURLMOPT_TIMERDATA, f);
	curl_multi_setopt(f->multi, CURLMOPT_MAX_HOST_CONNECTIONS, 4L);
	return f;
}

static int
add_header(struct req *r, const char *name, const char *value)
{
	char line[1200];
	struct curl_slist *l;

	if (value == NULL || *value == '\0')
		return 0;
	if ((size_t)snprintf(line, sizeof(line), "%s: %s", name, value) >=
	    sizeof(line))
		return 0;	/* a validator that long is not worth sending */
	if ((l = curl_slist_append(r->hdrs, line)) == NULL)
		return -1;
	r->hdrs = l;
	return 0;
}

int
fetch_get(struct fetch *f, const char *url, const char *etag,
    const char *last_modified, fetch_done_fn done, void *arg,
    struct errbuf *err)
{
	struct req *r;
	CURL *e;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return errbuf_set(err, "out of memory");
	if ((e = curl_easy_init()) == NULL) {
		free(r);
		return errbuf_set(err, "curl_easy_init failed");
	}
	r->f = f;
	r->retry_after_ms = -1;
	r->easy = e;
	r->done = done;
	r->arg = arg;
	/* If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2). */
	if (add_header(r, "If-None-Match", etag) == -1 ||
	    (etag == NULL && add_header(r, "If-Modified-Since",
	    last_modified) == -1)) {
		curl_slist_free_all(r->hdrs);
		curl_easy_cleanup(e);
		free(r);
		return errbuf_set(err, "out of memory");
	}
	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, r);
	curl_easy_setopt(e, CURLOPT_USERAGENT, f->user_agent);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "gzip");
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, r->hdrs);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, r->errbuf);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, f->timeout_ms);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, f->connect_timeout_ms);
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(e, CURLOPT_MAXREDIRS, 3L);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https,file");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	if (f->ca_file != NULL)
		curl_easy_setopt(e, CURLOPT_CAINFO, f->ca_file);
	r->next = f->reqs;
	if (f->reqs)
		f->reqs->prev = r;
	f->reqs = r;
	f->nreqs++;
	if (curl_multi_add_handle(f->multi, e) != CURLM_OK) {
		r->done = NULL;
		req_free(r);
		return errbuf_set(err, "curl_multi_add_handle failed");
	}
	f->started++;
	return 0;
}

unsigned long long
fetch_count(const struct fetch *f)
{
	return f->started;
}

void
fetch_free(struct fetch *f)
{
	struct req *r, *next;

	if (f == NULL || f->freeing)
		return;
	/* Removing the handles makes curl close the polls (REMOVE). */
	for (r = f->reqs; r != NULL; r = next) {
		next = r->next;
		req_free(r);
	}
	f->freeing = 1;
	curl_multi_cleanup(f->multi);
	f->multi = NULL;
	uv_timer_stop(&f->timer);
	uv_close((uv_handle_t *)&f->timer, handle_closed);
}
