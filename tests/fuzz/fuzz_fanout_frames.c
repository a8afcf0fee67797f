/*
 * fuzz_fanout_frames: stream lines as ws-fanout reads them (NDJSON from
 * the aligner) into rooms.c. Every snapshot and update it encodes must
 * be valid JSON, and resume answers must stay within history.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ws-fanout/rooms.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_json(const struct msg *m)
{
	json_t *j = json_loadb((const char *)m->data + m->pre, m->len, 0, NULL);

	if (j == NULL || !json_is_object(j))
		abort();
	json_decref(j);
}

static void
on_update(void *arg, struct room *r, struct msg *m)
{
	(void)arg;
	(void)r;
	check_json(m);
}

static void
on_notice(void *arg, struct room *r, struct msg *m)
{
	(void)arg;
	(void)r;
	check_json(m);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rooms_cfg cfg;
	struct rooms *rs;
	struct room *r;
	struct msg *out[8], *m;
	const char *p = (const char *)data, *end = p + size, *nl;
	int64_t now = 1000000;
	json_t *j;
	int n;

	memset(&cfg, 0, sizeof(cfg));
	cfg.pre = 16;
	cfg.rate = 10;
	cfg.history = 8;
	cfg.history_bytes = 1 << 16;
	cfg.max_series = 1 << 20;
	cfg.max_rooms = 4;
	cfg.sink.on_update = on_update;
	cfg.sink.on_notice = on_notice;
	if ((rs = rooms_new(&cfg)) == NULL)
		return 0;
	while (p < end) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		j = json_loadb(p, (size_t)(nl - p), JSON_DISABLE_EOF_CHECK |
		    JSON_DECODE_ANY, NULL);
		if (j != NULL) {
			(void)rooms_ingest(rs, j, now, now);
			json_decref(j);
		}
		now += 37000;
		(void)rooms_flush(rs, now);
		p = nl + 1;
	}
	(void)rooms_flush(rs, now + 10000000);
	for (r = rooms_first(rs); r != NULL; r = room_next(r)) {
		if ((m = room_snapshot(r, (int)(size & 1))) != NULL)
			check_json(m);
		n = room_since(r, room_epoch(r), room_seq(r) / 2, out, 8);
		if (n > 8)
			abort();
	}
	rooms_free(rs);
	return 0;
}
