/*
 * pmd: which permessage-deflate offer (RFC 7692 §5, §7.1) ws-fanout can
 * accept. The grammar is RFC 6455 §9.1's: offers separated by commas,
 * each a token and ";"-separated parameters, a value a token or a quoted
 * string. Pure; reads only the bytes it is given.
 */
#include <string.h>

#include "pmd.h"

struct cur {
	const char	*p, *end;
};

static int
is_tchar(int c)
{
	if (c <= 32 || c >= 127)
		return 0;
	return strchr("()<>@,;:\\\"/[]?={}", c) == NULL;
}

static void
skip_ws(struct cur *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t'))
		c->p++;
}

/*
 * A token into out; one too long for it leaves out empty (it matches
 * nothing). Its length, or -1 when there is none.
 */
static int
token(struct cur *c, char *out, size_t outsz)
{
	size_t n = 0;

	skip_ws(c);
	while (c->p < c->end && is_tchar((unsigned char)*c->p)) {
		if (n + 1 < outsz)
			out[n] = *c->p;
		n++;
		c->p++;
	}
	out[n < outsz ? n : 0] = '\0';
	skip_ws(c);
	return n == 0 ? -1 : n > 65535 ? 65535 : (int)n;
}

/* A token or a quoted string (its content a token, §9.1). */
static int
value(struct cur *c, char *out, size_t outsz)
{
	int n;

	skip_ws(c);
	if (c->p < c->end && *c->p == '"') {
		c->p++;
		if ((n = token(c, out, outsz)) < 0 || c->p >= c->end ||
		    *c->p != '"')
			return -1;
		c->p++;
		skip_ws(c);
		return n;
	}
	return token(c, out, outsz);
}

/* "8" to "15", no leading zero (RFC 7692 §7.1.2.1). */
static int
window_bits(const char *v)
{
	size_t n = strlen(v);

	if (n == 1 && v[0] >= '8' && v[0] <= '9')
		return v[0] - '0';
	if (n == 2 && v[0] == '1' && v[1] >= '0' && v[1] <= '5')
		return 10 + (v[1] - '0');
	return -1;
}

enum {
	P_SNCT = 1 << 0, P_CNCT = 1 << 1, P_SMWB = 1 << 2, P_CMWB = 1 << 3,
};

/*
 * One offer, from after its name to its end (',' or the end of the
 * value): 1 acceptable, 0 not, -1 malformed (the whole value is).
 */
static int
offer(struct cur *c, int is_pmd)
{
	char name[32], val[8];
	int seen = 0, ok = is_pmd, bit, has_val, bits;

	while (c->p < c->end && *c->p == ';') {
		c->p++;
		if (token(c, name, sizeof(name)) < 0)
			return -1;
		has_val = 0;
		if (c->p < c->end && *c->p == '=') {
			c->p++;
			if (value(c, val, sizeof(val)) < 0)
				return -1;
			has_val = 1;
		}
		if (!is_pmd)
			continue;
		if (strcmp(name, "server_no_context_takeover") == 0)
			bit = P_SNCT;
		else if (strcmp(name, "client_no_context_takeover") == 0)
			bit = P_CNCT;
		else if (strcmp(name, "server_max_window_bits") == 0)
			bit = P_SMWB;
		else if (strcmp(name, "client_max_window_bits") == 0)
			bit = P_CMWB;
		else {
			ok = 0;	/* a parameter we do not know: decline */
			continue;
		}
		if (seen & bit)
			ok = 0;	/* twice: decline (§7) */
		seen |= bit;
		bits = has_val ? window_bits(val) : -1;
		switch (bit) {
		case P_SNCT:
		case P_CNCT:
			if (has_val)
				ok = 0;
			break;
		case P_SMWB:
			/* Only the window every compressed message has. */
			if (bits != 15)
				ok = 0;
			break;
		case P_CMWB:
			if (has_val && bits < 0)
				ok = 0;
			break;
		}
	}
	if (c->p < c->end && *c->p != ',')
		return -1;
	return ok;
}

int
pmd_accept(const char *hdr, size_t len)
{
	struct cur c;
	char name[32];
	int r, found = 0;

	if (hdr == NULL || len > PMD_MAX_HEADER)
		return 0;
	c.p = hdr;
	c.end = hdr + len;
	for (;;) {
		skip_ws(&c);
		if (c.p >= c.end)
			break;
		if (*c.p == ',') {	/* empty list elements are allowed */
			c.p++;
			continue;
		}
		if (token(&c, name, sizeof(name)) < 0)
			return 0;
		r = offer(&c, strcmp(name, "permessage-deflate") == 0);
		if (r < 0)
			return 0;
		if (r == 1)
			found = 1;	/* the rest must still parse */
	}
	return found;
}
