#!/usr/bin/env bash
# Batch runs: sweeps, threads and sequential sampling give the same bytes whatever -j; the
# precision asked for is met; sweep files and bad grids.
source "$(dirname "$0")/lib.sh"
grid=(--grid 'groups.[0].agents=8:14:3' --grid 'channels.[0].self_service.success=0.2,0.4' --reps 6)
for j in 1 2; do
    "$CCSIM" sweep configs/chatbot.cfg "${grid[@]}" --set steady.contacts=4000 -j $j --quiet \
        --csv "$tmp/sweep$j.csv" --jsonl "$tmp/sweep$j.jsonl"
done
check "sweep: CSV byte-identical with -j 1 and -j 2" cmp "$tmp/sweep1.csv" "$tmp/sweep2.csv"
check "sweep: JSONL byte-identical with -j 1 and -j 2" cmp "$tmp/sweep1.jsonl" "$tmp/sweep2.jsonl"
check "sweep: 6 points x (chat + total) rows and a header" test "$(wc -l < "$tmp/sweep1.csv")" -eq 13
check "sweep: one JSON document per line, per point" bash -c "test \$(wc -l < '$tmp/sweep1.jsonl') -eq 6 && ! grep -q perf '$tmp/sweep1.jsonl' && grep -c '^{\"ccsim\"' '$tmp/sweep1.jsonl' | grep -qx 6"
check "sweep: every CSV row has the header's fields" awk -F, 'NR == 1 { n = NF } NF != n { exit 1 }' "$tmp/sweep1.csv"
check "sweep: the swept values lead each row" bash -c "cut -d, -f1,2 '$tmp/sweep1.csv' | sed -n '2p;4p;12p' | tr '\n' ' ' | grep -qx '8,0.2 8,0.4 14,0.4 '"
printf 'grid = ( { key = "groups.[0].agents"; from = 8; to = 14; step = 3; },\n  { key = "channels.[0].self_service.success"; values = [ 0.2, 0.4 ]; } );\n' >"$tmp/grid.cfg"
"$CCSIM" sweep configs/chatbot.cfg --sweep "$tmp/grid.cfg" --reps 6 --set steady.contacts=4000 --quiet --csv "$tmp/sweepf.csv"
check "a sweep file gives the grid of the flags" cmp "$tmp/sweep1.csv" "$tmp/sweepf.csv"
check "sweep --plots draws the staffing curve" bash -c "'$CCSIM' sweep configs/chatbot.cfg ${grid[*]@Q} --set steady.contacts=4000 --quiet --plots '$tmp/p' && test -s '$tmp/p/sweep_service_level.png' && test \$(grep -c '^x ' '$tmp/p/sweep_service_level.dat') -eq 2"
check "sweep: a bad grid exits 2" bash -c "'$CCSIM' sweep configs/chatbot.cfg --grid agents=10:5:1 2>/dev/null; test \$? -eq 2"
check "sweep: a bad point exits 2 with its message and no CSV" bash -c "'$CCSIM' sweep configs/chatbot.cfg --grid 'groups.[0].agents=4,-1' --reps 2 --csv '$tmp/bad.csv' 2>'$tmp/e'; test \$? -eq 2 && grep -q 'point 2' '$tmp/e' && test ! -e '$tmp/bad.csv'"

for j in 1 2; do
    "$CCSIM" run configs/default.cfg --precision 0.03 -j $j --json - --log "$tmp/log$j.csv" | sed '/"perf"/,$d' >"$tmp/prec$j.json"
    "$CCSIM" run configs/outage-day.cfg --reps 7 -j $j --json - --log "$tmp/olog$j.csv" | sed '/"perf"/,$d' >"$tmp/run$j.json"
done
check "run: JSON and call log byte-identical with -j 1 and -j 2" bash -c "cmp '$tmp/run1.json' '$tmp/run2.json' && cmp '$tmp/olog1.csv' '$tmp/olog2.csv'"
check "--precision: the same replications and output with -j 1 and -j 2" bash -c "cmp '$tmp/prec1.json' '$tmp/prec2.json' && cmp '$tmp/log1.csv' '$tmp/log2.csv'"
check "--precision: the log holds exactly the replications reported" bash -c "n=\$(sed -n 's/^  \"replications\": \([0-9]*\),/\1/p' '$tmp/prec1.json'); test \$(cut -d, -f1 '$tmp/log1.csv' | sort -u | grep -vc replication) -eq \$n && test \$n -gt 10"
# Every headline half-width within 3 % of its mean: the total's and the channel's service
# level and abandon rate, the total's ASA and occupancy (the JSON prints each as mean, ci95).
check "--precision 0.03: every headline half-width is at most 3 % of its mean" awk '
    /^  "total": \{/ { scope = "total" } /^  "channels": \{/ { scope = "channels" } /^  "cost"/ { scope = "" }
    scope == "total" && /"(service_level|abandon_rate|asa_s|occupancy)": \{/ { want = 1; next }
    scope == "channels" && /"(service_level|abandon_rate)": \{/ { want = 1; next }
    want && /"mean"/ { gsub(/[^0-9.eE+-]/, "", $2); mean = $2 }
    want && /"ci95"/ { gsub(/[^0-9.eE+-]/, "", $2); n++; if ($2 > 0.03 * mean + 1e-12) bad++; want = 0 }
    END { exit !(n >= 6 && bad == 0) }' "$tmp/prec1.json"
check "--precision outside (0, 1) exits 2" bash -c "'$CCSIM' run configs/default.cfg --precision 2 2>/dev/null; test \$? -eq 2"
check "compare: the same table with -j 1 and -j 2" bash -c "'$CCSIM' compare configs/pooling.cfg scenarios/08-pooled.cfg --reps 6 -j 1 --quiet > '$tmp/c1' && '$CCSIM' compare configs/pooling.cfg scenarios/08-pooled.cfg --reps 6 -j 2 --quiet > '$tmp/c2' && cmp '$tmp/c1' '$tmp/c2'"
check "--max-reps reached first: a warning, and exactly that many replications" bash -c "'$CCSIM' run configs/default.cfg --precision 0.001 --max-reps 5 --json - 2>'$tmp/w' | grep -q '^  \"replications\": 5,' && grep -q 'not reached' '$tmp/w'"
check "--precision with a log: the same bytes with -j 2" bash -c "'$CCSIM' run configs/outage-day.cfg --precision 0.05 --max-reps 30 -j 2 --log '$tmp/pl2.csv' --quiet >/dev/null && '$CCSIM' run configs/outage-day.cfg --precision 0.05 --max-reps 30 -j 1 --log '$tmp/pl1.csv' --quiet >/dev/null && cmp '$tmp/pl1.csv' '$tmp/pl2.csv'"
# Broken sweep files: each exits 2 with its file, line and problem, and writes nothing.
sweep_bad() { # description, file text, expected message (fixed string)
    printf '%b' "$2" >"$tmp/bad-sweep.cfg"
    check "sweep file: $1" bash -c "'$CCSIM' sweep configs/chatbot.cfg --sweep '$tmp/bad-sweep.cfg' --csv '$tmp/bs.csv' 2>'$tmp/bs.err'; test \$? -eq 2 && grep -qF -- \"$3\" '$tmp/bs.err' && test ! -e '$tmp/bs.csv'"
}
sweep_bad "no grid" 'steps = 3;\n' "bad-sweep.cfg: grid: a list"
sweep_bad "syntax error" 'grid = ( { key = "agents" values = [ 1 ] );\n' "bad-sweep.cfg:1: syntax error"
sweep_bad "an entry without key" 'grid = ( { values = [ 1, 2 ]; } );\n' "bad-sweep.cfg:1: grid.[0]: a group with key"
sweep_bad "values that are lists" 'grid = ( { key = "groups.[0].agents";\n  values = ( [ 1, 2 ], [ 3 ] ); } );\n' "bad-sweep.cfg:2: grid.[0].values: numbers or strings expected"
sweep_bad "from without step" 'grid = ( { key = "groups.[0].agents"; from = 1; to = 5; } );\n' "bad-sweep.cfg:1: grid.[0]: from needs to and step"
sweep_bad "from a string" 'grid = ( { key = "groups.[0].agents"; from = "one"; to = 5; step = 1; } );\n' "grid.[0]: from, to and step must be numbers"
sweep_bad "to below from" 'grid = ( { key = "groups.[0].agents"; from = 9; to = 5; step = 1; } );\n' "grid.[0]: from <= to and step > 0 expected"
sweep_bad "no values" 'grid = ( { key = "groups.[0].agents"; values = [ ]; } );\n' "grid.[0]: no values"
sweep_bad "a key the config lacks" 'grid = ( { key = "groups.[0].agent"; values = [ 5 ]; } );\n' "--set groups.[0].agent: no such setting"
