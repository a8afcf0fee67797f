/*
 * kalshi_sign: Kalshi request signatures. RSA-PSS with SHA-256,
 * MGF1-SHA-256 and a 32-byte salt over timestamp_ms + METHOD + PATH,
 * base64 encoded (OpenSSL EVP). Never logs; the key stays in memory only.
 */
#ifndef KALSHI_SIGN_H
#define KALSHI_SIGN_H

#include <stddef.h>
#include <stdint.h>

#include "errbuf.h"

/* Room for the base64 of a signature from keys up to 8192 bits, with NUL. */
#define KALSHI_SIG_B64_MAX	1400

struct kalshi_key;

/*
 * Loads a PEM private key (PKCS#1 or PKCS#8, RSA) from path. Returns a new
 * key, or NULL with err set (never with key material in it). *loose, when
 * not NULL, is set to 1 when the file is readable by group or others.
 */
struct kalshi_key *kalshi_key_load(const char *path, int *loose,
	    struct errbuf *err);
/* Loads a PEM public key ("BEGIN PUBLIC KEY") for verifying. */
struct kalshi_key *kalshi_pubkey_load(const char *path, struct errbuf *err);
/* NULL is a no-op. */
void	kalshi_key_free(struct kalshi_key *k);

/*
 * Signs ts_ms + method + path into out (NUL-terminated base64). Returns 0,
 * or -1 with err set.
 */
int	kalshi_sign(struct kalshi_key *k, int64_t ts_ms, const char *method,
	    const char *path, char *out, size_t outlen, struct errbuf *err);
/*
 * Verifies a base64 signature over ts_ms + method + path with a public (or
 * private) key. Returns 1 when good, 0 when not, -1 with err set on error.
 */
int	kalshi_verify(struct kalshi_key *k, const char *ts_ms,
	    const char *method, const char *path, const char *sig_b64,
	    struct errbuf *err);

#endif
