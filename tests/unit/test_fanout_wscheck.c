/* test_fanout_wscheck: handshake and close-code checks (ws-fanout/wscheck.c). */
#include "t.h"

#include "ws-fanout/wscheck.h"

int
main(void)
{
	const char *cl[4];

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
