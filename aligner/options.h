/*
 * options: the aligner's command line: the option table, --help, and the
 * checks that make a bad value a usage error (exit 64). It opens nothing.
 */
#ifndef ALIGNER_OPTIONS_H
#define ALIGNER_OPTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "align.h"
#include "input.h"
#include "output.h"

#define ALIGNER_USAGE "aligner [-qv] [-o output] [--map file] " \
	"[--max-backlog bytes] [--max-games n] [--max-line bytes] " \
	"[--max-points n] [--max-tick n] [--max-unmapped n] [--ready-fd fd] " \
	"[--stream-expire dur] [--stream-maxlen n] [input ...]"

struct aligner_opts {
	/* The limits, straight where they are used; callbacks unset. */
	struct align_cfg acfg;
	struct input_cfg icfg;		/* every input's */
	struct output_cfg ocfg;
	const char	*map;		/* borrowed from argv, or NULL */
	const char	*outspec;	/* borrowed; "-" by default */
	const char *const *specs;	/* borrowed: argv's inputs, or "-" */
	int		 nspecs;
	int		 ready_fd;
};

/* Fills o from argv. Exits 0 for --help and --version, 64 when bad. */
void	aligner_options(struct aligner_opts *o, int argc, char **argv);

#endif
