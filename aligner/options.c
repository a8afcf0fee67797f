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

/*
 * The letters are those of every tool (courtside(7)); the aligner's own
 * limits, whose letters meant other options elsewhere, are long only.
 */
enum { OPT_MAP = 256, OPT_BACKLOG, OPT_GAMES, OPT_LINE, OPT_POINTS,
	OPT_TICK, OPT_UNMAPPED, OPT_EXPIRE, OPT_MAXLEN };

static void
usage_exit(void)
{
	printf("usage: %s\n", ALIGNER_USAGE);
	printf("  -h, --help            this text\n");
	printf("  -o, --output SPEC     - (stdout, default), unix:PATH or "
	    "redis://[HOST][:PORT]/NAME\n");
	printf("  -q, --quiet           log less (repeatable)\n");
	printf("  -v, --verbose         log more (repeatable)\n");
	printf("  -V, --version         the version\n");
	printf("      --map FILE        market map: GAME_ID TICKER TEAM "
	    "per line\n");
	printf("      --max-backlog BYTES  output held while the consumer is "
	    "away (default 64 MiB)\n");
	printf("      --max-games N     games held (default %d)\n",
	    ALIGN_DEFAULT_MAX_GAMES);
	printf("      --max-line BYTES  longest input line (default %d)\n",
	    NDJSON_DEFAULT_MAX_LINE);
	printf("      --max-points N    points per series per game "
	    "(default %d)\n", ALIGN_DEFAULT_MAX_POINTS);
	printf("      --max-tick N      new points that force a tick "
	    "(default %d)\n", ALIGN_DEFAULT_MAX_TICK);
	printf("      --max-unmapped N  quotes held for unknown games "
	    "(default %d)\n", ALIGN_DEFAULT_MAX_UNMAPPED);
	printf("      --ready-fd FD     write a newline to FD once serving\n");
	printf("      --stream-expire DUR  redis: keep a final game's stream "
	    "(default 6h)\n");
	printf("      --stream-maxlen N  redis: entries per game stream "
	    "(default %d)\n", OUTPUT_REDIS_DEFAULT_MAXLEN);
	printf("inputs: - (stdin, the default), a file or FIFO, "
	    "or unix:PATH (listen)\n");
	exit(0);
}

void
aligner_options(struct aligner_opts *o, int argc, char **argv)
{
	static const char *const stdin_only[] = { "-" };
	/* In the order of --help and the man page. */
	const struct opts_row rows[] = {
		OPTS_HELP(usage_exit),
		OPTS_TOOL_ARG('o', "output"),
		OPTS_ROW_QUIET,
		OPTS_ROW_VERBOSE(NULL),
		OPTS_ROW_VERSION,
		OPTS_STR(OPT_MAP, "map", &o->map),
		OPTS_SIZE(OPT_BACKLOG, "max-backlog", 4096, 1LL << 40,
		    &o->ocfg.max_queue),
		OPTS_SIZE(OPT_GAMES, "max-games", 1, 1000000,
		    &o->acfg.max_games),
		OPTS_SIZE(OPT_LINE, "max-line", 256, 64 * 1024 * 1024,
		    &o->icfg.max_line),
		OPTS_SIZE(OPT_POINTS, "max-points", 16, 100000000,
		    &o->acfg.max_points),
		OPTS_SIZE(OPT_TICK, "max-tick", 1, 10000000, &o->acfg.max_tick),
		OPTS_SIZE(OPT_UNMAPPED, "max-unmapped", 1, 100000000,
		    &o->acfg.max_unmapped),
		OPTS_ROW_READY_FD(&o->ready_fd),
		OPTS_TOOL_ARG(OPT_EXPIRE, "stream-expire"),
		OPTS_SIZE(OPT_MAXLEN, "stream-maxlen", 10, 100000000,
		    &o->ocfg.redis_maxlen),
	};
	struct errbuf err;
	struct opts_parse p;
	int ch, i, stdin_used = 0;

	memset(o, 0, sizeof(*o));
	o->outspec = "-";
	o->ready_fd = -1;
	opts_init(&p, rows, OPTS_N(rows), 0, argc, argv);
	while ((ch = opts_next(&p)) != -1) {
		switch (ch) {
		case 'o':
			if (strcmp(p.arg, "-") != 0 &&
			    strncmp(p.arg, "unix:", 5) != 0 &&
			    !redis_url_is(p.arg))
				opt_usage_error("--output: want -, unix:PATH or "
				    "redis://[HOST][:PORT]/NAME");
			if (redis_url_is(p.arg)) {
				struct redis_url u;

				if (redis_url_parse(p.arg, &u, &err) == -1)
					opt_usage_error("--output: %s", err.msg);
			}
			o->outspec = p.arg;
			break;
		case OPT_EXPIRE:
			o->ocfg.redis_expire_s = opt_duration_or_die(
			    "--stream-expire", p.arg, 1000,
			    30LL * 86400000) / 1000;
			break;
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
