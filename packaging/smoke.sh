#!/bin/sh
# Smoke test of the built app: does each part that a frozen build can lose still work?
#
#   packaging/smoke.sh [APP]      (APP: dist/backstride/backstride by default)
#
# Offscreen and in a temporary data folder (the runner's own data is never touched), it
# runs the window (--smoke), the check-up rules (assess, resources/ data), watch-file
# import (FIT and GPX readers), a demo diary and its analysis (numpy), the PDF report
# (reportlab, Pillow, the embedded font) and a backup (SQLite). Exits non-zero at the
# first thing that does not work, saying which.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
app=${1:-$root/dist/backstride/backstride}
[ -x "$app" ] || { echo "smoke: no app at $app; run make dist first" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export QT_QPA_PLATFORM=offscreen
export BACKSTRIDE_DATA_DIR="$tmp/data"
export XDG_CONFIG_HOME="$tmp/config" XDG_CACHE_HOME="$tmp/cache" XDG_DATA_HOME="$tmp/share"
export HOME="$tmp/home"
mkdir -p "$HOME"

fail() {
    echo "smoke: FAILED: $1" >&2
    [ -f "$tmp/out" ] && sed 's/^/    /' "$tmp/out" >&2
    exit 1
}
step() {
    # step NAME COMMAND...: runs it, its output in $tmp/out, fails on a non-zero exit.
    name=$1
    shift
    "$@" >"$tmp/out" 2>&1 || fail "$name (exit $?)"
}
expect() {
    grep -q -- "$1" "$tmp/out" || fail "$2: its output has no '$1'"
}

# What the app loads only later (a run's chart, the report preview, printing) is in the
# folder, and no bundled library lacks one it links.
internal=$(dirname "$app")/_internal
if [ -d "$internal/PySide6" ]; then
    for module in QtCharts QtPdf QtPdfWidgets QtPrintSupport QtNetwork; do
        ls "$internal/PySide6/$module".* >/dev/null 2>&1 || fail "PySide6.$module is not in the folder"
    done
    if command -v ldd >/dev/null 2>&1; then
        find "$internal" -name '*.so*' -type f -exec ldd {} + 2>/dev/null | grep 'not found' \
            | sort -u >"$tmp/out" || true
        [ -s "$tmp/out" ] && fail "bundled libraries link missing ones"
        echo "ok   folder: the lazily loaded Qt modules are there; ldd finds every library"
    fi
fi

step "--version" "$app" --version
expect "Backstride " "--version"
echo "ok   --version: $(cat "$tmp/out")"

step "--smoke" "$app" --smoke
expect "^started in [0-9]* ms" "--smoke"
echo "ok   window: $(grep '^started in' "$tmp/out")"

step "assess --json" "$app" assess "$root/tests/unit/vignettes/emergency-saddle.json" --json
expect '"tier": "emergency"' "assess --json"
step "assess" "$app" assess "$root/tests/unit/vignettes/self_care-runner.json"
expect "SELF-CARE" "assess"
echo "ok   assess: the emergency and the self-care vignettes"

step "import" "$app" import "$root/tests/data/fit/activity-small-fenix2-run.fit" \
    "$root/tests/data/gpx/korita-zbevnica.gpx"
expect "2 run(s) imported from 2 file(s)" "import"
echo "ok   import: $(tail -n 1 "$tmp/out")"

step "demo" env BACKSTRIDE_DATA_DIR="$tmp/demo" "$app" demo --days 120
step "analyze --json" env BACKSTRIDE_DATA_DIR="$tmp/demo" "$app" analyze --json
expect '"findings"' "analyze --json"
echo "ok   demo and analyze (numpy)"

step "report" env BACKSTRIDE_DATA_DIR="$tmp/demo" "$app" report -o "$tmp/report.pdf"
[ "$(head -c 5 "$tmp/report.pdf")" = "%PDF-" ] || fail "report: $tmp/report.pdf is not a PDF"
echo "ok   report: $(wc -c <"$tmp/report.pdf") bytes of PDF"

step "backup" "$app" backup
echo "ok   backup: $(tail -n 1 "$tmp/out")"
echo "smoke: all passed"
