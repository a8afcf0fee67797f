# tests/lib/opts.sh: what a tool's options are, read from the tool itself
# (its --help) and from its man page, for the checks that they agree.
# Source it after tests/lib.sh; needs mandoc and col. It keeps no list of
# options of its own: everything comes from the binary and man/TOOL.1.

# opts_tools: the tools, one per line: every man/*.1 page names one.
opts_tools() {
	for _m in "$ROOT"/man/*.1; do
		basename "$_m" .1
	done
}

# opts_help TOOL: TOOL's --help to $T/TOOL.help; exit 0, nothing on
# stderr, or the scenario fails.
opts_help() {
	_rc=0
	"$BIN/$1" --help >"$T/$1.help" 2>"$T/$1.help.err" || _rc=$?
	expect_eq "$1 --help exit status" "$_rc" 0
	[ ! -s "$T/$1.help.err" ] || fail "$1 --help wrote to stderr"
}

# opts_usage TOOL: the usage line of the --help (without "usage: "),
# spaces squeezed.
opts_usage() {
	sed -n '1s/^usage: //p' "$T/$1.help" | tr -s ' \t' '  ' |
	    sed 's/^ //; s/ $//'
}

# opts_synopsis TOOL: the man page's SYNOPSIS as mandoc renders it, one
# line; a second form of the command (a new line starting with the name)
# is joined with " | ", as the usage line writes it.
opts_synopsis() {
	mandoc -Tascii -O width=1000 "$ROOT/man/$1.1" | col -b |
	    awk -v name="$1" '
		/^[A-Z]/ { in_syn = ($0 == "SYNOPSIS"); next }
		!in_syn || /^[ \t]*$/ { next }
		{
			line = $0
			sub(/^[ \t]+/, "", line)
			if (index(line, name " ") == 1 || line == name)
				out = out (out == "" ? "" : " | ") line
			else
				out = out " " line
		}
		END { print out }' | tr -s ' \t' '  ' | sed 's/^ //; s/ $//'
}

# opts_help_entries TOOL: the options --help lists, one per line, in
# their order: "x --long" for -x, --long; "- --long" for a long option
# alone. An option's line starts with two spaces and -x, or six and --long.
opts_help_entries() {
	awk '
		/^  -[^- ](,| |$)/ {
			s = substr($0, 4, 1)
			if (match($0, /^  -., --[A-Za-z0-9-]+/))
				print s, substr($0, 7, RLENGTH - 6)
			else
				print s, "-"
			next
		}
		/^      --[A-Za-z0-9]/ {
			match($0, /--[A-Za-z0-9-]+/)
			print "-", substr($0, RSTART, RLENGTH)
		}' "$T/$1.help" | awk '!seen[$0]++'
}

# opts_man_entries TOOL: the same from the man page: each ".It Fl" line
# is an option (mdoc's convention for a tag list of flags); Fl's
# arguments "x" and "-long" are -x and --long, the other macros end them.
opts_man_entries() {
	opts_mdoc_entries "$ROOT/man/$1.1"
}

# opts_mdoc_entries PAGE: opts_man_entries of a page given by its path
# (in the page's order).
opts_mdoc_entries() {
	awk '
		$1 != ".It" || $2 != "Fl" { next }
		{
			fl = 0; short = ""
			for (i = 2; i <= NF; i++) {
				w = $i
				if (w == "Fl") { fl = 1; continue }
				if (w ~ /^[A-Z][a-z][a-z]?$/) { fl = 0; continue }
				if (!fl || w == "," || w == "|")
					continue
				if (w ~ /^-/) {
					print (short == "" ? "-" : short), "-" w
					short = ""
				} else if (length(w) == 1) {
					if (short != "")
						print short, "-"
					short = w
				}
			}
			if (short != "")
				print short, "-"
		}' "$1" | awk '!seen[$0]++'
}

# opts_check_tool TOOL: (a) the usage line is the man page's SYNOPSIS,
# and the one a usage error prints; every flag the usage line names is an
# option of --help; (b) --help and the man page list the same options
# with the same letters, in the same order. Leaves the entries in
# $T/TOOL.entries. Fails the scenario with every difference.
opts_check_tool() {
	_t=$1 _bad=0
	opts_help "$_t"
	_u=$(opts_usage "$_t")
	_s=$(opts_synopsis "$_t")
	[ -n "$_u" ] || fail "$_t --help: no usage line"
	if [ "$_u" != "$_s" ]; then
		note "$_t: usage:    $_u"
		note "$_t: SYNOPSIS: $_s"
		_bad=1
	fi
	# A usage error prints the same usage line, on stderr, and exits 64.
	_rc=0
	"$BIN/$_t" --no-such-option >/dev/null 2>"$T/$_t.usage-err" || _rc=$?
	expect_eq "$_t --no-such-option exit status" "$_rc" 64
	_e=$(sed -n 's/^usage: //p' "$T/$_t.usage-err" | tr -s ' \t' '  ')
	if [ "$_e" != "$_u" ]; then
		note "$_t: usage on a usage error: $_e"
		_bad=1
	fi
	opts_help_entries "$_t" >"$T/$_t.order"
	opts_man_entries "$_t" >"$T/$_t.man-order"
	sort "$T/$_t.order" >"$T/$_t.entries"
	sort "$T/$_t.man-order" >"$T/$_t.man-entries"
	[ -s "$T/$_t.entries" ] || fail "$_t --help lists no options"
	# The flags of the usage line: "-qv" is -q and -v; "--name" itself.
	printf '%s\n' "$_u" | tr -s ' []|' '\n' | grep -E '^-' |
	    sed 's/[^A-Za-z0-9-].*//' | while read -r _f; do
		case $_f in
		--?*)	awk -v l="$_f" '$2 == l { f = 1 } END { exit !f }' \
			    "$T/$_t.entries" ||
			    echo "$_t: usage names $_f, --help has no such option" ;;
		-?*)	_l=${_f#-}
			while [ -n "$_l" ]; do
				_c=${_l%"${_l#?}"}
				_l=${_l#?}
				awk -v s="$_c" '$1 == s { f = 1 } END { exit !f }' \
				    "$T/$_t.entries" ||
				    echo "$_t: usage names -$_c, --help has no such option"
			done ;;
		esac
	done >"$T/$_t.usage-bad"
	if [ -s "$T/$_t.usage-bad" ]; then
		while read -r _l; do note "$_l"; done <"$T/$_t.usage-bad"
		_bad=1
	fi
	if ! cmp -s "$T/$_t.entries" "$T/$_t.man-entries"; then
		comm -23 "$T/$_t.entries" "$T/$_t.man-entries" |
		    while read -r _l; do note "$_t: --help has '$_l', the man page not"; done
		comm -13 "$T/$_t.entries" "$T/$_t.man-entries" |
		    while read -r _l; do note "$_t: the man page has '$_l', --help not"; done
		_bad=1
	elif ! cmp -s "$T/$_t.order" "$T/$_t.man-order"; then
		note "$_t: --help's order:   $(tr '\n' ' ' <"$T/$_t.order")"
		note "$_t: man page's order: $(tr '\n' ' ' <"$T/$_t.man-order")"
		_bad=1
	fi
	[ $_bad -eq 0 ] || fail "$_t: --help and man/$_t.1 disagree (above)"
	return 0
}

# opts_check_letters TOOL...: (c) over the tools' entries (opts_check_tool
# first): a letter means one long option in every tool, and a long option
# has the same letter, or none, in every tool that has it.
opts_check_letters() {
	for _t in "$@"; do
		sed "s/\$/ $_t/" "$T/$_t.entries"
	done >"$T/all.entries"
	awk '
		$1 != "-" && $2 != "-" {
			if (!($1 in long)) long[$1] = $2
			else if (long[$1] != $2) bad[$1] = 1
			where[$1] = where[$1] " " $3 ":" $2
		}
		$2 != "-" {
			if (!($2 in letter)) letter[$2] = $1
			else if (letter[$2] != $1) badl[$2] = 1
			wl[$2] = wl[$2] " " $3 ":" ($1 == "-" ? "none" : "-" $1)
		}
		END {
			for (s in bad)
				printf "-%s is more than one option:%s\n", s, where[s]
			for (l in badl)
				printf "%s has different letters:%s\n", l, wl[l]
		}' "$T/all.entries" | sort >"$T/letters-bad"
	if [ -s "$T/letters-bad" ]; then
		while read -r _l; do note "$_l"; done <"$T/letters-bad"
		fail "option letters disagree between the tools (above)"
	fi
}

# opts_check_table TOOL...: (d) after opts_check_letters: the table of
# letters in courtside(7) (".It Fl x , -long" and a line naming the tools,
# or "every tool") is the letters the tools have, in the same tools.
opts_check_table() {
	awk '$1 != "-" && $2 != "-" { print $1, $2, $3 }' "$T/all.entries" |
	    sort >"$T/table.tools"
	awk -v all="$*" '
		/^\.Sh / { in_opts = ($2 == "OPTIONS"); next }
		!in_opts { next }
		$1 == ".It" && $2 == "Fl" && $4 == "," && $5 ~ /^-/ {
			key = $3 " -" $5; getline
			n = split($0 == "every tool" ? all : $0, w, /[, ]+/)
			for (i = 1; i <= n; i++)
				if (w[i] != "")
					print key, w[i]
		}' "$ROOT/man/courtside.7" | sort >"$T/table.man"
	if ! cmp -s "$T/table.tools" "$T/table.man"; then
		comm -23 "$T/table.tools" "$T/table.man" |
		    while read -r _l; do note "courtside(7) lacks: $_l"; done
		comm -13 "$T/table.tools" "$T/table.man" |
		    while read -r _l; do note "courtside(7) has, no tool: $_l"; done
		fail "the letters of courtside(7) are not the tools' (above)"
	fi
}
