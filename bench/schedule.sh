#!/usr/bin/env bash
# The GLPK schedule at planning scale: a 24-hour day on a 15-minute grid (96 intervals), a
# requirement with two daily peaks, and three templates with starts every 15 minutes and breaks
# on 15-minute steps (thousands of ways to work them).  Prints one line of JSON and one
# readable line: the program's variables, whether GLPK proved the optimum, the wall time.
set -eu
bin=${1:-build/bench/ccsim}
cd "$(dirname "$0")/.."
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cat >"$dir/day.cfg" <<'CFG'
mode = "day";
seed = 1;
replications = 1;
day = { start = "00:00"; end = "24:00"; interval_min = 15; };
channels = ( { name = "voice"; arrivals_per_hour = 600.0;
  service = { dist = "exponential"; mean_s = 300.0; }; } );
groups = ( { name = "team"; skills = [ "voice" ]; agents = 60; cost_per_hour = 20.0;
  shrinkage = 0.3;
  shift_templates = (
    { name = "eight"; earliest_start = "00:00"; latest_start = "16:00"; start_step_min = 15; length_h = 8.0;
      breaks = ( { earliest_after_min = 105; latest_after_min = 165; step_min = 15; length_min = 15; },
                 { earliest_after_min = 210; latest_after_min = 270; step_min = 15; length_min = 30; },
                 { earliest_after_min = 360; latest_after_min = 405; step_min = 15; length_min = 15; } ); },
    { name = "ten"; earliest_start = "00:00"; latest_start = "14:00"; start_step_min = 15; length_h = 10.0;
      cost = 190.0;
      breaks = ( { earliest_after_min = 150; latest_after_min = 210; step_min = 15; length_min = 15; },
                 { earliest_after_min = 270; latest_after_min = 330; step_min = 15; length_min = 45; } ); },
    { name = "four"; earliest_start = "06:00"; latest_start = "20:00"; start_step_min = 15; length_h = 4.0;
      cost = 92.0; max = 30; } ); } );
CFG
awk 'BEGIN { print "day,interval,start_s,group,agents"
    for (i = 0; i < 96; i++) { h = i / 4
        a = 4 + 38 * exp(-((h - 10.5) ^ 2) / 6) + 30 * exp(-((h - 15.5) ^ 2) / 5)
        printf "0,%02d:%02d,%d,\"team\",%d\n", int(h), (i % 4) * 15, i * 900, int(a + 0.5) } }' >"$dir/req.csv"
t0=$(date +%s.%N)
"$bin" schedule "$dir/day.cfg" --requirements "$dir/req.csv" --reps 1 --time-limit 30 --json "$dir/out.json" >/dev/null
t1=$(date +%s.%N)
options=$(sed -n 's/.*"options": \([0-9]*\).*/\1/p' "$dir/out.json" | head -1)
optimal=$(sed -n 's/.*"optimal": \([a-z]*\).*/\1/p' "$dir/out.json" | head -1)
gap=$(sed -n 's/.*"gap": \([0-9.e+-]*\).*/\1/p' "$dir/out.json" | head -1)
cost=$(sed -n 's/^  "cost": \([0-9.e+]*\).*/\1/p' "$dir/out.json" | head -1)
wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
printf '{"bench":"schedule_96_intervals_3_templates","options":%s,"optimal":%s,"gap":%s,"cost":%s,"wall_s":%s}\n' \
    "$options" "$optimal" "$gap" "$cost" "$wall"
printf 'schedule, 96 intervals, 3 templates: %s ways to work them, %s, cost %s, %.2f s (GLPK and one simulated day)\n' \
    "$options" "$([ "$optimal" = true ] && echo "proven optimal" || awk -v g="$gap" 'BEGIN { printf "the best in 30 s, its bound %.1f %% below", 100 * g }')" "$cost" "$wall"
