/* test_fanout_wscheck: handshake and close-code checks (ws-fanout/wscheck.c). */
#include "t.h"

#include <string.h>

#include "ws-fanout/wscheck.h"

/* A client frame (FIN, opcode op) of len zero bytes, masked or not. */
static size_t
frame(unsigned char *out, int op, uint64_t len, int masked)
{
	size_t n = 0;
	unsigned char m = masked ? 0x80 : 0;
	int i;

	out[n++] = (unsigned char)(0x80 | op);
	if (len < 126)
		out[n++] = (unsigned char)(m | len);
	else if (len < 65536) {
		out[n++] = m | 126;
		out[n++] = (unsigned char)(len >> 8);
		out[n++] = (unsigned char)len;
	} else {
		out[n++] = m | 127;
		for (i = 7; i >= 0; i--)
			out[n++] = (unsigned char)(len >> (8 * i));
	}
	if (masked) {
		memcpy(out + n, "\x12\x34\x56\x78", 4);
		n += 4;
	}
	memset(out + n, 0, (size_t)len);
	return n + (size_t)len;
}

/* Masked frames of every length encoding pass, whole or byte by byte. */
static void
rx_masked(void)
{
	static unsigned char b[80000];
	struct wscheck_rx st;
	size_t n = 0, i, ok = 0;

	n += frame(b + n, 9, 0, 1);
	n += frame(b + n, 1, 5, 1);
	n += frame(b + n, 2, 300, 1);
	n += frame(b + n, 2, 70000, 1);
	n += frame(b + n, 8, 2, 1);
	memset(&st, 0, sizeof(st));
	T_EQ_INT(wscheck_rx(&st, b, n), n);
	T_EQ_INT(st.bad, 0);
	memset(&st, 0, sizeof(st));
	for (i = 0; i < n; i++)
		ok += wscheck_rx(&st, b + i, 1);
	T_EQ_INT(ok, n);
	T_EQ_INT(st.have, 0);
	T_EQ_INT(st.left, 0);
}

/* An unmasked frame stops the stream at its header, for good. */
static void
rx_unmasked(void)
{
	static unsigned char b[80000];
	struct wscheck_rx st;
	size_t a, n;

	a = frame(b, 1, 300, 1);
	n = a + frame(b + a, 9, 2, 0);
	memset(&st, 0, sizeof(st));
	T_EQ_INT(wscheck_rx(&st, b, n), a);
	T_EQ_INT(st.bad, 1);
	T_EQ_INT(wscheck_rx(&st, b, a), 0);	/* and nothing after */

	memset(&st, 0, sizeof(st));
	T_EQ_INT(wscheck_rx(&st, b + a, 2), 0);	/* the first frame */

	/* The header split: its first byte already went on. */
	memset(&st, 0, sizeof(st));
	T_EQ_INT(wscheck_rx(&st, b, a + 1), a + 1);
	T_EQ_INT(wscheck_rx(&st, b + a + 1, n - a - 1), 0);
	T_EQ_INT(st.bad, 1);

	/* A masked 64-bit length split across reads, then an unmasked one. */
	memset(&st, 0, sizeof(st));
	n = frame(b, 2, 70000, 1) - 70000;
	T_EQ_INT(wscheck_rx(&st, b, 5), 5);
	T_EQ_INT(wscheck_rx(&st, b + 5, n - 5), n - 5);
	T_EQ_INT(st.left, 70000);
	memset(b, 0, 200);
	T_EQ_INT(wscheck_rx(&st, b, 200), 200);
	T_EQ_INT(st.left, 69800);
}

int
main(void)
{
	const char *cl[4];

	rx_masked();
	rx_unmasked();

	T_EQ_INT(wscheck_version("13"), 1);
	T_EQ_INT(wscheck_version(NULL), 0);
	T_EQ_INT(wscheck_version("8"), 0);
	T_EQ_INT(wscheck_version("99"), 0);
	T_EQ_INT(wscheck_version("13 "), 0);
	T_EQ_INT(wscheck_version("13, 8"), 0);

	T_EQ_INT(wscheck_key("dGhlIHNhbXBsZSBub25jZQ=="), 1);	/* RFC 6455 */
	T_EQ_INT(wscheck_key("AAAAAAAAAAAAAAAAAAAAAA=="), 1);
	T_EQ_INT(wscheck_key(NULL), 0);
	T_EQ_INT(wscheck_key(""), 0);
	T_EQ_INT(wscheck_key("dGhlIHNhbXBsZSBub25jZQ="), 0);
	T_EQ_INT(wscheck_key("dGhlIHNhbXBsZSBub25jZQ==="), 0);
	T_EQ_INT(wscheck_key("dGhlIHNhbXBsZSBub25jZR=="), 0);	/* pad bits */
	T_EQ_INT(wscheck_key("dGhlIHNhbXBsZSBub25j*Q=="), 0);
	T_EQ_INT(wscheck_key("c2hvcnQ="), 0);			/* 5 bytes */
	T_EQ_INT(wscheck_key("dGhpcyBpcyBzZXZlbnRlZW4h"), 0);	/* 18 bytes */

	T_EQ_INT(wscheck_close_code(1000), 1);
	T_EQ_INT(wscheck_close_code(1001), 1);
	T_EQ_INT(wscheck_close_code(1003), 1);
	T_EQ_INT(wscheck_close_code(1004), 0);
	T_EQ_INT(wscheck_close_code(1005), 0);
	T_EQ_INT(wscheck_close_code(1006), 0);
	T_EQ_INT(wscheck_close_code(1007), 1);
	T_EQ_INT(wscheck_close_code(1011), 1);
	T_EQ_INT(wscheck_close_code(1015), 0);
	T_EQ_INT(wscheck_close_code(1016), 0);
	T_EQ_INT(wscheck_close_code(2999), 0);
	T_EQ_INT(wscheck_close_code(3000), 1);
	T_EQ_INT(wscheck_close_code(4999), 1);
	T_EQ_INT(wscheck_close_code(5000), 0);
	T_EQ_INT(wscheck_close_code(0), 0);
	T_EQ_INT(wscheck_close_code(999), 0);
	T_EQ_INT(wscheck_close_code(65535), 0);

	T_EQ_INT(wscheck_content_length(cl, 0), 1);
	cl[0] = "0";
	T_EQ_INT(wscheck_content_length(cl, 1), 1);
	cl[1] = "10";
	T_EQ_INT(wscheck_content_length(cl, 2), 0);	/* issue 18 item 5 */
	cl[1] = " 0 ";
	T_EQ_INT(wscheck_content_length(cl, 2), 1);
	cl[0] = "5, 5";
	T_EQ_INT(wscheck_content_length(cl, 1), 1);
	cl[0] = "5, 6";
	T_EQ_INT(wscheck_content_length(cl, 1), 0);
	cl[0] = "05";
	cl[1] = "5";
	T_EQ_INT(wscheck_content_length(cl, 2), 1);
	cl[0] = "-1";
	T_EQ_INT(wscheck_content_length(cl, 1), 0);
	cl[0] = "";
	T_EQ_INT(wscheck_content_length(cl, 1), 0);
	cl[0] = "1e3";
	T_EQ_INT(wscheck_content_length(cl, 1), 0);
	cl[0] = "99999999999999999999";
	T_EQ_INT(wscheck_content_length(cl, 1), 0);
	cl[0] = NULL;
	T_EQ_INT(wscheck_content_length(cl, 1), 0);
	return t_done("test_fanout_wscheck");
}
