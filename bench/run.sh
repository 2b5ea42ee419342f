#!/usr/bin/env bash
# make bench: the Erlang A reference (configs/erlang.cfg) with 100 agents at load 0.95 over
# 10 million counted contacts, one replication, on a -O2 -DNDEBUG build.  Prints one line of JSON
# and one readable line.  Figures come from the run's own perf block (wall clock, events handled,
# getrusage peak RSS).
set -eu
bin=${1:-build/bench/ccsim}
cd "$(dirname "$0")/.."
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$bin" run configs/erlang.cfg --quiet --reps 1 --set agents=100 --set arrivals_per_hour=1900.0 \
    --set aht_s=180.0 --set abandonment=true --set patience_s=300.0 \
    --set contacts=10000000 --set warmup_contacts=100000 --json "$out" >/dev/null
# The perf block is flat; pull its fields without needing jq.
field() { sed -n "/\"perf\"/,/}/s/.*\"$1\": \([^,]*\).*/\1/p" "$out"; }
events=$(field events); stale=$(field stale_events); contacts=$(field contacts)
wall=$(field wall_s); eps=$(field events_per_s); cps=$(field contacts_per_s); rss=$(field peak_rss_kib)
printf '{"bench":"erlang_a_100_agents_load_0.95","contacts":%s,"events":%s,"stale_events":%s,"wall_s":%s,"contacts_per_s":%s,"events_per_s":%s,"peak_rss_kib":%s}\n' \
    "$contacts" "$events" "$stale" "$wall" "$cps" "$eps" "$rss"
awk -v c="$cps" -v e="$eps" -v r="$rss" -v w="$wall" 'BEGIN {
    printf "erlang A, 100 agents, load 0.95, 10.1 M contacts: %.2f M contacts/s, %.2f M events/s, peak RSS %.1f MiB, %.2f s\n", c / 1e6, e / 1e6, r / 1024, w }'
# Multi-skill: cost per event should not grow with the number of agents.
for agents in 200 2000 20000; do
    bash bench/multiskill.sh "$bin" "$agents" 10000000
done
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
rm -f "$out.j1" "$out.j2"
printf '{"bench":"sweep_default_12_points_200_reps","replications":2400,"wall_s_j1":%s,"wall_s_j2":%s}\n' "$w1" "$w2"
awk -v a="$w1" -v b="$w2" 'BEGIN {
    printf "sweep, 12 points x 200 replications of a day: %.0f replications/s with -j 1, %.0f with -j 2 (%.2fx)\n", 2400 / a, 2400 / b, a / b }'
# The same Erlang A model in SimPy (skipped with a message when python3-simpy3 is missing).
bash bench/simpy.sh "$bin"
# The GLPK schedule of a 24-hour day on 15-minute intervals.
bash bench/schedule.sh "$bin"
