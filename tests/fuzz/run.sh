#!/usr/bin/env bash
# The libFuzzer harnesses (built by make fuzzbins in build/fuzz/bin).  Each replays its committed
# corpus, tests/fuzz/corpus/NAME (valid and broken inputs), then runs FUZZ_RUNS executions from
# seed 1: the same inputs on every machine, so a clean run stays clean (make fuzz-ci).  With
# FUZZ_SECONDS set (make fuzz) each fuzzer runs that long from a time seed instead, and what it
# adds to the corpus is kept in build/fuzz/found/NAME: minimise a crash with -minimize_crash=1,
# then commit it to the corpus with a regression test.  Prints a line per fuzzer with its
# executions per second; any crash, leak, timeout or sanitizer report is a FAIL.
set -u
cd "$(dirname "$0")/../.."
bin=build/fuzz/bin
runs=${FUZZ_RUNS:-}
log=$(mktemp)
trap 'rm -f "$log"; rm -rf "$work"' EXIT
work=$(mktemp -d)
# Executions from seed 1 per fuzzer, set so each takes about 20 s on the CI machine.
declare -A default_runs=([config]=8000 [scenario]=5000 [empirical]=30000 [forecast]=100000
                         [state]=4000 [sweep]=8000 [requirements]=80000 [flags]=300000 [log]=20000 [logmap]=8000)
for f in "$bin"/fuzz_*; do
    name=${f##*/fuzz_}
    corpus=tests/fuzz/corpus/$name
    n_inputs=$(find "$corpus" -type f | wc -l)
    if [ -n "${FUZZ_SECONDS:-}" ]; then
        mkdir -p "build/fuzz/found/$name"
        opts=(-max_total_time="$FUZZ_SECONDS" "build/fuzz/found/$name")
        what="$FUZZ_SECONDS s"
    else
        n=${runs:-${default_runs[$name]:-20000}}
        mkdir -p "$work/$name"
        opts=(-seed=1 -runs="$n" "$work/$name")
        what="$n runs from seed 1"
    fi
    if CCSIM_ROOT=$PWD LSAN_OPTIONS=suppressions=$PWD/tests/fuzz/lsan.supp:print_suppressions=0 \
        "$f" -max_len=8192 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        "${opts[@]}" "$corpus" >"$log" 2>&1; then
        eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
        echo "ok: fuzz_$name: its $n_inputs corpus inputs and $what, clean ($eps exec/s)"
    else
        echo "FAIL tests/fuzz/run.sh: fuzz_$name ($what)"
        grep -E 'ERROR|SUMMARY|#[0-9]+ 0x|Test unit written|deadly|exited' "$log" | head -30 | sed 's/^/    /'
    fi
done
