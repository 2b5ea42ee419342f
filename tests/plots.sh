#!/usr/bin/env bash
# Plots and reports: every plot is a PNG and an SVG that gnuplot drew (exit 0), fed with the
# rows and columns it should show; without gnuplot the run still succeeds with one message;
# report.html has no external reference and, where chromium is installed, renders headless to a
# picture that is not blank.
set -u
cd "$(dirname "$0")/.."
CCSIM=${CCSIM:-build/ccsim}
case $CCSIM in /*) ;; *) CCSIM=$PWD/$CCSIM ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
check() { # description, command...
    local what=$1; shift
    if "$@" >"$tmp/out" 2>&1; then echo "ok: $what"; else echo "FAIL tests/plots.sh: $what"; head -3 "$tmp/out" | sed 's/^/    /'; fi
}
is_png() { [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] && [ "$(stat -c %s "$1")" -gt 5000 ]; }
is_svg() { grep -q '<svg' "$1" && grep -q '</svg>' "$1"; }
# shape FILE ROWS FIELDS: the data lines (not the header or comments) and the fields of each, a
# quoted label counting as one field
shape() { sed 's/"[^"]*"/X/g' "$1" | awk -v rows="$2" -v cols="$3" '
    /^#/ || NF == 0 || $1 == "interval" || $1 == "wait_s" { next }
    { n++; if (NF != cols) bad = 1 }
    END { exit !(n == rows && !bad) }'; }

"$CCSIM" run configs/outage-day.cfg --reps 3 --quiet --plots "$tmp/p" --csv "$tmp/csv" >"$tmp/report.txt" 2>"$tmp/err"
check "run --plots exits 0 with the report and no message" test -s "$tmp/report.txt" -a ! -s "$tmp/err"
for name in intervals_offered_staffed intervals_service_level intervals_abandonment intervals_occupancy \
            wait_cdf journeys_contacts_per_issue journeys_time_to_resolution; do
    check "$name.png is a PNG" is_png "$tmp/p/$name.png"
    check "$name.svg is an SVG" is_svg "$tmp/p/$name.svg"
done
# outage-day: 12 intervals, 2 channels, 1 group, 2 segments
check "offered/staffed data: 12 intervals x (label, offered, staffed)" shape "$tmp/p/intervals_offered_staffed.dat" 12 3
check "service-level data: 12 intervals x (label, 2 channels, 2 targets)" shape "$tmp/p/intervals_service_level.dat" 12 5
check "abandonment data: 12 intervals x (label, 2 channels)" shape "$tmp/p/intervals_abandonment.dat" 12 3
check "occupancy data: 12 intervals x (label, 1 group)" shape "$tmp/p/intervals_occupancy.dat" 12 2
# The plotted values are the results: voice's service level per interval, against intervals.csv.
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "service_level") col = i; next }
         $4 == "\"voice\"" { printf "%.6f\n", 100 * $col }' "$tmp/csv/intervals.csv" >"$tmp/sl.csv"
sed 's/"[^"]*"/X/g' "$tmp/p/intervals_service_level.dat" | awk '$1 == "X" { printf "%.6f\n", $2 }' >"$tmp/sl.dat"
check "service-level data is the simulated service level of each of the 12 intervals" \
    bash -c "cmp -s '$tmp/sl.csv' '$tmp/sl.dat' && test \$(wc -l < '$tmp/sl.dat') -eq 12"
check "wait CDF data: one block per channel, ending at 100 %" bash -c "test \$(grep -c '^wait_s' '$tmp/p/wait_cdf.dat') -eq 2 && awk 'NF == 2 && \$1 !~ /wait_s/ { last = \$2 } END { exit !(last > 0.999 && last <= 1) }' '$tmp/p/wait_cdf.dat'"
check "journeys data: all customers and 2 segments x (label, mean, ci95)" shape "$tmp/p/journeys_contacts_per_issue.dat" 3 3

"$CCSIM" compare configs/pooling.cfg scenarios/08-pooled.cfg scenarios/08-cross-trained.cfg --reps 3 --quiet \
    --metrics total.asa_s,total.service_level --plots "$tmp/c" >/dev/null 2>"$tmp/err"
check "compare --plots: one bar chart per metric" bash -c "ls '$tmp/c'/*.png | wc -l | grep -qx 2"
check "compare bars: base and 2 variants x (label, mean, ci95)" shape "$tmp/c/compare_total_asa_s.dat" 3 3
check "compare_total_asa_s.png is a PNG" is_png "$tmp/c/compare_total_asa_s.png"

# Without gnuplot: results as usual, one message naming the skipped plots.
mkdir -p "$tmp/nognuplot"
PATH=$tmp/nognuplot "$CCSIM" run configs/default.cfg --reps 2 --plots "$tmp/q" --json "$tmp/q.json" >"$tmp/out2" 2>"$tmp/err2"
rc=$?
check "without gnuplot: run --plots exits 0" test $rc -eq 0
check "without gnuplot: the results are written" test -s "$tmp/q.json" -a -s "$tmp/out2"
check "without gnuplot: one message says which plots were skipped and why" bash -c "test \$(wc -l < '$tmp/err2') -eq 1 && grep -q 'skipped (intervals_offered_staffed, .*gnuplot was not found' '$tmp/err2'"
check "without gnuplot: no picture left behind" bash -c "! ls '$tmp/q'/*.png 2>/dev/null | grep -q ."

"$CCSIM" run configs/outage-day.cfg --reps 3 --quiet --report "$tmp/r" >/dev/null 2>"$tmp/err3"
check "--report writes report.html and report.md" test -s "$tmp/r/report.html" -a -s "$tmp/r/report.md"
check "report.html embeds every plot as a data URI" bash -c "test \$(grep -o '<img [^>]*src=\"data:image/png;base64,' '$tmp/r/report.html' | wc -l) -eq 7"
check "report.html has no external reference" bash -c "! grep -Eio '(src|href)=\"[^d\"][^\"]*\"|url\\(|@import|<link|<script' '$tmp/r/report.html' | grep -q ."
check "report.html holds the headline, interval tables and the config" bash -c "grep -q '<h2>Headline</h2>' '$tmp/r/report.html' && grep -q 'Per interval: voice' '$tmp/r/report.html' && grep -q '<h2>Configuration</h2>' '$tmp/r/report.html'"
check "report.md shows the plots from files beside it" bash -c "grep -o '](\\([a-z_]*\\).png)' '$tmp/r/report.md' | wc -l | grep -qx 7 && test -s '$tmp/r/wait_cdf.png'"

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -n "$browser" ]; then
    printf '<!DOCTYPE html><html><body></body></html>\n' >"$tmp/blank.html"
    shot() { timeout 120 "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
        --window-size=1200,3000 --screenshot="$2" "file://$1" >/dev/null 2>&1; }
    shot "$tmp/r/report.html" "$tmp/report.png"
    shot "$tmp/blank.html" "$tmp/blank.png"
    check "chromium renders report.html headless to a PNG" is_png "$tmp/report.png"
    check "the rendering is not blank (10 times the bytes of a blank page's)" bash -c "test \$(stat -c %s '$tmp/report.png') -gt \$((10 * \$(stat -c %s '$tmp/blank.png')))"
else
    echo "skip: chromium not installed: the headless rendering of report.html is not checked"
fi
# A gnuplot that fails: the results are still written and the message names gnuplot.
mkdir -p "$tmp/badgnuplot"
printf '#!/bin/sh\necho "gnuplot: terminal pngcairo not available" >&2\nexit 3\n' >"$tmp/badgnuplot/gnuplot"
chmod +x "$tmp/badgnuplot/gnuplot"
PATH=$tmp/badgnuplot:$PATH "$CCSIM" run configs/default.cfg --reps 2 --plots "$tmp/f" --json "$tmp/f.json" >/dev/null 2>"$tmp/f.err"
rc=$?
check "a failing gnuplot: exit 0 and the results written" test $rc -eq 0 -a -s "$tmp/f.json"
check "a failing gnuplot: one message naming gnuplot and its error" bash -c "test \$(wc -l < '$tmp/f.err') -eq 1 && grep -q 'gnuplot failed on intervals_offered_staffed (exit 3): gnuplot: terminal pngcairo not available' '$tmp/f.err'"
