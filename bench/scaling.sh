#!/usr/bin/env bash
# Benchmark 3: cost per event against the size of the center.  The Erlang A model of
# bench/erlang_a.sh with 10, 100, 1,000, 10,000 and 100,000 agents, the arrival rate scaled to keep
# the load at 0.95.  Prints each point's lines, then one JSON line and one readable line with the
# ns per event of each size and the ratio of the dearest to the cheapest (the target is 2).
# Usage: bench/scaling.sh BINARY [CONTACTS]
set -eu
bin=${1:-build/bench/ccsim}
contacts=${2:-10000000}
cd "$(dirname "$0")/.."
sizes="10 100 1000 10000 100000"
ns=""
for a in $sizes; do
    lines=$(bash bench/erlang_a.sh "$bin" "$a" "$contacts")
    echo "$lines"
    ns="$ns $(echo "$lines" | head -1 | sed 's/.*"ns_per_event":\([^,]*\).*/\1/')"
done
echo "$sizes|$ns" | awk -F'|' '{
    n = split($1, a, " "); split($2, t, " ")
    lo = hi = t[1]
    for (i = 1; i <= n; i++) { if (t[i] < lo) lo = t[i]; if (t[i] > hi) hi = t[i] }
    printf "{\"bench\":\"scaling_erlang_a_load_0.95\""
    for (i = 1; i <= n; i++) printf ",\"ns_per_event_%s_agents\":%s", a[i], t[i]
    printf ",\"ratio_max_min\":%.3f}\n", hi / lo
    printf "scaling, 10 to 100,000 agents:"
    for (i = 1; i <= n; i++) printf " %s %.0f ns%s", a[i], t[i], i < n ? "," : ""
    printf " per event; dearest / cheapest %.2fx (target 2x)\n", hi / lo }'
