/*
 * test_kalshi_sign: signs with a throwaway RSA key generated here (never
 * committed) and checks the signature with the public key alone, through
 * the module and through a separate EVP path that pins the PSS salt at 32.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "t.h"
#include "kalshi-tap/kalshi_sign.h"

static char dir[] = "/tmp/test_kalshi_sign.XXXXXX";
static char priv_path[64], pub_path[64];

static int
write_keys(void)
{
	EVP_PKEY *pkey = EVP_RSA_gen(2048);
	BIO *bio;
	FILE *f;
	int rc = -1;

	if (pkey == NULL || mkdtemp(dir) == NULL)
		goto done;
	snprintf(priv_path, sizeof(priv_path), "%s/key.pem", dir);
	snprintf(pub_path, sizeof(pub_path), "%s/pub.pem", dir);
	if ((bio = BIO_new_file(priv_path, "w")) == NULL)
		goto done;
	chmod(priv_path, 0600);
	/* PKCS#1 ("BEGIN RSA PRIVATE KEY"), as Kalshi hands keys out. */
	if (!PEM_write_bio_PrivateKey_traditional(bio, pkey, NULL, NULL, 0,
	    NULL, NULL)) {
		BIO_free(bio);
		goto done;
	}
	BIO_free(bio);
	if ((f = fopen(pub_path, "w")) == NULL)
		goto done;
	if (!PEM_write_PUBKEY(f, pkey)) {
		fclose(f);
		goto done;
	}
	fclose(f);
	rc = 0;
done:
	EVP_PKEY_free(pkey);
	return rc;
}

/* Verifies outside the module, with an explicit salt length. */
static int
independent_verify(const char *msg, const char *b64, int saltlen)
{
	unsigned char sig[1024];
	EVP_PKEY *pub;
	EVP_MD_CTX *md;
	EVP_PKEY_CTX *pctx = NULL;
	FILE *f = fopen(pub_path, "r");
	size_t n = strlen(b64);
	int len, ok = 0;

	if (f == NULL)
		return -1;
	pub = PEM_read_PUBKEY(f, NULL, NULL, NULL);
	fclose(f);
	len = EVP_DecodeBlock(sig, (const unsigned char *)b64, (int)n);
	while (n > 0 && b64[--n] == '=')
		len--;
	md = EVP_MD_CTX_new();
	if (pub != NULL && md != NULL && len > 0 &&
	    EVP_DigestVerifyInit(md, &pctx, EVP_sha256(), NULL, pub) == 1 &&
	    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
	    EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha256()) == 1 &&
	    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, saltlen) == 1)
		ok = EVP_DigestVerify(md, sig, (size_t)len,
		    (const unsigned char *)msg, strlen(msg)) == 1;
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(pub);
	return ok;
}

int
main(void)
{
	char sig[KALSHI_SIG_B64_MAX], sig2[KALSHI_SIG_B64_MAX];
	struct kalshi_key *k, *pub;
	struct errbuf err;
	int loose = -1;

	T_EQ_INT(write_keys(), 0);
	k = kalshi_key_load(priv_path, &loose, &err);
	T_CHECK(k != NULL);
	T_EQ_INT(loose, 0);
	pub = kalshi_pubkey_load(pub_path, &err);
	T_CHECK(pub != NULL);
	if (k == NULL || pub == NULL)
		return t_done("test_kalshi_sign");

	T_EQ_INT(kalshi_sign(k, 1748736371880LL, "GET", "/trade-api/ws/v2",
	    sig, sizeof(sig), &err), 0);
	T_EQ_INT(strlen(sig), 344);	/* 256 bytes in base64 */
	T_EQ_INT(kalshi_verify(pub, "1748736371880", "GET", "/trade-api/ws/v2",
	    sig, &err), 1);
	T_EQ_INT(independent_verify("1748736371880GET/trade-api/ws/v2", sig,
	    32), 1);
	/* The salt really is 32 bytes, not the digest-length default. */
	T_EQ_INT(independent_verify("1748736371880GET/trade-api/ws/v2", sig,
	    20), 0);
	/* PSS is randomized: two signatures differ, both verify. */
	T_EQ_INT(kalshi_sign(k, 1748736371880LL, "GET", "/trade-api/ws/v2",
	    sig2, sizeof(sig2), &err), 0);
	T_CHECK(strcmp(sig, sig2) != 0);
	T_EQ_INT(kalshi_verify(pub, "1748736371880", "GET", "/trade-api/ws/v2",
	    sig2, &err), 1);
	/* Any other timestamp, method or path fails; so does garbage. */
	T_EQ_INT(kalshi_verify(pub, "1748736371881", "GET", "/trade-api/ws/v2",
	    sig, &err), 0);
	T_EQ_INT(kalshi_verify(pub, "1748736371880", "POST", "/trade-api/ws/v2",
	    sig, &err), 0);
	T_EQ_INT(kalshi_verify(pub, "1748736371880", "GET", "/trade-api/v2",
	    sig, &err), 0);
	T_EQ_INT(kalshi_verify(pub, "1748736371880", "GET", "/trade-api/ws/v2",
	    "AAAA", &err), 0);
	T_EQ_INT(kalshi_verify(pub, "1748736371880", "GET", "/trade-api/ws/v2",
	    "not base64!", &err), 0);
	/* A buffer too small is an error, not an overflow. */
	T_EQ_INT(kalshi_sign(k, 1, "GET", "/", sig2, 100, &err), -1);

	/* A key readable by others is flagged; a missing one fails cleanly. */
	chmod(priv_path, 0644);
	kalshi_key_free(kalshi_key_load(priv_path, &loose, &err));
	T_EQ_INT(loose, 1);
	T_CHECK(kalshi_key_load("/nonexistent/key.pem", &loose, &err) == NULL);
	T_CHECK(kalshi_key_load(pub_path, &loose, &err) == NULL);
	T_CHECK(strstr(err.msg, "BEGIN") == NULL);

	kalshi_key_free(k);
	kalshi_key_free(pub);
	kalshi_key_free(NULL);
	unlink(priv_path);
	unlink(pub_path);
	rmdir(dir);
	return t_done("test_kalshi_sign");
}
