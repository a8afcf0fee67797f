/*
 * ndjson-relay: a test program for common/'s I/O layer. Reads NDJSON
 * from its inputs (-, paths, unix:PATH), writes each good line to
 * --output, and with --state resends every line seen so far to each new
 * output connection. Exits 0 when every non-socket input is at EOF.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "log.h"
#include "ndjson.h"
#include "opts.h"
#include "output.h"
#include "service.h"

#define USAGE "ndjson-relay [-qv] [--max-line N] [--output SPEC] " \
	"[--ready-fd N] [--state] input ..."

struct relay {
	uv_loop_t	*loop;
	struct output	*out;
	struct input	**ins;
	int		 nins, open_files;
	int		 keep_state;
	char		**lines;
	size_t		*lens;
	size_t		 nlines, cap;
	int		 stopping;
};

static void
on_line(void *arg, struct input *in, unsigned conn, json_t *obj,
    const char *line, size_t len)
{
	struct relay *r = arg;
	char *copy;

	(void)in; (void)conn; (void)obj;
	if ((copy = malloc(len + 1)) == NULL)
		return;
	memcpy(copy, line, len);
	copy[len] = '\n';
	output_write(r->out, copy, len + 1);
	if (!r->keep_state) {
		free(copy);
		return;
	}
	if (r->nlines == r->cap) {
		size_t nc = r->cap ? r->cap * 2 : 64;
		char **nl = realloc(r->lines, nc * sizeof(*nl));
		size_t *ns = nl ? realloc(r->lens, nc * sizeof(*ns)) : NULL;

		if (nl)
			r->lines = nl;
		if (ns == NULL) {
			free(copy);
			return;
		}
		r->lens = ns;
		r->cap = nc;
	}
	r->lines[r->nlines] = copy;
	r->lens[r->nlines++] = len + 1;
}

static void
on_bad(void *arg, struct input *in, enum ndjson_bad why, const char *d)
{
	static struct ratelimit rl = RATELIMIT_INIT(1000, 5);

	(void)arg;
	log_rl(&rl, LOG_LVL_WARN, "bad line", "input=%s why=%d detail=%s",
	    log_str(input_spec(in)), (int)why, log_str(d));
}

static void
on_conn(void *arg, struct input *in, unsigned conn, int up)
{
	(void)arg;
	log_info(up ? "writer connected" : "writer left", "input=%s conn=%u",
	    log_str(input_spec(in)), conn);
}

static void
on_connect(void *arg, struct output *out)
{
	struct relay *r = arg;
	size_t i;

	log_info("output connected", "resend=%zu", r->nlines);
	for (i = 0; i < r->nlines; i++)
		output_write(out, r->lines[i], r->lens[i]);
}

static void
stop(struct relay *r)
{
	int i;

	if (r->stopping)
		return;
	r->stopping = 1;
	for (i = 0; i < r->nins; i++) {
		struct ndjson_stats st;

		input_stats(r->ins[i], &st);
		log_info("input done", "input=%s lines=%llu too_long=%llu "
		    "not_json=%llu not_object=%llu",
		    log_str(input_spec(r->ins[i])), st.lines, st.too_long,
		    st.not_json, st.not_object);
		input_close(r->ins[i]);
	}
	output_close(r->out, 2000, NULL, NULL);
	service_signals_close();
}

static void
on_eof(void *arg, struct input *in)
{
	struct relay *r = arg;

	(void)in;
	if (--r->open_files == 0)
		stop(r);
}

static void
on_signal(void *arg, int signum)
{
	log_info("stopping", "signal=%d", signum);
	stop(arg);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "max-line", required_argument, NULL, 'm' },
		{ "output", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "ready-fd", required_argument, NULL, 'r' },
		{ "state", no_argument, NULL, 's' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct relay r = { 0 };
	struct input_cfg icfg = { 0 };
	struct output_cfg ocfg = { 0 };
	struct errbuf err;
	const char *output = "-";
	int ch, i, ready_fd = -1;
	size_t max_line = 0;
	uv_loop_t loop;

	log_init("ndjson-relay", LOG_LVL_INFO);
	opt_set_usage("ndjson-relay", USAGE);
	while ((ch = getopt_long(argc, argv, "hm:o:qr:svV", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'h':
			printf("usage: %s\n", USAGE);
			return 0;
		case 'm':
			max_line = (size_t)opt_int_or_die("--max-line", optarg,
			    16, 64 * 1024 * 1024);
			break;
		case 'o':
			output = optarg;
			break;
		case 'q':
			log_quiet();
			break;
		case 'r':
			ready_fd = (int)opt_int_or_die("--ready-fd", optarg, 0,
			    1 << 20);
			break;
		case 's':
			r.keep_state = 1;
			break;
		case 'v':
			log_verbose();
			break;
		case 'V':
			opt_version();
		default:
			opt_usage_error("unknown option");
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		opt_usage_error("no input");
	uv_loop_init(&loop);
	r.loop = &loop;
	if (service_signals(&loop, on_signal, &r, &err) == -1) {
		log_error("signals", "err=%s", log_str(err.msg));
		return EXIT_OSERR;
	}
	ocfg.on_connect = on_connect;
	ocfg.arg = &r;
	if ((r.out = output_open(&loop, output, &ocfg, &err)) == NULL) {
		log_error("cannot open output", "err=%s", log_str(err.msg));
		return EXIT_USAGE;
	}
	icfg.max_line = max_line;
	icfg.on_line = on_line;
	icfg.on_bad = on_bad;
	icfg.on_conn = on_conn;
	icfg.on_eof = on_eof;
	icfg.arg = &r;
	r.ins = calloc((size_t)argc, sizeof(*r.ins));
	for (i = 0; i < argc; i++) {
		if ((r.ins[i] = input_open(&loop, argv[i], &icfg, &err)) == NULL) {
			log_error("cannot open input", "err=%s",
			    log_str(err.msg));
			free(r.ins);
			return EXIT_IOERR;
		}
		r.nins++;
		if (!input_is_socket(r.ins[i]))
			r.open_files++;
	}
	if (service_ready(ready_fd, &err) == -1)
		log_warn("readiness", "err=%s", log_str(err.msg));
	uv_run(&loop, UV_RUN_DEFAULT);
	service_loop_close(&loop);
	for (size_t k = 0; k < r.nlines; k++)
		free(r.lines[k]);
	free(r.lines);
	free(r.lens);
	free(r.ins);
	return 0;
}
