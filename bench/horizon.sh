#!/usr/bin/env bash
# Benchmark 4: memory against the simulated horizon.  Steady state: the Erlang A model of
# bench/erlang_a.sh (100 agents, 1,900 calls an hour) over 1, 30 and 365 days of traffic
# (45,600 contacts a day); statistics are streamed, so peak memory should not move.  Day mode:
# configs/default.cfg (24 half-hour intervals a day) over 1, 30 and 365 days, where results are
# kept per interval; the growth over the 8,736 added intervals is the memory per interval.
# Prints one line of JSON and one readable line for each mode.  Usage: bench/horizon.sh BINARY
set -eu
bin=${1:-build/bench/ccsim}
cd "$(dirname "$0")/.."
. bench/lib.sh
out=$(mktemp)
trap 'rm -f "$out"' EXIT
steady() { # days
    "$bin" run configs/erlang.cfg --quiet --reps 1 --set agents=100 --set arrivals_per_hour=1900.0 \
        --set aht_s=180.0 --set abandonment=true --set patience_s=300.0 \
        --set contacts=$((45600 * $1)) --set warmup_contacts=10000 --json "$out" >/dev/null
    perf_field "$out" peak_rss_kib
}
day() { # days
    "$bin" run configs/default.cfg --quiet --reps 1 --set day.days="$1" --json "$out" >/dev/null
    perf_field "$out" peak_rss_kib
}
s1=$(steady 1); s30=$(steady 30); s365=$(steady 365)
printf '{"bench":"horizon_steady_erlang_a","peak_rss_kib_1_day":%s,"peak_rss_kib_30_days":%s,"peak_rss_kib_365_days":%s}\n' \
    "$s1" "$s30" "$s365"
awk -v a="$s1" -v b="$s30" -v c="$s365" 'BEGIN {
    lo = a; hi = a; if (b < lo) lo = b; if (c < lo) lo = c; if (b > hi) hi = b; if (c > hi) hi = c
    printf "horizon, steady state (45,600 contacts a day): peak RSS %.1f / %.1f / %.1f MiB over 1 / 30 / 365 days (spread %.1f %%, target 10 %%)\n", a / 1024, b / 1024, c / 1024, 100 * (hi - lo) / lo }'
d1=$(day 1); d30=$(day 30); d365=$(day 365)
per=$(awk -v a="$d1" -v c="$d365" 'BEGIN { printf "%.2f", (c - a) / (24 * 364) }')
printf '{"bench":"horizon_day_default","peak_rss_kib_1_day":%s,"peak_rss_kib_30_days":%s,"peak_rss_kib_365_days":%s,"kib_per_interval":%s}\n' \
    "$d1" "$d30" "$d365" "$per"
awk -v a="$d1" -v b="$d30" -v c="$d365" -v p="$per" 'BEGIN {
    printf "horizon, day mode (24 intervals a day): peak RSS %.1f / %.1f / %.1f MiB over 1 / 30 / 365 days: %.1f KiB per interval\n", a / 1024, b / 1024, c / 1024, p }'
