#!/usr/bin/env bash
# Benchmark 1 (and each point of benchmark 3): the Erlang A reference (configs/erlang.cfg),
# one queue at load 0.95, AHT 180 s, exponential patience 300 s, one replication.
# Usage: bench/erlang_a.sh BINARY [AGENTS] [CONTACTS].  The arrival rate is scaled with AGENTS to
# keep the load; the warm-up is 10 contacts an agent (at least 100,000), about ten handle times.
# Prints one line of JSON and one readable line: contacts and events handled per second (stale
# timers dropped are counted apart), ns per event, peak RSS.
set -eu
bin=${1:-build/bench/ccsim}
agents=${2:-100}
contacts=${3:-10000000}
cd "$(dirname "$0")/.."
. bench/lib.sh
out=$(mktemp)
trap 'rm -f "$out"' EXIT
rate=$(awk -v a="$agents" 'BEGIN { printf "%.6f", 0.95 * a * 3600 / 180 }')
warmup=$((agents * 10 > 100000 ? agents * 10 : 100000))
"$bin" run configs/erlang.cfg --quiet --reps 1 --set agents="$agents" --set arrivals_per_hour="$rate" \
    --set aht_s=180.0 --set abandonment=true --set patience_s=300.0 \
    --set contacts="$contacts" --set warmup_contacts="$warmup" --json "$out" >/dev/null
events=$(perf_field "$out" events); stale=$(perf_field "$out" stale_events)
n=$(perf_field "$out" contacts); wall=$(perf_field "$out" wall_s)
eps=$(perf_field "$out" events_per_s); cps=$(perf_field "$out" contacts_per_s)
rss=$(perf_field "$out" peak_rss_kib)
printf '{"bench":"erlang_a_%d_agents_load_0.95","agents":%d,"contacts":%s,"events":%s,"stale_events":%s,"wall_s":%s,"contacts_per_s":%s,"events_per_s":%s,"ns_per_event":%s,"peak_rss_kib":%s}\n' \
    "$agents" "$agents" "$n" "$events" "$stale" "$wall" "$cps" "$eps" \
    "$(awk -v e="$eps" 'BEGIN { printf "%.1f", 1e9 / e }')" "$rss"
awk -v a="$agents" -v n="$n" -v c="$cps" -v e="$eps" -v r="$rss" -v w="$wall" 'BEGIN {
    printf "erlang A, %d agents, load 0.95, %.1f M contacts: %.2f M contacts/s, %.2f M events/s (%.0f ns/event), peak RSS %.1f MiB, %.2f s\n", a, n / 1e6, c / 1e6, e / 1e6, 1e9 / e, r / 1024, w }'
