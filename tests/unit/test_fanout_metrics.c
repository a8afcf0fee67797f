/*
 * test_fanout_metrics: the Prometheus text and the periodic log line.
 */
#include <string.h>

#include <stdlib.h>

#include "t.h"
#include "ws-fanout/metrics.h"

int
main(void)
{
	struct metrics m;
	struct buf b;
	int i;

	memset(&m, 0, sizeof(m));
	m.conns_open = 3;
	m.conns_total = 7;
	m.msgs_sent = 42;
	m.bytes_sent = 4200;
	m.resyncs = 2;
	m.rejected[REJECT_PER_IP] = 5;
	for (i = 0; i < 98; i++)
		hist_observe(&m.age, 80);
	hist_observe(&m.age, 3000);
	hist_observe(&m.age, 7000000);
	T_EQ_INT(m.age.count, 100);
	T_EQ_INT(hist_quantile(&m.age, 0.5), 100);
	T_EQ_INT(hist_quantile(&m.age, 0.99), 5000);
	T_EQ_INT(hist_quantile(&m.age, 1.0), 7000000);

	buf_init(&b, 0);
	metrics_render(&m, &b);
	metrics_render_game(&b, "401772994", 12, 1);
	T_CHECK(b.p != NULL);
	if (b.p != NULL) {
		T_CHECK(strstr(b.p, "\nws_fanout_connections 3\n") != NULL);
		T_CHECK(strstr(b.p, "\nws_fanout_messages_sent_total 42\n"));
		T_CHECK(strstr(b.p, "ws_fanout_rejected_total{reason=\"per_ip\"} 5\n"));
		T_CHECK(strstr(b.p, "ws_fanout_write_age_seconds_bucket"
		    "{le=\"0.0001\"} 98\n"));
		T_CHECK(strstr(b.p, "ws_fanout_write_age_seconds_bucket"
		    "{le=\"+Inf\"} 100\n"));
		T_CHECK(strstr(b.p, "ws_fanout_write_age_seconds_count 100\n"));
		T_CHECK(strstr(b.p, "ws_fanout_subscribers{game_id=\"401772994\"}"
		    " 12\n"));
		T_CHECK(strstr(b.p, "# TYPE ws_fanout_resyncs_total counter\n"));
	}
	buf_reset(&b);
	metrics_logfmt(&m, &b);
	T_CHECK(b.p != NULL && strstr(b.p, "conns=3 ") == b.p);
	T_CHECK(b.p != NULL && strstr(b.p, " rejected_per_ip=5"));
	T_CHECK(b.p != NULL && strchr(b.p, '\n') == NULL);
	buf_fini(&b);

	/* A buffer with a ceiling refuses to pass it. */
	buf_init(&b, 8);
	T_EQ_INT(buf_adds(&b, "12345678"), 0);
	T_EQ_INT(buf_adds(&b, "9"), -1);
	T_EQ_INT(b.failed, 1);
	buf_fini(&b);
	buf_init(&b, 0);
	buf_add_jstr(&b, "a\"b\\c\n\x01");
	T_EQ_STR(b.p, "\"a\\\"b\\\\c\\u000a\\u0001\"");
	buf_fini(&b);
	return t_done("test_fanout_metrics");
}
