#!/bin/sh
# GET / serves the --www folder (index.html for a folder), other files
# with their type, and refuses paths that climb out of it.
. "$ROOT/tests/lib.sh"
. "$ROOT/tests/lib/ws-load.sh"
mkdir -p "$T/www/js"
echo '<h1>viewer</h1>' >"$T/www/index.html"
echo 'let x = 1;' >"$T/www/js/app.js"
echo secret >"$T/secret.txt"
start_fanout --www "$T/www"
expect_eq index "$(curl -sf "$HTTP/")" '<h1>viewer</h1>'
expect_eq "js" "$(curl -sf "$HTTP/js/app.js")" 'let x = 1;'
expect_eq "js type" "$(curl -sf -o /dev/null -w '%{content_type}' "$HTTP/js/app.js")" \
    text/javascript
expect_eq "missing" "$(curl -s -o /dev/null -w '%{http_code}' "$HTTP/nope.html")" 404
expect_eq "climb" "$(curl -s --path-as-is -o /dev/null -w '%{http_code}' \
    "$HTTP/../secret.txt")" 404
