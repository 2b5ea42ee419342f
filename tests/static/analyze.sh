#!/usr/bin/env bash
# Static analysis of sim/*.c as CI runs it (make analyze): cppcheck, then clang-tidy with the
# checks of .clang-tidy.  One line per tool, "ok: ..." or "FAIL tests/static/analyze.sh: ..."
# followed by its findings (one line each, indented by four spaces), or "skip: ..." when the
# tool is not installed.  Exits 0: tests/run.sh counts the lines.  The tools' full output, with
# the analyzer's paths, stays in build/static/ for the reader of a failure.
set -u
cd "$(dirname "$0")/../.."
logs=build/static
mkdir -p "$logs"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Prints the FAIL line and the findings: one line per diagnostic of the log (a message that
# runs over several lines, such as the padding checker's field order, joined up to its
# "[check]"; notes, source lines and carets left out), the repository's path stripped and each
# reported once (a header's finding comes with every file that includes it).  With no
# diagnostic (the tool itself failed), the log's first lines.
report_failure() { # tool, log
    local tool=$1 log=$2
    sed "s|^$PWD/||" "$log" | awk '
        function flush() { if (cur != "") print cur; cur = ""; more = 0 }
        /^[^ ]+:[0-9]+:[0-9]+: (error|warning|style|performance|portability|information):/ {
            flush(); cur = $0; sub(/ +$/, "", cur); more = cur !~ /\]$/; next
        }
        more { line = $0; sub(/^ +/, "", line); sub(/ +$/, "", line); cur = cur " " line
               more = cur !~ /\]$/; next }
        { flush() }
        END { flush() }' |
        sed 's/,-warnings-as-errors\]$/]/' |
        sort -t: -k1,1 -k2,2n -k3,3n -k4 -u >"$tmp/findings"
    local n
    n=$(wc -l <"$tmp/findings")
    if [ "$n" -gt 0 ]; then
        echo "FAIL tests/static/analyze.sh: $tool: $n finding$([ "$n" -gt 1 ] && echo s) in sim/ (full output in $log)"
        sed 's/^/    /' "$tmp/findings"
    else
        echo "FAIL tests/static/analyze.sh: $tool failed without a finding (full output in $log)"
        head -20 "$log" | sed 's/^/    /'
    fi
}

# cppcheck writes its findings to stderr; any output at all counts as a finding.
if ! command -v cppcheck >/dev/null 2>&1; then
    echo "skip: cppcheck not installed"
else
    cppcheck --enable=warning,performance,portability --std=c11 --quiet --inline-suppr \
        --error-exitcode=1 --suppressions-list=tests/static/cppcheck.supp \
        -D_POSIX_C_SOURCE=200809L -Isim sim/*.c >"$logs/cppcheck.log" 2>&1
    if [ $? -eq 0 ] && [ ! -s "$logs/cppcheck.log" ]; then
        echo "ok: cppcheck finds nothing in sim/"
    else
        report_failure cppcheck "$logs/cppcheck.log"
    fi
fi

# clang-tidy one file per process, one process per core (CI has two), largest file first so
# the long ones (sim.c takes a quarter of the time) do not end up last on a core.  Each file's output and status go to
# their own files, joined in name order, so the log does not depend on the scheduling.
tidy_one() { # file
    local name
    name=$(basename "$1" .c)
    clang-tidy --quiet --warnings-as-errors='*' "$1" -- -std=c11 -D_POSIX_C_SOURCE=200809L \
        -DCCSIM_VERSION='"x"' -Isim $TIDY_PKG_CFLAGS >"$TIDY_OUT/$name.out" 2>"$TIDY_OUT/$name.err"
    echo $? >"$TIDY_OUT/$name.rc"
}
if ! command -v clang-tidy >/dev/null 2>&1; then
    echo "skip: clang-tidy not installed"
else
    TIDY_OUT=$tmp/tidy
    TIDY_PKG_CFLAGS=$(pkg-config --cflags gsl libconfig zlib json-c)
    export TIDY_OUT TIDY_PKG_CFLAGS
    export -f tidy_one
    mkdir -p "$TIDY_OUT"
    ls -S sim/*.c | xargs -P "$(nproc 2>/dev/null || echo 2)" -n 1 bash -c 'tidy_one "$1"' _
    failed=0
    : >"$logs/clang-tidy.log"
    for f in sim/*.c; do
        name=$(basename "$f" .c)
        cat "$TIDY_OUT/$name.out" >>"$logs/clang-tidy.log"
        # stderr holds counts ("N warnings generated."); keep only what says something more.
        grep -v -E '^([0-9]+ warnings? (generated|treated as errors?)|Suppressed [0-9]+ warnings)' \
            "$TIDY_OUT/$name.err" >>"$logs/clang-tidy.log"
        [ "$(cat "$TIDY_OUT/$name.rc" 2>/dev/null)" = 0 ] || failed=1
    done
    if [ $failed -eq 0 ] && [ ! -s "$logs/clang-tidy.log" ]; then
        echo "ok: clang-tidy finds nothing in sim/"
    else
        report_failure clang-tidy "$logs/clang-tidy.log"
    fi
fi
exit 0
