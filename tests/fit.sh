#!/usr/bin/env bash
# ccsim fit: the command line, the mapping file and malformed logs.  Each bad log must exit 2
# with a message naming the file and line, and write nothing.  A gzipped log with CRLF line ends
# reads as the plain one; the Anonymous Bank mapping reads a log in that format (synthetic rows:
# the real log is never copied into the repository).
source "$(dirname "$0")/lib.sh"
"$CCSIM" run tests/data/fit-day.cfg --reps 3 --quiet --log "$tmp/log.csv" >/dev/null
check "fit: the config it writes loads" bash -c "'$CCSIM' fit '$tmp/log.csv' --start 08:00 --out '$tmp/f.cfg' --quiet && '$CCSIM' check '$tmp/f.cfg'"
check "fit: the config starts at --start and keeps the log's 16 intervals" bash -c "grep -q 'start = \"08:00\"' '$tmp/f.cfg' && grep -q 'end = \"16:00\"' '$tmp/f.cfg'"
check "fit: the comments say where the numbers came from" bash -c "grep -q 'maximum likelihood over' '$tmp/f.cfg' && grep -q 'under censoring' '$tmp/f.cfg' && grep -q 'distinct agents' '$tmp/f.cfg'"
sed 's/$/\r/' "$tmp/log.csv" | gzip -c >"$tmp/log-crlf.csv.gz"
"$CCSIM" fit "$tmp/log-crlf.csv.gz" --start 08:00 --out "$tmp/g.cfg" --quiet
check "fit: a gzipped log with CRLF line ends gives the same config" bash -c "diff <(sed 1d '$tmp/f.cfg') <(sed 1d '$tmp/g.cfg')"
check "fit: the report names the chosen fits" bash -c "'$CCSIM' fit '$tmp/log.csv' --out '$tmp/h.cfg' | grep -q 'lognormal   \*'"
check "fit: --json - prints the report as JSON" bash -c "'$CCSIM' fit '$tmp/log.csv' --out '$tmp/h.cfg' --json - | grep -q '\"handle_chosen\"'"
check "fit: --help names --map" bash -c "'$CCSIM' fit --help | grep -q -- '--map FILE'"
check "fit: no --out exits 2" bash -c "'$CCSIM' fit '$tmp/log.csv' 2>/dev/null; test \$? -eq 2"
check "fit: --interval-min that does not divide a day exits 2" bash -c "'$CCSIM' fit '$tmp/log.csv' --out '$tmp/x.cfg' --interval-min 7 2>&1 | grep -q 'dividing a day'"

bad_log() { # description, log text (printf %b), expected message, [mapping text]
    printf '%b' "$2" >"$tmp/bad.csv"
    local map=()
    if [ $# -ge 4 ]; then
        printf '%b' "$4" >"$tmp/map.cfg"
        map=(--map "$tmp/map.cfg")
    fi
    rm -f "$tmp/out.cfg"
    check "bad log: $1" bash -c "'$CCSIM' fit '$tmp/bad.csv' ${map[*]} --out '$tmp/out.cfg' --agents 3 2>'$tmp/err'; test \$? -eq 2 && grep -qF -- \"$3\" '$tmp/err' && test ! -e '$tmp/out.cfg'"
}
head=$(head -1 "$tmp/log.csv")
row=$(sed -n 2p "$tmp/log.csv")
bad_log "a missing column" "replication,arrival_s,outcome\n0,1.5,handled\n" "bad.csv:1: the header has no column 'queue_entry_s' (columns.queue_entry)"
bad_log "a negative handle time" "$head\n${row/,handled,/,handled,}\n$(echo "$row" | awk -F, -v OFS=, '{ $11 = -5; print }')\n" "bad.csv:3: handle: negative duration '-5'"
bad_log "a negative wait" "$head\n$(echo "$row" | awk -F, -v OFS=, '{ $10 = -2; print }')\n" "bad.csv:2: wait: negative duration '-2'"
bad_log "a row with too few fields" "$head\n0,1,1\n" "bad.csv:2: 3 fields, the mapping needs 16"
bad_log "an arrival that is not a number" "$head\n$(echo "$row" | awk -F, -v OFS=, '{ $6 = "soon"; print }')\n" "bad.csv:2: arrival: a time expected (as time_format says), got 'soon'"
bad_log "a header only" "$head\n" "bad.csv: the log has no contacts"
bad_log "an empty file" "" "bad.csv: the log is empty"
bad_log "answered before it queued" "when,queued,answered,result\n08:00:00,08:00:05,08:00:01,ok\n" \
    "bad.csv:2: times out of order: answered before it queued" \
    'columns = { arrival = "when"; queue_entry = "queued"; answer = "answered"; outcome = "result"; };\ntime_format = "h:mm:ss";\noutcomes = { handled = [ "ok" ]; abandoned = [ "hung" ]; };\n'
bad_log "a bad date" "day\twhen\twait\tresult\n991345\t8:00:00\t5\tok\n" "bad.csv:2: date: a date as date_format says expected, got '991345'" \
    'separator = "tab";\ncolumns = { date = "day"; arrival = "when"; wait = "wait"; outcome = "result"; };\ndate_format = "YYMMDD";\ntime_format = "h:mm:ss";\noutcomes = { handled = [ "ok" ]; abandoned = [ "hung" ]; };\n'
bad_log "a bad clock time" "day\twhen\twait\tresult\n990301\t8:75:00\t5\tok\n" "bad.csv:2: arrival: a time expected (as time_format says), got '8:75:00'" \
    'separator = "tab";\ncolumns = { date = "day"; arrival = "when"; wait = "wait"; outcome = "result"; };\ndate_format = "YYMMDD";\ntime_format = "h:mm:ss";\noutcomes = { handled = [ "ok" ]; abandoned = [ "hung" ]; };\n'
bad_log "an abandoned contact without its wait" "when,result\n100,hung\n" "bad.csv:2: an abandoned contact needs its wait" \
    'columns = { arrival = "when"; outcome = "result"; queue_entry = "when"; };\noutcomes = { handled = [ "ok" ]; abandoned = [ "hung" ]; };\n'
bad_log "mapping: an unknown key" "x\n1\n" "map.cfg:1: colums: unknown key" 'colums = { arrival = "x"; };\n'
bad_log "mapping: an unknown field" "x\n1\n" "map.cfg:1: columns.arival: unknown field" \
    'columns = { arival = "x"; outcome = "y"; };\noutcomes = { handled = [ "ok" ]; abandoned = [ "hung" ]; };\n'
bad_log "mapping: no arrival" "x\n1\n" "columns: arrival: required" \
    'columns = { outcome = "y"; };\noutcomes = { handled = [ "ok" ]; abandoned = [ "hung" ]; };\n'
bad_log "mapping: a bad separator" "x\n1\n" "map.cfg:1: separator: one character" \
    'separator = "::";\ncolumns = { arrival = "x"; outcome = "y"; };\noutcomes = { handled = [ "ok" ]; abandoned = [ "hung" ]; };\n'
bad_log "mapping: a syntax error" "x\n1\n" "map.cfg:2: syntax error" 'columns = { arrival = "x";\n'
m='columns = { arrival = "when"; outcome = "result"; wait = "wait"; };\noutcomes = { handled = [ "ok" ]; abandoned = [ "no" ]; };\n'
bad_log "mapping: a credit rule without its seconds" "when,result,wait,vip\n100,ok,0,1\n" "map.cfg:3: credit: seconds: required" \
    "$m"'credit = ( { column = "vip"; value = "1"; } );\n'
bad_log "mapping: a credit of \"90\" (a string)" "when,result,wait,vip\n100,ok,0,1\n" "map.cfg:3: credit: seconds: a number of seconds expected" \
    "$m"'credit = ( { column = "vip"; value = "1"; seconds = "90"; } );\n'
bad_log "mapping: a drop rule with an unknown key" "when,result,wait,vip\n100,ok,0,1\n" "map.cfg:3: drop: why: unknown key (column, value)" \
    "$m"'drop = ( { column = "vip"; value = "1"; why = 1; } );\n'
bad_log "mapping: a credit of 0 s" "when,result,wait,vip\n100,ok,0,1\n" "map.cfg:3: credit: seconds: more than 0 and at most 86400 expected" \
    "$m"'credit = ( { column = "vip"; value = "1"; seconds = 0; } );\n'
bad_log "mapping: a credit rule naming a column the header lacks" "when,result,wait\n100,ok,0\n" "bad.csv:1: the header has no column 'vip' (credit)" \
    "$m"'credit = ( { column = "vip"; value = "1"; seconds = 90; } );\n'

# The Anonymous Bank format: synthetic rows in its layout (tab, CRLF, YYMMDD, h:mm:ss).
printf 'vru+line\tcall_id\tcustomer_id\tpriority\ttype\tdate\tvru_entry\tvru_exit\tvru_time\tq_start\tq_exit\tq_time\toutcome\tser_start\tser_exit\tser_time\tserver\r\n' >"$tmp/bank.txt"
awk 'BEGIN { srand(5); t = 7 * 3600
    for (d = 1; d <= 14; d++) for (i = 0; i < 60; i++) {
        t = 7 * 3600 + i * 600 + int(rand() * 500); q = rand() < 0.4 ? int(rand() * 120) : 0
        hang = q > 0 && rand() < 0.25; s = hang ? 0 : 30 + int(-150 * log(rand()))
        qs = q > 0 ? sprintf("%d:%02d:%02d", int((t + 9) / 3600), int((t + 9) % 3600 / 60), (t + 9) % 60) : "0:00:00"
        a = t + 9 + q
        printf "XX01\t%d\t0\t%d\t%s\t9903%02d\t%d:%02d:%02d\t%d:%02d:%02d\t9\t%s\t0:00:00\t%d\t%s\t%d:%02d:%02d\t0:00:00\t%d\t%s\r\n",
            d * 100 + i, i % 3 == 0 ? 2 : 1, i % 4 == 0 ? "NW" : "PS", d, int(t / 3600), int(t % 3600 / 60), t % 60, int((t + 9) / 3600), int((t + 9) % 3600 / 60), (t + 9) % 60,
            qs, q, hang ? "HANG" : "AGENT", int(a / 3600), int(a % 3600 / 60), a % 60, s, hang ? "NO_SERVER" : (i % 2 ? "ANNA" : "BEN")
    }
    printf "XX01\t9999\t0\t0\tPS\t990301\t8:00:00\t8:00:09\t9\t0:00:00\t0:00:00\t0\tPHANTOM\t0:00:00\t0:00:00\t0\tNO_SERVER\r\n" }' >>"$tmp/bank.txt"
gzip -c "$tmp/bank.txt" >"$tmp/bank.txt.gz"
check "the Anonymous Bank mapping reads its format (tab, CRLF, gzip, dates): 14 days, 1 row dropped" bash -c "'$CCSIM' fit '$tmp/bank.txt.gz' --map configs/logmaps/anonymous-bank.cfg --out '$tmp/bank.cfg' | grep -q 'over 14 days, 1 channel, 2 agents named; 1 rows dropped'"
check "the call types are segments and priority 2 is credited 90 s: PS, NW, PS +90s, NW +90s" bash -c "'$CCSIM' fit '$tmp/bank.txt.gz' --map configs/logmaps/anonymous-bank.cfg --out '$tmp/seg.cfg' --json - | tr -d ' \n' | grep -q '\"segments\":\[{\"name\":\"NW+90s\",\"credit_s\":90,\"offered\":[0-9]*,\"handled\":[0-9]*,\"abandoned\":[0-9]*},{\"name\":\"PS\",\"credit_s\":0,.*{\"name\":\"PS+90s\",\"credit_s\":90,.*{\"name\":\"NW\",\"credit_s\":0'"
check "the fitted config models the credit: priority 90 on the credited segments, scores of waited seconds, shares summing to 1" bash -c "test \$(grep -c 'priority = 90;' '$tmp/seg.cfg') -eq 2 && grep -q 'priority_per_s = 1.0;' '$tmp/seg.cfg' && sed -n 's/.*share = \([0-9.e-]*\);.*/\1/p' '$tmp/seg.cfg' | awk '{ s += \$1; n++ } END { exit !(n == 4 && s > 1 - 1e-12 && s < 1 + 1e-12) }' && '$CCSIM' check '$tmp/seg.cfg'"
check "a dated log gives one arrival list per weekday" bash -c "grep -q 'days = 7' '$tmp/bank.cfg' && grep -q '# Monday' '$tmp/bank.cfg' && '$CCSIM' check '$tmp/bank.cfg'"
# Over-dispersed days: a gamma busyness factor of shape 8 (day-to-day cv 0.35) in the model is
# detected by the dispersion test, and a busyness group of about that shape is written.
{ cat tests/data/fit-day.cfg; echo 'busyness = ( { name = "days"; shape = 8.0; } );'; } >"$tmp/busy.cfg"
"$CCSIM" run "$tmp/busy.cfg" --reps 40 --quiet --log "$tmp/busy.csv" >/dev/null
"$CCSIM" fit "$tmp/busy.csv" --start 08:00 --out "$tmp/busy-fit.cfg" >"$tmp/busy.txt"
check "over-dispersed days: the dispersion test rejects Poisson" grep -q 'over-dispersed' "$tmp/busy.txt"
# The fit's shape is the moment estimate from the 40 days' totals T: 1/k = (sum (T - L)^2 - n L) /
# (n L^2).  Its 99 % interval comes from the days' variance, (n - 1) s^2 / sigma^2 ~ chi2(39) with
# quantiles 19.9959 and 65.4756 (L's own error, about a fifth of that width, is left out).
awk -F, 'NR > 1 && ($16 == "handled" || $16 == "abandoned") { T[$1]++ } END { for (d in T) { n++; s += T[d]; ss += T[d] * T[d] }
    L = s / n; v = (ss - n * L * L) / (n - 1)
    printf "%d %.10g %.10g %.10g\n", n, n * L * L / ((n - 1) * v - n * L), ((n - 1) * v / 65.4756 - L) / (L * L), ((n - 1) * v / 19.9959 - L) / (L * L) }' "$tmp/busy.csv" >"$tmp/busy-moments.txt"
read -r busy_days busy_k busy_lo busy_hi <"$tmp/busy-moments.txt"
check "over-dispersed days: the busyness shape written is the moment estimate of the 40 days' totals" bash -c "sed -n 's/.*shape = \([0-9.]*\); channels.*/\1/p' '$tmp/busy-fit.cfg' | awk -v want=$busy_k -v n=$busy_days '{ c++; ok = n == 40 && \$1 > want * (1 - 1e-5) && \$1 < want * (1 + 1e-5) } END { exit !(c == 1 && ok) }' && '$CCSIM' check '$tmp/busy-fit.cfg'"
check "over-dispersed days: the true shape 8 lies in the estimate's 99 % interval" awk -v lo="$busy_lo" -v hi="$busy_hi" 'BEGIN { print "    1/k in [" lo ", " hi "]"; exit !(lo < 1 / 8 && 1 / 8 < hi) }'
# Found by review: two over-dispersed channels wrote a busyness list whose comma fell inside a
# comment; the fitted config must load whatever the log.
cat >"$tmp/two.cfg" <<'CFG'
mode = "day";
seed = 4;
day = { start = "08:00"; end = "12:00"; interval_min = 30; };
channels = ( { name = "a"; arrivals_per_hour = 60.0; service = { dist = "exponential"; mean_s = 120.0; }; },
             { name = "b"; arrivals_per_hour = 60.0; service = { dist = "exponential"; mean_s = 120.0; }; } );
groups = ( { name = "ta"; skills = [ "a" ]; agents = 4; }, { name = "tb"; skills = [ "b" ]; agents = 4; } );
busyness = ( { name = "x"; shape = 4.0; channels = [ "a" ]; }, { name = "y"; shape = 4.0; channels = [ "b" ]; } );
CFG
"$CCSIM" run "$tmp/two.cfg" --reps 40 --quiet --log "$tmp/two.csv" >/dev/null
check "two over-dispersed channels: two busyness groups, and the config loads" bash -c "'$CCSIM' fit '$tmp/two.csv' --start 08:00 --out '$tmp/two-fit.cfg' --quiet && test \$(grep -c 'shape = .*; channels' '$tmp/two-fit.cfg') -eq 2 && '$CCSIM' check '$tmp/two-fit.cfg'"
check "--start past which the day runs beyond midnight: exit 2, saying so" bash -c "'$CCSIM' fit '$tmp/log.csv' --start 20:00 --out '$tmp/late.cfg' 2>&1 | grep -q 'runs past midnight' && test ! -e '$tmp/late.cfg'"
check "--start on a dated log: exit 2, saying so" bash -c "'$CCSIM' fit '$tmp/bank.txt.gz' --map configs/logmaps/anonymous-bank.cfg --start 07:00 --out '$tmp/b2.cfg' 2>&1 | grep -q -- '--start is for --log files'"
printf 'when,wait,result,agent\n23:59:50,5,ok,x\n30:00:00,3,ok,x\n' >"$tmp/late.csv"
printf 'columns = { arrival = "when"; wait = "wait"; outcome = "result"; agent = "agent"; };\ntime_format = "h:mm:ss";\noutcomes = { handled = [ "ok" ]; abandoned = [ "no" ]; };\n' >"$tmp/late.map"
check "a clock past 24:00 rolls into the next day (2 days), and the config loads" bash -c "'$CCSIM' fit '$tmp/late.csv' --map '$tmp/late.map' --out '$tmp/late2.cfg' | grep -q 'over 2 days' && '$CCSIM' check '$tmp/late2.cfg'"
bad_log "no outcome matches the mapping's codes" "when,wait,result\n100,5,AGNET\n" "map.cfg: no contact's outcome is one of outcomes.handled or outcomes.abandoned" \
    'columns = { arrival = "when"; wait = "wait"; outcome = "result"; };\noutcomes = { handled = [ "AGENT" ]; abandoned = [ "HANG" ]; };\n'
# A --log file's times are cross-checked: arrival <= queue entry <= answer.
bad_log "a --log row answered before it queued" "$head\n$(echo "$row" | awk -F, -v OFS=, '{ $8 = $7 - 5; print }')\n" "bad.csv:2: times out of order: answered before it queued"
bad_log "a --log row queued before it arrived" "$head\n$(echo "$row" | awk -F, -v OFS=, '{ $7 = $6 - 5; $8 = $6 - 5; print }')\n" "bad.csv:2: times out of order: queued before it arrived"
# A call queued before midnight and answered after it is not out of order.
printf 'when,queued,answered,result,agent\n23:59:40,23:59:50,0:00:10,ok,x\n' >"$tmp/mid.csv"
printf 'columns = { arrival = "when"; queue_entry = "queued"; answer = "answered"; outcome = "result"; agent = "agent"; };\ntime_format = "h:mm:ss";\noutcomes = { handled = [ "ok" ]; abandoned = [ "no" ]; };\n' >"$tmp/mid.map"
check "queued at 23:59:50 and answered at 0:00:10: a wait of 20 s" bash -c "'$CCSIM' fit '$tmp/mid.csv' --map '$tmp/mid.map' --out '$tmp/mid.cfg' --json - | grep -A2 '\"asa_s\"' | grep -q '\"mean\": 20'"
