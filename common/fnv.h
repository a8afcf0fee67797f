/*
 * fnv: the 64-bit FNV-1a hash, for hash tables and change detection
 * (never for anything an attacker may aim at). Pure.
 */
#ifndef COURTSIDE_FNV_H
#define COURTSIDE_FNV_H

#include <stddef.h>
#include <stdint.h>

#define FNV1A64_BASIS	14695981039346656037ULL	/* the offset basis */

/* h (FNV1A64_BASIS to start) folded with n bytes of data. Borrows data. */
uint64_t fnv1a64(const void *data, size_t n, uint64_t h);

#endif
