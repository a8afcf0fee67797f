/*
 * test_fanout_pmd: the permessage-deflate offer parser (ws-fanout/pmd.c)
 * and compress-once (ws-fanout/deflate.c).
 */
#include <string.h>

#include <zlib.h>

#include "t.h"

#include "ws-fanout/deflate.h"
#include "ws-fanout/pmd.h"

/* What a client does: inflate on its own, the tail put back (§7.2.2). */
static long
inflated(const unsigned char *p, size_t n, unsigned char *out, size_t cap)
{
	static const unsigned char tail[4] = { 0, 0, 0xff, 0xff };
	unsigned char in[65536];
	z_stream z;
	long r;

	if (n + 4 > sizeof(in))
		return -1;
	memcpy(in, p, n);
	memcpy(in + n, tail, 4);
	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, -15) != Z_OK)
		return -1;
	z.next_in = in;
	z.avail_in = (uInt)(n + 4);
	z.next_out = out;
	z.avail_out = (uInt)cap;
	r = inflate(&z, Z_SYNC_FLUSH) == Z_OK ? (long)(cap - z.avail_out) : -1;
	(void)inflateEnd(&z);
	return r;
}

static int
acc(const char *h)
{
	return pmd_accept(h, strlen(h));
}

int
main(void)
{
	struct errbuf err;
	struct deflater *d;
	struct msg *m, *z, *z2;
	unsigned char big[20000], back[30000];
	size_t i;

	/* What browsers and Python websockets offer. */
	T_EQ_INT(acc("permessage-deflate; client_max_window_bits"), 1);
	T_EQ_INT(acc("permessage-deflate"), 1);
	T_EQ_INT(acc("permessage-deflate;client_max_window_bits=10;"
	    "client_no_context_takeover;server_no_context_takeover"), 1);
	T_EQ_INT(acc("permessage-deflate; server_max_window_bits=15"), 1);
	T_EQ_INT(acc("permessage-deflate; server_max_window_bits=\"15\""), 1);
	T_EQ_INT(acc("x-webkit-deflate-frame, permessage-deflate"), 1);
	/* A window we cannot meet; the next offer may be one we can. */
	T_EQ_INT(acc("permessage-deflate; server_max_window_bits=10"), 0);
	T_EQ_INT(acc("permessage-deflate; server_max_window_bits=10, "
	    "permessage-deflate"), 1);
	T_EQ_INT(acc("permessage-deflate; server_max_window_bits"), 0);
	/* Bad values, unknown or repeated parameters: declined. */
	T_EQ_INT(acc("permessage-deflate; client_max_window_bits=7"), 0);
	T_EQ_INT(acc("permessage-deflate; client_max_window_bits=16"), 0);
	T_EQ_INT(acc("permessage-deflate; client_max_window_bits=08"), 0);
	T_EQ_INT(acc("permessage-deflate; server_no_context_takeover=1"), 0);
	T_EQ_INT(acc("permessage-deflate; foo"), 0);
	T_EQ_INT(acc("permessage-deflate; server_no_context_takeover; "
	    "server_no_context_takeover"), 0);
	/* No offer, malformed values. */
	T_EQ_INT(acc(""), 0);
	T_EQ_INT(acc("deflate-frame"), 0);
	T_EQ_INT(acc("permessage-deflatex"), 0);
	T_EQ_INT(acc("permessage-deflate; client_max_window_bits=\"10"), 0);
	T_EQ_INT(acc("permessage-deflate;; x"), 0);
	T_EQ_INT(acc("permessage-deflate x"), 0);
	T_EQ_INT(pmd_accept(NULL, 0), 0);

	/* Compressed once: smaller, RSV1, and inflates back to its size. */
	if ((d = deflater_new(6, &err)) == NULL) {
		T_CHECK(!"deflater_new");
		return t_done("test_fanout_pmd");
	}
	for (i = 0; i < sizeof(big); i++)
		big[i] = (unsigned char)"{\"espn\":[1,2,3],\"kalshi\":[]} "[i % 29];
	m = msg_new(MSG_SNAPSHOT, 16, big, sizeof(big));
	if ((z = deflater_msg(d, m)) == NULL) {
		T_CHECK(!"deflater_msg");
		return t_done("test_fanout_pmd");
	}
	T_CHECK(z->rsv1 && z->len < sizeof(big) / 6);
	T_EQ_INT((long)z->plain_len, (long)sizeof(big));
	T_EQ_INT(inflated(msg_payload(z), z->len, back, sizeof(back)),
	    (long)sizeof(big));
	T_CHECK(memcmp(back, big, sizeof(big)) == 0);
	T_CHECK(z->kind == MSG_SNAPSHOT && z->pre == 16);
	/* No context kept: the same message deflates to the same bytes. */
	z2 = deflater_msg(d, m);
	T_CHECK(z2 != NULL && z2->len == z->len &&
	    memcmp(msg_payload(z), msg_payload(z2), z->len) == 0);
	T_CHECK(deflater_mem(d) > 0);
	msg_unref(z);
	msg_unref(z2);
	msg_unref(m);
	/* Too small to pay: NULL, the plain one goes. */
	m = msg_new(MSG_UPDATE, 16, "{}", 2);
	T_CHECK(deflater_msg(d, m) == NULL);
	msg_unref(m);
	deflater_free(d);
	return t_done("test_fanout_pmd");
}
