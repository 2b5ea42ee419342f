#!/usr/bin/env bash
# Runs every test program and shell test, counts their "ok"/"FAIL" lines, and ends with the line
# "N passed, N failed".  BUILD names the build tree (build or build/check); QUICK=1 asks for the
# quick subset (make check), which skips the long precision runs.  SUITE=fuzz, static or valgrind
# runs the scripts of tests/SUITE/ instead (make fuzz-ci, make analyze, make valgrind), counted
# the same way.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
export LC_ALL=C BUILD
export CCSIM=${CCSIM:-$BUILD/ccsim}
passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

run_one() {
    local name=$1; shift
    local start=$SECONDS
    "$@" >"$log" 2>&1
    local rc=$?
    local p f
    p=$(grep -c '^ok' "$log")
    f=$(grep -c '^FAIL' "$log")
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "FAIL $name: exited with status $rc and reported no failing check" >>"$log"
        f=1
    fi
    # A test that says why it cannot run here ("skip: ...", e.g. without Open MPI) and checks
    # nothing is reported as skipped, neither passed nor failed.
    if [ "$p" -eq 0 ] && [ "$f" -eq 0 ] && [ "$rc" -eq 0 ] && grep -q '^skip:' "$log"; then
        printf '%-36s skipped: %s\n' "$name" "$(sed -n 's/^skip: //p' "$log" | head -1)"
        return
    fi
    if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
        echo "FAIL $name: ran no check" >>"$log"
        f=1
    fi
    passed=$((passed + p))
    failed=$((failed + f))
    printf '%-36s %4d ok %3d failed  %3ds\n' "$name" "$p" "$f" $((SECONDS - start))
    grep -E '^(FAIL|    )' "$log" | head -40
}

if [ -n "${SUITE:-}" ]; then
    for t in tests/"$SUITE"/*.sh; do
        run_one "$SUITE/$(basename "$t")" bash "$t"
    done
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit
fi

for t in "$BUILD"/tests/unit/test_*; do
    [ -x "$t" ] || continue
    run_one "unit/$(basename "$t")" "$t"
done
for t in "$BUILD"/tests/validate/test_*; do
    [ -x "$t" ] || continue
    run_one "validate/$(basename "$t")" "$t"
done
for t in tests/*.sh; do
    [ "$t" = tests/lib.sh ] && continue # sourced by the others, not a test
    case $(basename "$t") in run.sh) continue ;; esac
    run_one "$(basename "$t")" bash "$t"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
