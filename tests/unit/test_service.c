/*
 * test_service: common/service's skeleton: service_stop is deferred to a
 * loop turn of its own, idempotent (the first code wins, a stop from
 * inside on_stop is a no-op), and service_run closes every handle left
 * and the loop once, returning the code.
 */
#include <uv.h>

#include "log.h"
#include "service.h"
#include "t.h"

static int stops, last_code, stopped_in_cb;

static void
on_stop(void *arg, int code)
{
	struct service *s = arg;

	stops++;
	last_code = code;
	service_stop(s, 99);	/* again, from inside: no-op */
}

static void
tick(uv_timer_t *h)
{
	struct service *s = h->data;

	service_stop(s, 3);
	service_stop(s, 5);
	/* Not now: from its own turn, after this callback returns. */
	stopped_in_cb = stops;
}

int
main(void)
{
	struct service s;
	struct errbuf err;
	uv_timer_t left_open, t;

	log_init("test_service", LOG_LVL_ERROR);
	T_EQ_INT(service_init(&s, on_stop, &s, &err), 0);
	/* A handle the tool forgot: service_run closes it. */
	uv_timer_init(&s.loop, &left_open);
	uv_timer_start(&left_open, tick, 3600000, 3600000);
	uv_unref((uv_handle_t *)&left_open);
	uv_timer_init(&s.loop, &t);
	t.data = &s;
	uv_timer_start(&t, tick, 1, 0);
	T_EQ_INT(service_run(&s, -1), 3);
	T_EQ_INT(stopped_in_cb, 0);
	T_EQ_INT(stops, 1);
	T_EQ_INT(last_code, 3);
	T_EQ_INT(uv_is_closing((uv_handle_t *)&left_open), 1);
	T_EQ_INT(uv_is_closing((uv_handle_t *)&t), 1);

	/* A stop before the run (wiring failed): no readiness, code kept. */
	stops = 0;
	T_EQ_INT(service_init(&s, on_stop, &s, &err), 0);
	service_stop(&s, 78);
	T_EQ_INT(stops, 0);
	T_EQ_INT(service_run(&s, -1), 78);
	T_EQ_INT(stops, 1);
	return t_done("service");
}
