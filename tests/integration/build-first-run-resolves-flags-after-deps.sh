#!/bin/sh
# The first build on a fresh machine: the libraries' flags are read only
# after make deps has installed them. A pkg-config that knows nothing
# until the (stand-in) deps step has run plays the fresh machine; the
# object that needs libpq's -I/usr/include/postgresql must build on the
# first run, and a second run must not run the deps step again.
. "$ROOT/tests/lib.sh"
real=$(command -v pkg-config) || fail "pkg-config not installed (make deps)"
cat >"$T/pkg-config" <<SH
#!/bin/sh
# Before the deps step: no package is installed.
[ -e "$T/installed" ] || exit 1
exec "$real" "\$@"
SH
chmod +x "$T/pkg-config"
build() {
	make -C "$ROOT" --no-print-directory BUILD="$T/build" \
	    PKG_CONFIG="$T/pkg-config" \
	    DEPS_CMD="echo deps >>$T/deps-runs; touch $T/installed" \
	    "$T/build/live-games/db.o" >"$T/make.log" 2>&1
}
build || fail "first build failed: $(tail -n 5 "$T/make.log")"
test -s "$T/build/live-games/db.o" || fail "no object built"
grep -q -- '-I/usr/include/postgresql' "$T/build/pkg.mk" ||
    fail "libpq's flags missing: $(cat "$T/build/pkg.mk")"
build || fail "second build failed: $(tail -n 5 "$T/make.log")"
expect_eq "deps step runs" "$(wc -l <"$T/deps-runs")" 1
# Without the deps step, the same fresh machine fails with a clear word.
rm -rf "$T/build" "$T/installed"
make -C "$ROOT" --no-print-directory BUILD="$T/build" \
    PKG_CONFIG="$T/pkg-config" DEPS_CMD=true "$T/build/live-games/db.o" \
    >"$T/make.log" 2>&1 && fail "built without the libraries"
grep -q 'missing after make deps' "$T/make.log" ||
    fail "no clear error: $(tail -n 3 "$T/make.log")"
