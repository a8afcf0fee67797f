/*
 * lwstls: the servers' one TLS setup for libwebsockets (see lwstls.h).
 * Only fills creation info: no I/O, no logging.
 */
#include "lwstls.h"

void
lwstls_server(struct lws_context_creation_info *info, const char *cert,
    const char *key)
{
	if (cert == NULL)
		return;
	info->options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	info->ssl_cert_filepath = cert;
	info->ssl_private_key_filepath = key;
	info->alpn = "http/1.1";
}
