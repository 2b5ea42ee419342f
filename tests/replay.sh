#!/usr/bin/env bash
# ccsim replay: the shipped synthetic log (tests/data/fit-day-log.csv.gz, 20 days) replayed with
# its logged staffing reproduces the log's ASA and abandon rate; replayed with two more agents in
# every interval, both fall.  Tolerances: the log's own standard error (day to day) and the
# replay's (over replications) combined, at a Bonferroni level 0.01 over the 4 checks (z 3.023;
# the credit check at the end uses the same z).
# The log and its replay share their calls, so this bounds their difference loosely; the
# per-interval agreement of tests/validate_log.sh is the tighter check.
source "$(dirname "$0")/lib.sh"
log=tests/data/fit-day-log.csv.gz
# The log's totals and their day-to-day standard errors: ASA (pooled over the handled) and
# abandonment (pooled over the offered), with each day's value for the spread.
zcat "$log" | awk -F, 'NR > 1 {
        d = $1; off[d]++; if ($16 == "handled") { h[d]++; w[d] += $10; H++; W += $10 }
        if ($16 == "abandoned") { a[d]++; A++ } N++ }
    END { for (d in off) { n++; x = w[d] / h[d]; y = a[d] / off[d]; sx += x; sxx += x * x; sy += y; syy += y * y }
          printf "%.10g %.10g %.10g %.10g\n", W / H, sqrt((sxx - sx * sx / n) / (n - 1) / n), A / N, sqrt((syy - sy * sy / n) / (n - 1) / n) }' >"$tmp/log.txt"
read -r log_asa log_asa_se log_ab log_ab_se <"$tmp/log.txt"
"$CCSIM" replay "$log" --start 08:00 --reps 10 --json "$tmp/logged.json" --quiet
read -r rep_asa rep_asa_h < <(total_metric "$tmp/logged.json" asa_s)
read -r rep_ab rep_ab_h < <(total_metric "$tmp/logged.json" abandon_rate)
# z for 0.01 / 4 two-sided; t(0.975, 9) = 2.262 turns the replay's half-width into an SE.
agree() { awk -v a="$1" -v sa="$2" -v b="$3" -v hb="$4" 'BEGIN { se = sqrt(sa * sa + (hb / 2.262) ^ 2); z = (a - b) / se; if (z < 0) z = -z; print "    log " a ", replay " b ", " z " SE"; exit !(z <= 3.023) }'; }
check "replay with the logged staffing: ASA within the combined intervals of the log's" agree "$log_asa" "$log_asa_se" "$rep_asa" "$rep_asa_h"
check "replay with the logged staffing: abandon rate within the combined intervals" agree "$log_ab" "$log_ab_se" "$rep_ab" "$rep_ab_h"
# Two more agents than the plan behind the log (tests/data/fit-day.cfg) in every interval.
plan=(4 5 6 7 8 8 7 7 5 6 7 7 6 5 4 3)
{ echo "start,voice agents"; for k in "${!plan[@]}"; do printf '%02d:%02d,%d\n' $((8 + k / 2)) $((k % 2 * 30)) $((plan[k] + 2)); done; } >"$tmp/more.csv"
"$CCSIM" replay "$log" --start 08:00 --reps 10 --staffing "$tmp/more.csv" --json "$tmp/more.json" --quiet
read -r more_asa more_asa_h < <(total_metric "$tmp/more.json" asa_s)
read -r more_ab more_ab_h < <(total_metric "$tmp/more.json" abandon_rate)
lower() { awk -v a="$1" -v ha="$2" -v b="$3" -v hb="$4" 'BEGIN { print "    " b " against " a; exit !(a - b > 3.023 * sqrt((ha / 2.262) ^ 2 + (hb / 2.262) ^ 2)) }'; }
check "two more agents in every interval: the same calls wait less" lower "$rep_asa" "$rep_asa_h" "$more_asa" "$more_asa_h"
check "two more agents in every interval: fewer abandon" lower "$rep_ab" "$rep_ab_h" "$more_ab" "$more_ab_h"
check "replay: every logged contact that reached the agents is offered" bash -c "total_metric '$tmp/logged.json' offered | grep -q '^12765 '"
check "replay: a log without agents needs --agents or --staffing" bash -c "printf 'when,result,wait\n100,ok,0\n' >'$tmp/na.csv'; printf 'columns = { arrival = \"when\"; outcome = \"result\"; wait = \"wait\"; };\noutcomes = { handled = [ \"ok\" ]; abandoned = [ \"no\" ]; };\n' >'$tmp/na.map'; '$CCSIM' replay '$tmp/na.csv' --map '$tmp/na.map' 2>&1 | grep -q 'give --agents N or --staffing FILE'"
check "replay --help names --staffing" bash -c "'$CCSIM' replay --help | grep -q -- '--staffing FILE'"
# A credit rule (docs/logs.md) puts its customers ahead of those who waited up to that much
# longer: the shipped log's even contacts credited 90 s, replayed through the same staffing, wait
# less than the odd ones, and the credit moves waiting without creating or losing any.
zcat "$log" | awk -F, 'NR == 1 { print "when,wait,handle,result,agent,vip"; next }
    { printf "%.6f,%s,%s,%s,%s,%d\n", $1 * 86400 + 28800 + $6, $10, $11, $16, $15, $3 % 2 }' >"$tmp/vip.csv"
printf 'columns = { arrival = "when"; wait = "wait"; handle = "handle"; outcome = "result"; agent = "agent"; };\noutcomes = { handled = [ "handled" ]; abandoned = [ "abandoned" ]; };\ncredit = ( { column = "vip"; value = "0"; seconds = 90; } );\n' >"$tmp/vip.map"
"$CCSIM" replay "$tmp/vip.csv" --map "$tmp/vip.map" --reps 10 --json "$tmp/vip.json" --quiet
seg_metric() { # json, segment, metric: mean and ci95
    sed -n "/^  \"segments\": {/,/^  }/p" "$1" | sed -n "/^    \"$2\": {/,/^    }/p" | grep -A2 "\"$3\": {" | sed -n 's/.*"\(mean\|ci95\)": \([^,]*\).*/\2/p' | tr '\n' ' '
}
read -r vip_asa vip_asa_h < <(seg_metric "$tmp/vip.json" "default +90s" asa_s)
read -r reg_asa reg_asa_h < <(seg_metric "$tmp/vip.json" default asa_s)
check "credited 90 s: the credited contacts wait less than the others" lower "$reg_asa" "$reg_asa_h" "$vip_asa" "$vip_asa_h"
check "credited 90 s: both halves are offered, 12765 in all" bash -c "total_metric '$tmp/vip.json' offered | grep -q '^12765 '"
