/*
 * replay: recorded WebSocket frames (--replay) through the same handler
 * as the live feed, paced by their event time (--speed), held back while
 * the consumer is busy. Stops the tap at the end of the recording.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "input.h"
#include "ndjson.h"
#include "opts.h"
#include "output.h"
#include "timeutil.h"

#include "kalshi_ws.h"
#include "tap.h"

static int64_t
frame_ts(const struct kalshi_ws_msg *m)
{
	if (m->type == KALSHI_MSG_TICKER && (m->quote.has & KQ_TS))
		return m->quote.ts;
	if (m->type == KALSHI_MSG_TRADE && (m->trade.has & KT_TS))
		return m->trade.ts;
	return -1;
}


static void
replay_cb(uv_timer_t *h)
{
	struct tap *t = h->data;

	t->replay_waiting = 0;
	replay_pump(t);
}

/* Handles queued frames whose time has come; waits for the next one. */
void
replay_pump(struct tap *t)
{
	struct kalshi_ws_msg *msg = NULL;
	struct errbuf err;
	int64_t ev, due, now;

	if (t->stopping || t->replay_waiting ||
	    (msg = malloc(sizeof(*msg))) == NULL) {
		free(msg);
		return;
	}
	while (t->rq_n > 0 && !t->stopping) {
		json_t *obj = t->rq[t->rq_head];

		/* A recording can outrun the consumer: wait for on_drain. */
		if (t->out != NULL && output_busy(t->out))
			break;

		if (kalshi_ws_parse(obj, msg, &err) != 0) {
			log_rl(&t->bad_rl, LOG_LVL_WARN, "bad frame skipped",
			    "error=%s", log_str(err.msg));
		} else {
			if (t->cfg->speed > 0 && (ev = frame_ts(msg)) >= 0) {
				now = time_mono_ms();
				if (t->replay_t0_ev < 0) {
					t->replay_t0_ev = ev;
					t->replay_t0_mono = now;
				}
				due = t->replay_t0_mono + (int64_t)((double)(ev -
				    t->replay_t0_ev) / t->cfg->speed);
				if (due > now) {
					t->replay_waiting = 1;
					uv_timer_start(&t->replay_timer,
					    replay_cb, (uint64_t)(due - now), 0);
					break;
				}
			}
			feed_handle(t, msg);
		}
		json_decref(obj);
		t->rq_head = (t->rq_head + 1) % REPLAY_QUEUE;
		t->rq_n--;
	}
	free(msg);
	if (t->replay_paused && t->rq_n < REPLAY_QUEUE / 4 && t->rin != NULL) {
		t->replay_paused = 0;
		input_resume(t->rin);
	}
	if (t->rq_n == 0 && t->replay_eof && !t->stopping) {
		log_info("replay done", "frames=%llu", t->replay_frames);
		tap_stop(t, 0);
	}
}

static void
replay_line(void *arg, struct input *in, unsigned conn, json_t *obj,
    const char *line, size_t len)
{
	struct tap *t = arg;

	if (t->stopping)
		return;
	/* A read delivers a whole chunk of lines; the queue absorbs it. */
	if (t->rq_n == REPLAY_QUEUE) {
		log_rl(&t->bad_rl, LOG_LVL_WARN, "replay queue full, frame "
		    "dropped", NULL);
		return;
	}
	t->rq[(t->rq_head + t->rq_n) % REPLAY_QUEUE] = json_incref(obj);
	t->rq_n++;
	t->replay_frames++;
	if (t->rq_n >= REPLAY_QUEUE / 2 && !t->replay_paused) {
		t->replay_paused = 1;
		input_pause(in);
	}
	replay_pump(t);
}

static void
replay_bad(void *arg, struct input *in, enum ndjson_bad why,
    const char *detail)
{
	struct tap *t = arg;

	log_rl(&t->bad_rl, LOG_LVL_WARN, "bad frame skipped", "error=%s",
	    log_str(detail));
}

static void
replay_eof(void *arg, struct input *in)
{
	struct tap *t = arg;

	t->replay_eof = 1;
	replay_pump(t);
}

static void
replay_error(void *arg, struct input *in, const char *what, int uverr)
{
	log_error("replay read failed", "what=%s error=%s", log_str(what),
	    log_str(uv_strerror(uverr)));
	tap_stop(arg, EXIT_IOERR);
}


int
replay_open(struct tap *t, struct errbuf *err)
{
	struct input_cfg icfg;

	memset(&icfg, 0, sizeof(icfg));
	icfg.max_line = KWS_MAX_MESSAGE;
	icfg.on_line = replay_line;
	icfg.on_bad = replay_bad;
	icfg.on_eof = replay_eof;
	icfg.on_error = replay_error;
	icfg.arg = t;
	t->replay_t0_ev = -1;
	if ((t->rin = input_open(&t->svc.loop, t->cfg->replay, &icfg, err)) == NULL)
		return -1;
	return 0;
}

void
replay_fini(struct tap *t)
{
	input_close(t->rin);
	t->rin = NULL;
	while (t->rq_n > 0) {
		json_decref(t->rq[t->rq_head]);
		t->rq_head = (t->rq_head + 1) % REPLAY_QUEUE;
		t->rq_n--;
	}
}
