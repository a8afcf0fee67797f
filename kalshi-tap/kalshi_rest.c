/*
 * kalshi_rest: libcurl multi-socket on libuv. Socket and timer callbacks
 * drive curl; finished transfers are handed back whole. Must not block.
 */
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "kalshi_rest.h"

struct req {
	struct krest	*r;
	CURL		*easy;
	krest_done_fn	 done;
	void		*arg;
	char		*body;
	size_t		 len;
	int		 too_big;
	char		 errbuf[CURL_ERROR_SIZE];
	struct req	*next;
};

struct sock {
	uv_poll_t	 poll;
	curl_socket_t	 fd;
	struct krest	*r;
};

struct krest {
	uv_loop_t	*loop;
	CURLM		*multi;
	uv_timer_t	 timer;
	char		*user_agent;
	char		*ca_file;
	struct req	*reqs;
	unsigned	 pending;
	int		 closing;
};

static void check_done(struct krest *);

static size_t
on_data(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	struct req *q = userdata;
	size_t n = size * nmemb;
	char *nb;

	if (q->len + n > KREST_MAX_BODY) {
		q->too_big = 1;
		return 0;	/* aborts the transfer */
	}
	if ((nb = realloc(q->body, q->len + n + 1)) == NULL)
		return 0;
	q->body = nb;
	memcpy(q->body + q->len, ptr, n);
	q->len += n;
	q->body[q->len] = '\0';
	return n;
}

static void
poll_closed(uv_handle_t *h)
{
	free(h->data);
}

static void
on_poll(uv_poll_t *h, int status, int events)
{
	struct sock *s = h->data;
	int running, flags = 0;

	if (status < 0)
		flags = CURL_CSELECT_ERR;
	if (events & UV_READABLE)
		flags |= CURL_CSELECT_IN;
	if (events & UV_WRITABLE)
		flags |= CURL_CSELECT_OUT;
	curl_multi_socket_action(s->r->multi, s->fd, flags, &running);
	check_done(s->r);
}

static int
on_socket(CURL *easy, curl_socket_t fd, int what, void *userp, void *socketp)
{
	struct krest *r = userp;
	struct sock *s = socketp;
	int events = 0;

	if (what == CURL_POLL_REMOVE) {
		if (s != NULL) {
			uv_poll_stop(&s->poll);
			uv_close((uv_handle_t *)&s->poll, poll_closed);
			curl_multi_assign(r->multi, fd, NULL);
		}
		return 0;
	}
	if (s == NULL) {
		if ((s = calloc(1, sizeof(*s))) == NULL)
			return -1;
		s->fd = fd;
		s->r = r;
		if (uv_poll_init_socket(r->loop, &s->poll, fd) != 0) {
			free(s);
			return -1;
		}
		s->poll.data = s;
		curl_multi_assign(r->multi, fd, s);
	}
	if (what & CURL_POLL_IN)
		events |= UV_READABLE;
	if (what & CURL_POLL_OUT)
		events |= UV_WRITABLE;
	uv_poll_start(&s->poll, events, on_poll);
	return 0;
}

static void
on_timeout(uv_timer_t *t)
{
	struct krest *r = t->data;
	int running;

	curl_multi_socket_action(r->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	check_done(r);
}

static int
on_timer(CURLM *multi, long timeout_ms, void *userp)
{
	struct krest *r = userp;

	if (timeout_ms < 0)
		uv_timer_stop(&r->timer);
	else
		uv_timer_start(&r->timer, on_timeout, (uint64_t)timeout_ms, 0);
	return 0;
}

/* Ends a transfer; q must already be off the list. */
static void
req_destroy(struct req *q)
{
	curl_multi_remove_handle(q->r->multi, q->easy);
	curl_easy_cleanup(q->easy);
	free(q->body);
	free(q);
}

static void
req_free(struct req *q)
{
	struct req **pp;

	for (pp = &q->r->reqs; *pp != NULL; pp = &(*pp)->next)
		if (*pp == q) {
			*pp = q->next;
			break;
		}
	req_destroy(q);
}

static void
check_done(struct krest *r)
{
	struct req *q;
	CURLMsg *m;
	long status;
	int left;

	while ((m = curl_multi_info_read(r->multi, &left)) != NULL) {
		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&q);
		status = 0;
		r->pending--;
		if (m->data.result == CURLE_OK)
			curl_easy_getinfo(q->easy, CURLINFO_RESPONSE_CODE, &status);
		if (q->too_big)
			q->done(q->arg, 0, NULL, 0, "body too large");
		else if (m->data.result != CURLE_OK)
			q->done(q->arg, 0, NULL, 0, q->errbuf[0] ? q->errbuf :
			    curl_easy_strerror(m->data.result));
		else
			q->done(q->arg, status, q->body ? q->body : "", q->len,
			    NULL);
		req_free(q);
	}
}

struct krest *
krest_new(uv_loop_t *loop, const char *user_agent, const char *ca_file,
    struct errbuf *err)
{
	struct krest *r;

	if ((r = calloc(1, sizeof(*r))) == NULL ||
	    (r->user_agent = strdup(user_agent)) == NULL ||
	    (ca_file != NULL && (r->ca_file = strdup(ca_file)) == NULL)) {
		if (r != NULL)
			free(r->user_agent);
		free(r);
		errbuf_set(err, "out of memory");
		return NULL;
	}
	r->loop = loop;
	if ((r->multi = curl_multi_init()) == NULL) {
		free(r->ca_file);
		free(r->user_agent);
		free(r);
		errbuf_set(err, "curl_multi_init failed");
		return NULL;
	}
	uv_timer_init(loop, &r->timer);
	r->timer.data = r;
	curl_multi_setopt(r->multi, CURLMOPT_SOCKETFUNCTION, on_socket);
	curl_multi_setopt(r->multi, CURLMOPT_SOCKETDATA, r);
	curl_multi_setopt(r->multi, CURLMOPT_TIMERFUNCTION, on_timer);
	curl_multi_setopt(r->multi, CURLMOPT_TIMERDATA, r);
	return r;
}

int
krest_get(struct krest *r, const char *url, int64_t timeout_ms,
    krest_done_fn done, void *arg, struct errbuf *err)
{
	struct req *q;

	if (r->closing)
		return errbuf_set(err, "closing");
	if ((q = calloc(1, sizeof(*q))) == NULL ||
	    (q->easy = curl_easy_init()) == NULL) {
		free(q);
		return errbuf_set(err, "out of memory");
	}
	q->r = r;
	q->done = done;
	q->arg = arg;
	curl_easy_setopt(q->easy, CURLOPT_URL, url);
	curl_easy_setopt(q->easy, CURLOPT_USERAGENT, r->user_agent);
	curl_easy_setopt(q->easy, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(q->easy, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(q->easy, CURLOPT_WRITEDATA, q);
	curl_easy_setopt(q->easy, CURLOPT_PRIVATE, q);
	curl_easy_setopt(q->easy, CURLOPT_ERRORBUFFER, q->errbuf);
	curl_easy_setopt(q->easy, CURLOPT_TIMEOUT_MS, (long)timeout_ms);
	curl_easy_setopt(q->easy, CURLOPT_CONNECTTIMEOUT_MS, (long)timeout_ms);
	curl_easy_setopt(q->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(q->easy, CURLOPT_PROTOCOLS_STR, "http,https,file");
	if (r->ca_file != NULL)
		curl_easy_setopt(q->easy, CURLOPT_CAINFO, r->ca_file);
	q->next = r->reqs;
	r->reqs = q;
	if (curl_multi_add_handle(r->multi, q->easy) != CURLM_OK) {
		r->reqs = q->next;
		curl_easy_cleanup(q->easy);
		free(q);
		return errbuf_set(err, "curl_multi_add_handle failed");
	}
	r->pending++;
	return 0;
}

unsigned
krest_pending(const struct krest *r)
{
	return r->pending;
}

static void
timer_closed(uv_handle_t *h)
{
	struct krest *r = h->data;

	free(r->ca_file);
	free(r->user_agent);
	free(r);
}

void
krest_free(struct krest *r)
{
	struct req *q;

	if (r == NULL)
		return;
	r->closing = 1;
	while ((q = r->reqs) != NULL) {
		r->reqs = q->next;
		req_destroy(q);	/* removing a handle closes its sockets */
	}
	curl_multi_cleanup(r->multi);
	uv_close((uv_handle_t *)&r->timer, timer_closed);
}
