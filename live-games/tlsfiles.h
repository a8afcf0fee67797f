/*
 * tlsfiles: checks that a PEM certificate chain and its private key load
 * and match, before libwebsockets is given them (lws 4.1 only logs a bad
 * one and serves on). Reads the two files; holds nothing after.
 */
#ifndef LIVE_TLSFILES_H
#define LIVE_TLSFILES_H

#include "errbuf.h"

/*
 * Returns 0 when cert (a PEM chain) and key (its PEM private key) load
 * and match; else -1 with err naming the file and OpenSSL's reason.
 * Borrows both paths; key NULL is an error.
 */
int	tlsfiles_check(const char *cert, const char *key, struct errbuf *err);

#endif
