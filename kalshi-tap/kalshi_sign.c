/*
 * kalshi_sign: RSA-PSS (SHA-256, MGF1-SHA-256, salt 32) request signing
 * and verification with OpenSSL EVP. Must never print or log key material.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "kalshi_sign.h"

#define MAX_KEY_FILE	(64 * 1024)
#define MAX_MESSAGE	512

struct kalshi_key {
	EVP_PKEY	*pkey;
};

/* Reads a small file whole; returns a new buffer or NULL with err set. */
static char *
read_small(const char *path, size_t *len, int *loose, struct errbuf *err)
{
	struct stat st;
	char *buf = NULL;
	ssize_t r;
	size_t n = 0;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		errbuf_set(err, "open key file: %s", strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_size > MAX_KEY_FILE) {
		errbuf_set(err, "key file: not a regular file under 64 KiB");
		goto fail;
	}
	if (loose != NULL)
		*loose = (st.st_mode & (S_IRGRP | S_IROTH)) != 0;
	if ((buf = malloc((size_t)st.st_size + 1)) == NULL) {
		errbuf_set(err, "out of memory");
		goto fail;
	}
	while (n < (size_t)st.st_size) {
		r = read(fd, buf + n, (size_t)st.st_size - n);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0) {
			errbuf_set(err, "read key file: %s",
			    r == 0 ? "short read" : strerror(errno));
			goto fail;
		}
		n += (size_t)r;
	}
	close(fd);
	*len = n;
	return buf;
fail:
	if (buf != NULL) {
		OPENSSL_cleanse(buf, (size_t)st.st_size + 1);
		free(buf);
	}
	close(fd);
	return NULL;
}

static int
no_passphrase(char *buf, int size, int rwflag, void *u)
{
	return 0;
}

static struct kalshi_key *
load(const char *path, int private, int *loose, struct errbuf *err)
{
	struct kalshi_key *k = NULL;
	EVP_PKEY *pkey = NULL;
	BIO *bio = NULL;
	size_t len = 0;
	char *pem;

	if ((pem = read_small(path, &len, loose, err)) == NULL)
		return NULL;
	if ((bio = BIO_new_mem_buf(pem, (int)len)) == NULL) {
		errbuf_set(err, "out of memory");
		goto done;
	}
	/* The passphrase callback refuses: the key must be unencrypted. */
	if (private)
		pkey = PEM_read_bio_PrivateKey(bio, NULL, no_passphrase, NULL);
	else
		pkey = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
	ERR_clear_error();
	if (pkey == NULL) {
		errbuf_set(err, "key file: no %s PEM key",
		    private ? "private" : "public");
		goto done;
	}
	if (EVP_PKEY_get_base_id(pkey) != EVP_PKEY_RSA) {
		errbuf_set(err, "key file: not an RSA key");
		EVP_PKEY_free(pkey);
		goto done;
	}
	if ((k = errbuf_calloc(sizeof(*k), err)) == NULL) {
		EVP_PKEY_free(pkey);
		goto done;
	}
	k->pkey = pkey;
done:
	BIO_free(bio);
	OPENSSL_cleanse(pem, len);
	free(pem);
	return k;
}

struct kalshi_key *
kalshi_key_load(const char *path, int *loose, struct errbuf *err)
{
	if (loose != NULL)
		*loose = 0;
	return load(path, 1, loose, err);
}

struct kalshi_key *
kalshi_pubkey_load(const char *path, struct errbuf *err)
{
	return load(path, 0, NULL, err);
}

void
kalshi_key_free(struct kalshi_key *k)
{
	if (k == NULL)
		return;
	EVP_PKEY_free(k->pkey);
	free(k);
}

static int
pss_params(EVP_PKEY_CTX *pctx)
{
	return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) > 0 &&
	    EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha256()) > 0 &&
	    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 32) > 0 ? 0 : -1;
}

int
kalshi_sign(struct kalshi_key *k, int64_t ts_ms, const char *method,
    const char *path, char *out, size_t outlen, struct errbuf *err)
{
	unsigned char sig[1024];
	char msg[MAX_MESSAGE];
	EVP_MD_CTX *md = NULL;
	EVP_PKEY_CTX *pctx = NULL;
	size_t siglen = sizeof(sig);
	int n, rc = -1;

	n = snprintf(msg, sizeof(msg), "%" PRId64 "%s%s", ts_ms, method, path);
	if (n < 0 || (size_t)n >= sizeof(msg))
		return errbuf_set(err, "sign: message too long");
	if ((size_t)EVP_PKEY_get_size(k->pkey) > sizeof(sig) ||
	    outlen < 4 * (((size_t)EVP_PKEY_get_size(k->pkey) + 2) / 3) + 1)
		return errbuf_set(err, "sign: key too large");
	if ((md = EVP_MD_CTX_new()) == NULL) {
		errbuf_set(err, "out of memory");
		goto done;
	}
	if (EVP_DigestSignInit(md, &pctx, EVP_sha256(), NULL, k->pkey) != 1 ||
	    pss_params(pctx) != 0 ||
	    EVP_DigestSign(md, sig, &siglen, (const unsigned char *)msg,
	    (size_t)n) != 1) {
		errbuf_set(err, "sign: OpenSSL refused (%lu)", ERR_get_error());
		goto done;
	}
	EVP_EncodeBlock((unsigned char *)out, sig, (int)siglen);
	rc = 0;
done:
	ERR_clear_error();
	EVP_MD_CTX_free(md);
	return rc;
}

int
kalshi_verify(struct kalshi_key *k, const char *ts_ms, const char *method,
    const char *path, const char *sig_b64, struct errbuf *err)
{
	unsigned char sig[1100];
	char msg[MAX_MESSAGE];
	EVP_MD_CTX *md = NULL;
	EVP_PKEY_CTX *pctx = NULL;
	size_t b64len = strlen(sig_b64), pad = 0;
	int n, siglen, rc = -1;

	n = snprintf(msg, sizeof(msg), "%s%s%s", ts_ms, method, path);
	if (n < 0 || (size_t)n >= sizeof(msg))
		return errbuf_set(err, "verify: message too long");
	if (b64len == 0 || b64len % 4 != 0 || b64len / 4 * 3 > sizeof(sig))
		return 0;
	siglen = EVP_DecodeBlock(sig, (const unsigned char *)sig_b64,
	    (int)b64len);
	if (siglen < 0)
		return 0;
	/* EVP_DecodeBlock counts the padding as zero bytes. */
	while (pad < 2 && b64len > pad && sig_b64[b64len - 1 - pad] == '=')
		pad++;
	siglen -= (int)pad;
	if ((md = EVP_MD_CTX_new()) == NULL) {
		errbuf_set(err, "out of memory");
		goto done;
	}
	if (EVP_DigestVerifyInit(md, &pctx, EVP_sha256(), NULL, k->pkey) != 1 ||
	    pss_params(pctx) != 0) {
		errbuf_set(err, "verify: OpenSSL refused (%lu)", ERR_get_error());
		goto done;
	}
	rc = EVP_DigestVerify(md, sig, (size_t)siglen,
	    (const unsigned char *)msg, (size_t)n) == 1 ? 1 : 0;
done:
	ERR_clear_error();
	EVP_MD_CTX_free(md);
	return rc;
}
