/*
 * ws-load -F: a lean WebSocket client (RFC 6455) on libuv TCP, for the
 * benchmark. It speaks only what a subscriber needs: the upgrade (the
 * Sec-WebSocket-Accept answer checked), unmasked frames from the server
 * (text, continuation, ping, pong, close), masked pongs and close frames
 * back. A frame whole in one read is handed on where it lies; only a
 * frame cut by a read is copied, once, to be completed by the next.
 * With -Z it offers permessage-deflate (RFC 7692) and inflates each
 * compressed message on its own (the server takes no context over).
 * Why: libwebsockets 4.1's client parses every payload byte through its
 * state machine, and measured that way a 104 kB snapshot cost the client
 * more than it cost either server.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <uv.h>
#include <zlib.h>

#include "ws-load.h"
#include "timeutil.h"

#define WS_GUID		"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
#define RBUF_SIZE	(256 * 1024)
#define MAX_HEADER	8192		/* the server's upgrade answer */
#define MAX_MESSAGE	(64u << 20)	/* a frame or a whole message */

enum { R_CONNECTING, R_HANDSHAKE, R_OPEN };

struct raw {
	uv_tcp_t	 tcp;
	uv_connect_t	 creq;
	struct load	*ld;
	struct conn	*c;		/* NULL once detached */
	int		 state;
	int		 in_msg;	/* a fragmented message is open */
	int		 pmd;		/* permessage-deflate agreed */
	int		 z_msg;		/* the open message is compressed */
	char		*pend;		/* unparsed bytes: a cut frame */
	size_t		 plen, pcap;
	char		 req[768];	/* the upgrade request */
};

struct wreq {
	uv_write_t	 req;
	size_t		 len;
	char		 data[];
};

static void
free_raw(uv_handle_t *h)
{
	struct raw *r = h->data;

	free(r->pend);
	free(r);
}

/* Lets go of c's connection; what happens to c is the caller's to say. */
static void
detach(struct raw *r)
{
	if (r->c != NULL) {
		r->c->raw = NULL;
		r->c = NULL;
	}
	if (!uv_is_closing((uv_handle_t *)&r->tcp))
		uv_close((uv_handle_t *)&r->tcp, free_raw);
}

static void
fail(struct raw *r, const char *detail)
{
	struct conn *c = r->c;

	detach(r);
	if (c != NULL)
		conn_failed(r->ld, c, detail);
}

static void
closed(struct raw *r, int code)
{
	struct conn *c = r->c;

	detach(r);
	if (c != NULL) {
		if (code)
			c->close_code = code;
		conn_closed(r->ld, c);
	}
}

void
raw_drop(struct conn *c)
{
	if (c->raw != NULL)
		closed(c->raw, 0);
}

static void
on_written(uv_write_t *req, int status)
{
	(void)status;	/* a broken connection shows on the read side */
	free(req->data);
}

static int
send_bytes(struct raw *r, const void *p, size_t len)
{
	struct wreq *w;
	uv_buf_t b;

	if ((w = malloc(sizeof(*w) + len)) == NULL)
		return -1;
	memcpy(w->data, p, len);
	w->len = len;
	w->req.data = w;
	b = uv_buf_init(w->data, (unsigned)len);
	if (uv_write(&w->req, (uv_stream_t *)&r->tcp, &b, 1, on_written) != 0) {
		free(w);
		return -1;
	}
	return 0;
}

/* A control frame from us: masked, as a client's must be. */
static int
send_control(struct raw *r, unsigned op, const unsigned char *p, size_t len)
{
	unsigned char f[2 + 4 + 125];
	unsigned key = (unsigned)rand();
	size_t i;

	if (len > 125)
		len = 125;
	f[0] = (unsigned char)(0x80 | op);
	f[1] = (unsigned char)(0x80 | len);
	for (i = 0; i < 4; i++)
		f[2 + i] = (unsigned char)(key >> (8 * i));
	for (i = 0; i < len; i++)
		f[6 + i] = p[i] ^ f[2 + i % 4];
	return send_bytes(r, f, 6 + len);
}

/*
 * Hands on a message where it lies (in the read buffer, or in r->pend,
 * which outlives the call); p has a byte to spare after it.
 */
static void
deliver(struct raw *r, char *p, size_t len)
{
	char saved = p[len];

	p[len] = '\0';
	on_message(r->ld, r->c, p, len);
	p[len] = saved;
}

/*
 * A compressed message, inflated into ld->zbuf (the 00 00 ff ff its
 * sender removed put back) and handed on; -1 when it is not valid.
 */
static int
deliver_z(struct raw *r, const char *p, size_t len)
{
	static const unsigned char tail[4] = { 0, 0, 0xff, 0xff };
	struct load *ld = r->ld;
	z_stream z;
	size_t out = 0;
	char *nb;
	int rc = Z_OK, i;

	if (ld->no_inflate) {
		/* -W: the bytes as they came (the server's part is done). */
		ld->deflated_msgs++;
		on_message(ld, r->c, p, len);
		return 0;
	}
	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, -15) != Z_OK)
		return -1;
	for (i = 0; i < 2 && rc != Z_STREAM_END; i++) {
		z.next_in = (Bytef *)(uintptr_t)(i == 0 ? (const void *)p :
		    (const void *)tail);
		z.avail_in = i == 0 ? (uInt)len : 4;
		do {
			if (ld->zcap - out < 65536) {
				if (ld->zcap > MAX_MESSAGE || (nb = realloc(ld->zbuf,
				    ld->zcap * 2 + 65536)) == NULL)
					rc = Z_MEM_ERROR;
				else {
					ld->zbuf = nb;
					ld->zcap = ld->zcap * 2 + 65536;
				}
			}
			if (rc == Z_MEM_ERROR)
				break;
			z.next_out = (Bytef *)ld->zbuf + out;
			z.avail_out = (uInt)(ld->zcap - out - 1);
			rc = inflate(&z, Z_SYNC_FLUSH);
			out = ld->zcap - 1 - z.avail_out;
		} while ((rc == Z_OK || rc == Z_BUF_ERROR) &&
		    (z.avail_in > 0 || z.avail_out == 0));
		if (rc != Z_OK && rc != Z_BUF_ERROR && rc != Z_STREAM_END)
			break;
	}
	(void)inflateEnd(&z);
	if (rc != Z_OK && rc != Z_BUF_ERROR && rc != Z_STREAM_END)
		return -1;
	ld->deflated_msgs++;
	ld->zbuf[out] = '\0';
	on_message(ld, r->c, ld->zbuf, out);
	return 0;
}

/*
 * Appends n bytes to the buffer *buf holding *len of *cap, with a byte to
 * spare after them.
 */
static int
append(char **buf, size_t *len, size_t *cap, const char *p, size_t n)
{
	size_t ncap;
	char *q;

	if (*len + n + 1 > *cap) {
		ncap = (*len + n + 1) * 2;
		if ((q = realloc(*buf, ncap)) == NULL)
			return -1;
		*buf = q;
		*cap = ncap;
	}
	memcpy(*buf + *len, p, n);
	*len += n;
	return 0;
}

/*
 * One frame at p (avail bytes, a byte to spare after them): returns its
 * size when it was whole and handled, 0 when more bytes are needed or
 * on a protocol error (*err set).
 */
static size_t
frame(struct raw *r, char *p, size_t avail, int *err)
{
	const unsigned char *u = (const unsigned char *)p;
	struct conn *c = r->c;
	uint64_t len;
	size_t hdr = 2, i, whole;
	unsigned op;
	int fin;

	if (avail < 2)
		return 0;
	fin = u[0] & 0x80;
	op = u[0] & 0x0f;
	/* RSV1 only when agreed, on a message's first frame; never a mask. */
	if ((u[0] & 0x30) || (u[1] & 0x80) || ((u[0] & 0x40) &&
	    (!r->pmd || (op != 0x1 && op != 0x2)))) {
		*err = 1;
		return 0;
	}
	len = u[1] & 0x7f;
	if (len == 126) {
		if (avail < 4)
			return 0;
		len = (uint64_t)u[2] << 8 | u[3];
		hdr = 4;
	} else if (len == 127) {
		if (avail < 10)
			return 0;
		for (len = 0, i = 2; i < 10; i++)
			len = len << 8 | u[i];
		hdr = 10;
	}
	if (len > MAX_MESSAGE) {
		*err = 1;
		return 0;
	}
	if (avail - hdr < len)
		return 0;
	p += hdr;
	switch (op) {
	case 0x0:	/* continuation */
	case 0x1:	/* text */
	case 0x2:	/* binary */
		if ((op == 0) != (r->in_msg != 0) ||
		    c->rx_len + len > MAX_MESSAGE) {
			*err = 1;
			return 0;
		}
		r->ld->wire_bytes += len;
		if (op != 0)
			r->z_msg = (u[0] & 0x40) != 0;
		if (fin && !r->in_msg) {
			if (!r->z_msg)
				deliver(r, p, (size_t)len);
			else if (deliver_z(r, p, (size_t)len) == -1)
				*err = 1;
			if (*err)
				return 0;
			break;
		}
		if (append(&c->rx, &c->rx_len, &c->rx_cap, p, (size_t)len) == -1) {
			*err = 1;
			return 0;
		}
		r->in_msg = !fin;
		if (fin) {
			/* on_message() may end c, and free c->rx with it. */
			c->rx[c->rx_len] = '\0';
			whole = c->rx_len;
			c->rx_len = 0;
			if (!r->z_msg)
				on_message(r->ld, c, c->rx, whole);
			else if (deliver_z(r, c->rx, whole) == -1) {
				*err = 1;
				return 0;
			}
		}
		break;
	case 0x8:	/* close: answer with the same code, then go */
		send_control(r, 0x8, u + hdr, len >= 2 ? 2 : 0);
		closed(r, len >= 2 ? (u[hdr] << 8 | u[hdr + 1]) : 0);
		break;
	case 0x9:
		send_control(r, 0xa, u + hdr, (size_t)len);
		break;
	case 0xa:
		break;
	default:
		*err = 1;
		return 0;
	}
	return hdr + (size_t)len;
}

/* Whether the 101 agreed to permessage-deflate (what we offered). */
static int
agreed_deflate(const char *p, size_t len)
{
	const char *line = p, *end = p + len, *nl, *q;
	static const char h[] = "Sec-WebSocket-Extensions:";
	static const char e[] = "permessage-deflate";

	for (; line < end; line = nl + 1) {
		if ((nl = memchr(line, '\n', (size_t)(end - line))) == NULL)
			break;
		if ((size_t)(nl - line) < sizeof(h) - 1 + sizeof(e) - 1 ||
		    strncasecmp(line, h, sizeof(h) - 1) != 0)
			continue;
		for (q = line + sizeof(h) - 1; q + sizeof(e) - 1 <= nl; q++)
			if (strncmp(q, e, sizeof(e) - 1) == 0)
				return 1;
	}
	return 0;
}

/* The server's answer to the upgrade: 101 with the right accept. */
static int
handshake_ok(const struct raw *r, const char *p, size_t len)
{
	const char *line = p, *end = p + len, *nl, *v;

	if (len < 13 || strncmp(p, "HTTP/1.1 101 ", 13) != 0)
		return 0;
	for (; line < end; line = nl + 1) {
		if ((nl = memchr(line, '\n', (size_t)(end - line))) == NULL)
			break;
		if ((size_t)(nl - line) < 21 ||
		    strncasecmp(line, "Sec-WebSocket-Accept:", 21) != 0)
			continue;
		for (v = line + 21; v < nl && *v == ' '; v++)
			;
		return (size_t)(nl - v) >= 28 &&
		    memcmp(v, r->ld->raw_accept, 28) == 0;
	}
	return 0;
}

/*
 * Parses what arrived (p, n, a byte to spare after it); returns how many
 * bytes were used, or -1 when the connection is gone.
 */
static ssize_t
parse(struct raw *r, char *p, size_t n)
{
	size_t used = 0, k;
	const char *eoh;
	char status[64];
	int err = 0;

	if (r->state == R_HANDSHAKE) {
		eoh = NULL;
		for (k = 3; k < n && eoh == NULL; k++)
			if (memcmp(p + k - 3, "\r\n\r\n", 4) == 0)
				eoh = p + k + 1;
		if (eoh == NULL) {
			if (n > MAX_HEADER) {
				fail(r, "upgrade answer too long");
				return -1;
			}
			return 0;
		}
		if (!handshake_ok(r, p, (size_t)(eoh - p))) {
			k = strcspn(p, "\r\n");
			snprintf(status, sizeof(status), "upgrade refused: %.*s",
			    (int)(k < 40 ? k : 40), p);
			fail(r, status);
			return -1;
		}
		r->state = R_OPEN;
		r->pmd = r->ld->deflate && agreed_deflate(p, (size_t)(eoh - p));
		conn_established(r->ld, r->c);
		used = (size_t)(eoh - p);
	}
	while (r->c != NULL && used < n) {
		k = frame(r, p + used, n - used, &err);
		if (err) {
			fprintf(stderr, "ws-load: client %u: protocol error\n",
			    r->c->idx);
			closed(r, 1002);
			return -1;
		}
		if (k == 0)
			break;
		used += k;
	}
	return r->c == NULL ? -1 : (ssize_t)used;
}

static void
on_alloc(uv_handle_t *h, size_t hint, uv_buf_t *b)
{
	struct raw *r = h->data;

	(void)hint;
	/* One buffer for every read: each is parsed before the next. */
	*b = uv_buf_init(r->ld->raw_rbuf, (unsigned)(r->ld->raw_rcap - 1));
}

static void
on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *b)
{
	struct raw *r = s->data;
	ssize_t used;
	char *p;
	size_t n;

	if (nread == 0 || r->c == NULL)
		return;
	if (nread < 0) {
		if (r->state == R_OPEN)
			closed(r, 0);
		else
			fail(r, uv_strerror((int)nread));
		return;
	}
	if (r->plen > 0) {
		/* The bytes a cut frame still needed, after the ones kept. */
		if (append(&r->pend, &r->plen, &r->pcap, b->base,
		    (size_t)nread) == -1) {
			closed(r, 0);
			return;
		}
		p = r->pend;
		n = r->plen;
	} else {
		p = b->base;
		n = (size_t)nread;
	}
	if ((used = parse(r, p, n)) < 0)
		return;
	if (p == r->pend) {
		memmove(r->pend, r->pend + used, n - (size_t)used);
		r->plen = n - (size_t)used;
	} else if ((size_t)used < n && append(&r->pend, &r->plen, &r->pcap,
	    p + used, n - (size_t)used) == -1) {
		closed(r, 0);
		return;
	}
	if (r->plen == 0 && r->pcap > 65536) {
		free(r->pend);
		r->pend = NULL;
		r->pcap = 0;
	}
}

static void
on_connect(uv_connect_t *req, int status)
{
	struct raw *r = req->data;

	if (r->c == NULL)
		return;
	if (status < 0) {
		fail(r, uv_strerror(status));
		return;
	}
	r->state = R_HANDSHAKE;
	if (uv_read_start((uv_stream_t *)&r->tcp, on_alloc, on_read) != 0 ||
	    send_bytes(r, r->req, strlen(r->req)) == -1)
		fail(r, "cannot send the upgrade");
}

int
raw_connect(struct load *ld, struct conn *c, const char *path,
    const char *src)
{
	struct sockaddr_in sa, da;
	struct raw *r;
	int n;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return -1;
	n = snprintf(r->req, sizeof(r->req), "GET %s HTTP/1.1\r\n"
	    "Host: %s:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
	    "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n%s"
	    "Origin: http://%s\r\n\r\n", path, ld->host, ld->port, ld->raw_key,
	    ld->deflate ? "Sec-WebSocket-Extensions: permessage-deflate; "
	    "client_max_window_bits\r\n" : "", ld->host);
	if (n < 0 || (size_t)n >= sizeof(r->req) ||
	    uv_ip4_addr(ld->host, ld->port, &da) != 0 ||
	    (src != NULL && uv_ip4_addr(src, 0, &sa) != 0) ||
	    uv_tcp_init(&ld->loop, &r->tcp) != 0) {
		free(r);
		return -1;
	}
	r->ld = ld;
	r->c = c;
	r->tcp.data = r->creq.data = r;
	c->raw = r;
	if ((src != NULL &&
	    uv_tcp_bind(&r->tcp, (const struct sockaddr *)&sa, 0) != 0) ||
	    uv_tcp_nodelay(&r->tcp, 1) != 0 ||
	    uv_tcp_connect(&r->creq, &r->tcp, (const struct sockaddr *)&da,
	    on_connect) != 0) {
		c->raw = NULL;
		r->c = NULL;
		uv_close((uv_handle_t *)&r->tcp, free_raw);
		return -1;
	}
	return 0;
}

/* base64 of a fresh 16-byte key, and the server's expected answer. */
int
raw_init(struct load *ld)
{
	unsigned char nonce[16], md[EVP_MAX_MD_SIZE];
	char both[96];
	unsigned mdlen, i;

	srand((unsigned)(time_mono_us() ^ (int64_t)getpid()));
	for (i = 0; i < sizeof(nonce); i++)
		nonce[i] = (unsigned char)rand();
	EVP_EncodeBlock((unsigned char *)ld->raw_key, nonce, sizeof(nonce));
	snprintf(both, sizeof(both), "%s%s", ld->raw_key, WS_GUID);
	if (EVP_Digest(both, strlen(both), md, &mdlen, EVP_sha1(), NULL) != 1)
		return -1;
	EVP_EncodeBlock((unsigned char *)ld->raw_accept, md, (int)mdlen);
	ld->raw_rcap = RBUF_SIZE;
	if ((ld->raw_rbuf = malloc(ld->raw_rcap)) == NULL)
		return -1;
	return 0;
}

void
raw_fini(struct load *ld)
{
	free(ld->raw_rbuf);
	ld->raw_rbuf = NULL;
	free(ld->zbuf);
	ld->zbuf = NULL;
}
