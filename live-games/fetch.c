/*
 * fetch: libcurl multi on libuv. curl tells us which sockets to watch
 * (socket callback) and when to wake it (timer callback); we tell curl
 * what happened. One uv_poll per curl socket, freed in its close callback.
 */
#include <stdlib.h>
#include <string.h>
#include <curl/curl.h>

#include "fetch.h"

struct xfer {
	struct fetch	*f;
	CURL		*easy;
	fetch_done_fn	 done;
	void		*arg;
	char		*buf;
	size_t		 len, cap;
	int		 too_big;
	char		 errmsg[CURL_ERROR_SIZE];
	struct xfer	*next;
};

struct sock {
	uv_poll_t	 poll;
	curl_socket_t	 fd;
	struct fetch	*f;
};

struct fetch {
	uv_loop_t		*loop;
	CURLM			*multi;
	uv_timer_t		*timer;
	char			*user_agent;
	long			 timeout_ms;
	size_t			 max_body;
	struct xfer		*xfers;
	unsigned long long	 count;
	int			 closing;
};

static void	check_done(struct fetch *);

static void
free_handle(uv_handle_t *h)
{
	free(h);
}

static void
on_poll(uv_poll_t *p, int status, int events)
{
	struct sock *s = p->data;
	struct fetch *f = s->f;
	int flags = 0, running;

	if (status < 0)
		flags = CURL_CSELECT_ERR;
	else {
		if (events & UV_READABLE)
			flags |= CURL_CSELECT_IN;
		if (events & UV_WRITABLE)
			flags |= CURL_CSELECT_OUT;
	}
	curl_multi_socket_action(f->multi, s->fd, flags, &running);
	check_done(f);
}

static int
on_socket(CURL *easy, curl_socket_t fd, int what, void *userp, void *sockp)
{
	struct fetch *f = userp;
	struct sock *s = sockp;
	int events = 0;

	(void)easy;
	if (what == CURL_POLL_REMOVE) {
		if (s != NULL) {
			uv_poll_stop(&s->poll);
			uv_close((uv_handle_t *)&s->poll, free_handle);
		}
		return 0;
	}
	if (s == NULL) {
		if ((s = calloc(1, sizeof(*s))) == NULL)
			return -1;
		if (uv_poll_init_socket(f->loop, &s->poll, fd) != 0) {
			free(s);
			return -1;
		}
		s->fd = fd;
		s->f = f;
		s->poll.data = s;
		curl_multi_assign(f->multi, fd, s);
	}
	if (what & CURL_POLL_IN)
		events |= UV_READABLE;
	if (what & CURL_POLL_OUT)
		events |= UV_WRITABLE;
	uv_poll_start(&s->poll, events, on_poll);
	return 0;
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
on_curl_timer(CURLM *multi, long timeout_ms, void *userp)
{
	struct fetch *f = userp;

	(void)multi;
	if (timeout_ms < 0)
		uv_timer_stop(f->timer);
	else
		/* 0 means "at once": still go through the loop, never recurse. */
		uv_timer_start(f->timer, on_timer, (uint64_t)timeout_ms, 0);
	return 0;
}

static size_t
on_write(char *data, size_t size, size_t nmemb, void *userp)
{
	struct xfer *x = userp;
	size_t n = size * nmemb, cap;
	char *p;

	if (x->len + n + 1 > x->f->max_body) {
		x->too_big = 1;
		return 0;	/* makes curl fail the transfer */
	}
	if (x->len + n + 1 > x->cap) {
		cap = x->cap ? x->cap : 65536;
		while (cap < x->len + n + 1)
			cap *= 2;
		if (cap > x->f->max_body)
			cap = x->f->max_body;
		if ((p = realloc(x->buf, cap)) == NULL)
			return 0;
		x->buf = p;
		x->cap = cap;
	}
	memcpy(x->buf + x->len, data, n);
	x->len += n;
	x->buf[x->len] = '\0';
	return n;
}

static void
unlink_xfer(struct fetch *f, struct xfer *x)
{
	struct xfer **pp;

	for (pp = &f->xfers; *pp != NULL; pp = &(*pp)->next)
		if (*pp == x) {
			*pp = x->next;
			break;
		}
}

static void
xfer_free(struct fetch *f, struct xfer *x)
{
	curl_multi_remove_handle(f->multi, x->easy);
	curl_easy_cleanup(x->easy);
	free(x->buf);
	free(x);
}

static void
check_done(struct fetch *f)
{
	struct fetch_result res;
	struct xfer *x;
	CURLMsg *m;
	char *ptr;
	int left;

	while ((m = curl_multi_info_read(f->multi, &left)) != NULL) {
		if (m->msg != CURLMSG_DONE)
			continue;
		ptr = NULL;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &ptr);
		x = (struct xfer *)(void *)ptr;
		memset(&res, 0, sizeof(res));
		curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &res.status);
		res.body = x->buf ? x->buf : "";
		res.len = x->len;
		if (m->data.result != CURLE_OK)
			res.error = x->too_big ? "response too large" :
			    x->errmsg[0] ? x->errmsg :
			    curl_easy_strerror(m->data.result);
		else if (res.status != 0 && (res.status < 200 ||
		    res.status > 299))
			res.error = "HTTP status";
		else
			res.ok = 1;
		unlink_xfer(f, x);
		x->done(x->arg, &res);
		xfer_free(f, x);
	}
}

struct fetch *
fetch_new(uv_loop_t *loop, const char *user_agent, long timeout_ms,
    size_t max_body, struct errbuf *err)
{
	struct fetch *f;

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
		errbuf_set(err, "curl_global_init failed");
		return NULL;
	}
	if ((f = calloc(1, sizeof(*f))) == NULL ||
	    (f->timer = calloc(1, sizeof(*f->timer))) == NULL ||
	    (f->user_agent = strdup(user_agent)) == NULL ||
	    (f->multi = curl_multi_init()) == NULL) {
		errbuf_set(err, "out of memory");
		goto fail;
	}
	f->loop = loop;
	f->timeout_ms = timeout_ms;
	f->max_body = max_body;
	uv_timer_init(loop, f->timer);
	f->timer->data = f;
	curl_multi_setopt(f->multi, CURLMOPT_SOCKETFUNCTION, on_socket);
	curl_multi_setopt(f->multi, CURLMOPT_SOCKETDATA, f);
	curl_multi_setopt(f->multi, CURLMOPT_TIMERFUNCTION, on_curl_timer);
	curl_multi_setopt(f->multi, CURLMOPT_TIMERDATA, f);
	return f;
fail:
	if (f != NULL) {
		free(f->timer);
		free(f->user_agent);
		free(f);
	}
	curl_global_cleanup();
	return NULL;
}

int
fetch_get(struct fetch *f, const char *url, fetch_done_fn done, void *arg,
    struct errbuf *err)
{
	struct xfer *x;

	if ((x = calloc(1, sizeof(*x))) == NULL ||
	    (x->easy = curl_easy_init()) == NULL) {
		free(x);
		return errbuf_set(err, "out of memory");
	}
	x->f = f;
	x->done = done;
	x->arg = arg;
	curl_easy_setopt(x->easy, CURLOPT_URL, url);
	curl_easy_setopt(x->easy, CURLOPT_PRIVATE, (char *)x);
	curl_easy_setopt(x->easy, CURLOPT_WRITEFUNCTION, on_write);
	curl_easy_setopt(x->easy, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(x->easy, CURLOPT_ERRORBUFFER, x->errmsg);
	curl_easy_setopt(x->easy, CURLOPT_USERAGENT, f->user_agent);
	curl_easy_setopt(x->easy, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(x->easy, CURLOPT_TIMEOUT_MS, f->timeout_ms);
	curl_easy_setopt(x->easy, CURLOPT_CONNECTTIMEOUT_MS, f->timeout_ms);
	curl_easy_setopt(x->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(x->easy, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(x->easy, CURLOPT_MAXREDIRS, 3L);
	curl_easy_setopt(x->easy, CURLOPT_PROTOCOLS_STR, "http,https,file");
	curl_easy_setopt(x->easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	if (curl_multi_add_handle(f->multi, x->easy) != CURLM_OK) {
		curl_easy_cleanup(x->easy);
		free(x);
		return errbuf_set(err, "curl_multi_add_handle failed");
	}
	x->next = f->xfers;
	f->xfers = x;
	f->count++;
	return 0;
}

unsigned long long
fetch_count(const struct fetch *f)
{
	return f->count;
}

void
fetch_free(struct fetch *f)
{
	struct xfer *x;

	if (f == NULL)
		return;
	while ((x = f->xfers) != NULL) {
		f->xfers = x->next;
		xfer_free(f, x);	/* removing runs CURL_POLL_REMOVE */
	}
	curl_multi_cleanup(f->multi);
	uv_timer_stop(f->timer);
	uv_close((uv_handle_t *)f->timer, free_handle);
	free(f->user_agent);
	free(f);
	curl_global_cleanup();
}
