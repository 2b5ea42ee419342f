#!/usr/bin/env bash
# make bench: the five benchmarks of docs/performance.md on a -O2 -DNDEBUG build, each printing
# one line of JSON and one readable line, then sweep throughput and the GLPK schedule.  Figures
# come from each run's own perf block (wall clock, events handled, getrusage peak RSS).
set -eu
bin=${1:-build/bench/ccsim}
cd "$(dirname "$0")/.."
out=$(mktemp)
trap 'rm -f "$out" "$out".j*' EXIT
# 1. Erlang A: one queue, 100 agents, load 0.95, 10 million counted contacts.
bash bench/erlang_a.sh "$bin" 100 10000000
# 2. A large multi-skill center: 2,000 agents, 40 groups, 20 skills, overflow, chat at 3.
bash bench/multiskill.sh "$bin" 2000 10000000
# 3. Cost per event from 10 to 100,000 agents.
bash bench/scaling.sh "$bin" 10000000
# 4. Peak memory over 1, 30 and 365 days.
bash bench/horizon.sh "$bin"
# 5. The same Erlang A model in SimPy (skipped with a message when python3-simpy3 is missing).
bash bench/simpy.sh "$bin"
# Sweep throughput: 12 points of a day (configs/default.cfg over agents in the 10:00 interval),
# 200 replications each, on one thread and on two.  The outputs must be identical; the ratio is
# the speed-up of -j 2.
sweep() { # jobs
    local t0 t1
    t0=$(date +%s.%N)
    "$bin" sweep configs/default.cfg --grid 'groups.[0].agents.[4]=14:25:1' --reps 200 -j "$1" \
        --quiet --csv "$out.j$1" >/dev/null
    t1=$(date +%s.%N)
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'
}
w1=$(sweep 1); w2=$(sweep 2)
cmp -s "$out.j1" "$out.j2" || { echo "bench: sweep output differs between -j 1 and -j 2" >&2; exit 1; }
printf '{"bench":"sweep_default_12_points_200_reps","replications":2400,"wall_s_j1":%s,"wall_s_j2":%s}\n' "$w1" "$w2"
awk -v a="$w1" -v b="$w2" 'BEGIN {
    printf "sweep, 12 points x 200 replications of a day: %.0f replications/s with -j 1, %.0f with -j 2 (%.2fx)\n", 2400 / a, 2400 / b, a / b }'
# The GLPK schedule of a 24-hour day on 15-minute intervals.
bash bench/schedule.sh "$bin"
