/*
 * jsonutil: small typed getters over jansson for parsers that must treat
 * every field as optional. All borrow their arguments.
 */
#ifndef COURTSIDE_JSONUTIL_H
#define COURTSIDE_JSONUTIL_H

#include <stdint.h>
#include <jansson.h>

/* Walks a dotted path of object keys ("status.type.state"); NULL if absent. */
json_t	*jsonutil_path(const json_t *root, const char *path);
/* The string at path, or NULL when absent or not a string. */
const char *jsonutil_str(const json_t *root, const char *path);
/* Integer at path (also from a number or a decimal string); 0 / -1. */
int	jsonutil_int(const json_t *root, const char *path, long long *out);
/* Number at path (also from a decimal string); 0 / -1. */
int	jsonutil_num(const json_t *root, const char *path, double *out);
/* Parses a decimal string ("0.5400", "13446.00") fully; 0 / -1. */
int	jsonutil_parse_decimal(const char *s, double *out);

#endif
