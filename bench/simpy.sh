#!/usr/bin/env bash
# Side by side with SimPy: the Erlang A model of bench/run.sh (100 agents, 1,900 calls an hour,
# AHT 180 s, exponential patience 300 s) in ccsim and in SimPy (bench/peers/erlang_a_simpy.py,
# Debian python3-simpy3).  Prints one line of JSON and one readable line: contacts per second of
# each, their ratio, and each one's abandonment and service level in 20 s beside the exact
# Erlang A values.
set -eu
bin=${1:-build/bench/ccsim}
simpy_contacts=${2:-300000}
cd "$(dirname "$0")/.."
. bench/lib.sh
if ! /usr/bin/python3 -c 'import simpy' 2>/dev/null; then
    echo "simpy: skipped: python3-simpy3 is not installed (apt-get install -y python3-simpy3)"
    exit 0
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
# Ten replications of 300,000 contacts on one thread: the speed of one core, and a 95 % interval
# for each estimate to hold the exact values to.
"$bin" run configs/erlang.cfg --quiet --reps 10 -j 1 --set agents=100 --set arrivals_per_hour=1900.0 \
    --set aht_s=180.0 --set abandonment=true --set patience_s=300.0 --set sl_seconds=20 \
    --set contacts=300000 --set warmup_contacts=30000 --json "$out" >/dev/null
cps=$(perf_field "$out" contacts_per_s)
# The total block comes first; its service level and abandonment are the first of each.
c_sl=$(grep -m1 '"service_level"' -A1 "$out" | sed -n 's/.*"mean": \([^,]*\).*/\1/p')
c_sl_ci=$(grep -m1 '"service_level"' -A2 "$out" | sed -n 's/.*"ci95": \([^,]*\).*/\1/p')
c_ab=$(grep -m1 '"abandon_rate"' -A1 "$out" | sed -n 's/.*"mean": \([^,]*\).*/\1/p')
c_ab_ci=$(grep -m1 '"abandon_rate"' -A2 "$out" | sed -n 's/.*"ci95": \([^,]*\).*/\1/p')
peer=$(/usr/bin/python3 bench/peers/erlang_a_simpy.py "$simpy_contacts")
p_cps=$(echo "$peer" | sed 's/.*"contacts_per_s": \([^,]*\).*/\1/')
p_sl=$(echo "$peer" | sed 's/.*"service_level": \([^}]*\)}.*/\1/')
p_ab=$(echo "$peer" | sed 's/.*"p_abandon": \([^,]*\).*/\1/')
exact=$("$bin" erlang a --arrivals-per-hour 1900 --aht 180 --agents 100 --patience 300 --sl-seconds 20)
e_sl=$(echo "$exact" | sed -n 's/.*"service_level": \([^,]*\).*/\1/p')
e_ab=$(echo "$exact" | sed -n 's/.*"p_abandon": \([^,]*\).*/\1/p')
printf '{"bench":"erlang_a_vs_simpy","ccsim_contacts_per_s":%s,"simpy_contacts_per_s":%s,"ccsim_service_level":%s,"ccsim_service_level_ci95":%s,"simpy_service_level":%s,"exact_service_level":%s,"ccsim_p_abandon":%s,"ccsim_p_abandon_ci95":%s,"simpy_p_abandon":%s,"exact_p_abandon":%s}\n' \
    "$cps" "$p_cps" "$c_sl" "$c_sl_ci" "$p_sl" "$e_sl" "$c_ab" "$c_ab_ci" "$p_ab" "$e_ab"
awk -v c="$cps" -v p="$p_cps" -v cs="$c_sl" -v csh="$c_sl_ci" -v ps="$p_sl" -v es="$e_sl" -v ca="$c_ab" -v cah="$c_ab_ci" -v pa="$p_ab" -v ea="$e_ab" 'BEGIN {
    printf "erlang A against SimPy: ccsim %.2f M contacts/s, SimPy %.0f k contacts/s (%.0fx); service level ccsim %.4f +- %.4f, SimPy %.4f, exact %.4f; abandonment ccsim %.4f +- %.4f, SimPy %.4f, exact %.4f\n", c / 1e6, p / 1e3, c / p, cs, csh, ps, es, ca, cah, pa, ea }'
