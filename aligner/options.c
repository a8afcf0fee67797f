/*
 * options: the aligner's command line (see options.h), moved out of
 * main.c as it was.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errbuf.h"
#include "input.h"
#include "log.h"
#include "opts.h"
#include "output.h"
#include "redis_url.h"

#include "options.h"

enum { OPT_EXPIRE = 256, OPT_MAXLEN };

static const struct option longopts[] = {
	{ "max-backlog",	required_argument, NULL, 'b' },
	{ "max-games",		required_argument, NULL, 'g' },
	{ "help",		no_argument,	   NULL, 'h' },
	{ "max-line",		required_argument, NULL, 'l' },
	{ "map",		required_argument, NULL, 'm' },
	{ "output",		required_argument, NULL, 'o' },
	{ "max-points",		required_argument, NULL, 'p' },
	{ "quiet",		no_argument,	   NULL, 'q' },
	{ "ready-fd",		required_argument, NULL, 'r' },
	{ "max-tick",		required_argument, NULL, 't' },
	{ "max-unmapped",	required_argument, NULL, 'u' },
	{ "verbose",		no_argument,	   NULL, 'v' },
	{ "version",		no_argument,	   NULL, 'V' },
	{ "stream-expire",	required_argument, NULL, OPT_EXPIRE },
	{ "stream-maxlen",	required_argument, NULL, OPT_MAXLEN },
	{ NULL, 0, NULL, 0 }
};

static void
usage_exit(void)
{
	printf("usage: %s\n", ALIGNER_USAGE);
	printf("  -b, --max-backlog BYTES  output held while the consumer is "
	    "away (default 64 MiB)\n");
	printf("  -g, --max-games N     games held (default %d)\n",
	    ALIGN_DEFAULT_MAX_GAMES);
	printf("  -l, --max-line BYTES  longest input line (default %d)\n",
	    NDJSON_DEFAULT_MAX_LINE);
	printf("  -m, --map FILE        market map: GAME_ID TICKER TEAM "
	    "per line\n");
	printf("  -o, --output SPEC     - (stdout, default), unix:PATH or "
	    "redis://[HOST][:PORT]/NAME\n");
	printf("  -p, --max-points N    points per series per game "
	    "(default %d)\n", ALIGN_DEFAULT_MAX_POINTS);
	printf("  -q, --quiet           log less (repeatable)\n");
	printf("  -r, --ready-fd N      write a newline to fd N once serving\n");
	printf("  -t, --max-tick N      new points that force a tick "
	    "(default %d)\n", ALIGN_DEFAULT_MAX_TICK);
	printf("  -u, --max-unmapped N  quotes held for unknown games "
	    "(default %d)\n", ALIGN_DEFAULT_MAX_UNMAPPED);
	printf("  -v, --verbose         log more (repeatable)\n");
	printf("      --stream-expire DUR  redis: keep a final game's stream "
	    "(default 6h)\n");
	printf("      --stream-maxlen N  redis: entries per game stream "
	    "(default %d)\n", OUTPUT_REDIS_DEFAULT_MAXLEN);
	printf("  -h, --help            this text\n");
	printf("  -V, --version         the version\n");
	printf("inputs: - (stdin, the default), a file or FIFO, "
	    "or unix:PATH (listen)\n");
	exit(0);
}

void
aligner_options(struct aligner_opts *o, int argc, char **argv)
{
	static const char *const stdin_only[] = { "-" };
	struct errbuf err;
	int ch, i, stdin_used = 0;

	memset(o, 0, sizeof(*o));
	o->outspec = "-";
	o->ready_fd = -1;
	while ((ch = getopt_long(argc, argv, "b:g:hl:m:o:p:qr:t:u:vV", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'b':
			o->max_backlog = (size_t)opt_int_or_die("max-backlog",
			    optarg, 4096, 1LL << 40);
			break;
		case 'g':
			o->acfg.max_games = (size_t)opt_int_or_die("max-games",
			    optarg, 1, 1000000);
			break;
		case 'h':
			usage_exit();
			break;
		case 'l':
			o->max_line = (size_t)opt_int_or_die("max-line", optarg,
			    256, 64 * 1024 * 1024);
			break;
		case 'm':
			o->map = optarg;
			break;
		case 'o':
			if (strcmp(optarg, "-") != 0 &&
			    strncmp(optarg, "unix:", 5) != 0 &&
			    !redis_url_is(optarg))
				opt_usage_error("--output: want -, unix:PATH or "
				    "redis://[HOST][:PORT]/NAME");
			if (redis_url_is(optarg)) {
				struct redis_url u;

				if (redis_url_parse(optarg, &u, &err) == -1)
					opt_usage_error("--output: %s", err.msg);
			}
			o->outspec = optarg;
			break;
		case 'p':
			o->acfg.max_points = (size_t)opt_int_or_die("max-points",
			    optarg, 16, 100000000);
			break;
		case 'q':
			log_quiet();
			break;
		case 'r':
			o->ready_fd = (int)opt_int_or_die("ready-fd", optarg, 0,
			    65535);
			break;
		case 't':
			o->acfg.max_tick = (size_t)opt_int_or_die("max-tick",
			    optarg, 1, 10000000);
			break;
		case 'u':
			o->acfg.max_unmapped = (size_t)opt_int_or_die(
			    "max-unmapped", optarg, 1, 100000000);
			break;
		case 'v':
			log_verbose();
			break;
		case 'V':
			opt_version();
			break;
		case OPT_EXPIRE:
			o->stream_expire = opt_duration_or_die("stream-expire",
			    optarg, 1000, 30LL * 86400000) / 1000;
			break;
		case OPT_MAXLEN:
			o->stream_maxlen = (size_t)opt_int_or_die("stream-maxlen",
			    optarg, 10, 100000000);
			break;
		default:
			opt_usage_error("unknown option");
		}
	}
	o->nspecs = argc - optind;
	o->specs = (const char *const *)(argv + optind);
	if (o->nspecs == 0) {
		o->specs = stdin_only;
		o->nspecs = 1;
	}
	for (i = 0; i < o->nspecs; i++)
		if (strcmp(o->specs[i], "-") == 0 && stdin_used++)
			opt_usage_error("stdin given twice");
}
