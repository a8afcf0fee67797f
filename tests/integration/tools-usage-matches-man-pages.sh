#!/bin/sh
# tools-usage-matches-man-pages: for every tool (one per man/*.1), the
# usage line of --help (and of a usage error) is the man page's SYNOPSIS
# and names only options it has; --help and the man page list the same
# options with the same letters in the same order; across the tools a
# letter is one long option, and a long option has one letter or none;
# and courtside(7)'s table of letters is what the tools have. All read
# from the binaries and the pages (tests/lib/opts.sh), no list of
# options kept here.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/opts.sh"
need_cmd mandoc col

tools=$(opts_tools)
[ "$(echo "$tools" | wc -l)" -ge 5 ] || fail "man/*.1: only $tools"
bad=0
for t in $tools; do
	need_built "$t"
	( opts_check_tool "$t" ) || bad=1
done
# shellcheck disable=SC2086 # one word per tool
( opts_check_letters $tools ) || bad=1
# shellcheck disable=SC2086
( opts_check_table $tools ) || bad=1
[ $bad -eq 0 ] || fail "the options of the tools disagree (above)"
exit 0
