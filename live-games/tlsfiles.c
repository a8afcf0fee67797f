/*
 * tlsfiles: loads the certificate and key into a throwaway OpenSSL
 * context, the same calls lws makes, so that main can refuse to start
 * with a clear message instead.
 */
#include <stdio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "tlsfiles.h"

static void
reason(struct errbuf *err, const char *what, const char *path)
{
	char buf[256];
	unsigned long e = ERR_peek_last_error();

	if (e != 0)
		ERR_error_string_n(e, buf, sizeof(buf));
	else
		snprintf(buf, sizeof(buf), "unknown error");
	ERR_clear_error();
	errbuf_set(err, "%s %s: %s", what, path, buf);
}

int
tlsfiles_check(const char *cert, const char *key, struct errbuf *err)
{
	SSL_CTX *ctx;
	int rc = -1;

	if (cert == NULL || key == NULL) {
		errbuf_set(err, "--tls-cert and --tls-key go together");
		return -1;
	}
	if ((ctx = SSL_CTX_new(TLS_server_method())) == NULL) {
		errbuf_set(err, "cannot start OpenSSL");
		return -1;
	}
	if (SSL_CTX_use_certificate_chain_file(ctx, cert) != 1)
		reason(err, "cannot load certificate", cert);
	else if (SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1)
		reason(err, "cannot load private key", key);
	else if (SSL_CTX_check_private_key(ctx) != 1)
		reason(err, "private key does not match certificate", key);
	else
		rc = 0;
	SSL_CTX_free(ctx);
	return rc;
}
