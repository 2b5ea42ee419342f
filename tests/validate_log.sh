#!/usr/bin/env bash
# ccsim validate on the shipped synthetic log (tests/data/fit-day-log.csv.gz: 20 days simulated
# from tests/data/fit-day.cfg, whose staffing the log's agents reproduce).  The replay of a log
# whose model is known reproduces every interval; the fitted model agrees within the combined
# 95 % intervals in all but a binomially allowed few; Erlang A is the exact formula on the fitted
# inputs; the errors are those of the CSV's own columns; fewer agents raise the abandonment.
source "$(dirname "$0")/lib.sh"
log=tests/data/fit-day-log.csv.gz
"$CCSIM" validate "$log" --start 08:00 --reps 10 --csv "$tmp/v.csv" --json "$tmp/v.json" --quiet
"$CCSIM" fit "$log" --start 08:00 --out "$tmp/fit.cfg" --json "$tmp/fit.json" --quiet
check "one row per interval: 16, each with every column of the header" bash -c "test \$(awk -F, 'NR == 1 { n = NF; next } NF == n' '$tmp/v.csv' | wc -l) -eq 16"
# The replay runs the log's own contacts through the staffing that served them: in a log whose
# model is known, no interval may stray outside the combined intervals.
within() { # csv, source, quantity: intervals where source is within the combined 95 % half-widths
    # of the log; -1 when a column is missing or a value of a counted interval is empty.
    awk -F, -v s="$2" -v q="$3" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i
            if (!(("log_" q) in c) || !((s "_" q) in c) || !(("log_" q "_ci95") in c) || !("in_errors" in c)) bad = 1; next }
        $c["in_errors"] == 1 { lo = $c["log_" q]; loh = $c["log_" q "_ci95"]; p = $c[s "_" q]; ph = $c[s "_" q "_ci95"] + 0
            if (lo == "" || loh == "" || p == "") bad = 1
            d = p - lo; if (d < 0) d = -d; n += d <= sqrt(loh * loh + ph * ph) }
        END { print bad ? -1 : n + 0 }' "$1"
}
check "replay: abandon rate within the combined intervals in all 16 intervals" test "$(within "$tmp/v.csv" replay abandon_rate)" -eq 16
check "replay: ASA within the combined intervals in all 16 intervals" test "$(within "$tmp/v.csv" replay asa_s)" -eq 16
# The fitted model is the log's own model refitted: each interval lies within the combined 95 %
# intervals with probability about 0.95, so 4 or more misses of 16 has probability 0.7 % if the
# intervals were independent (they share the fitted parameters, which the intervals ignore).
check "fitted model: abandon rate within the combined intervals in at least 13 of 16" test "$(within "$tmp/v.csv" fitted abandon_rate)" -ge 13
check "fitted model: ASA within the combined intervals in at least 13 of 16" test "$(within "$tmp/v.csv" fitted asa_s)" -ge 13
# Erlang A: the exact formula on the fitted inputs (rate, chosen handle mean, counted agents,
# exponential patience), for interval 5 (10:00).
arr=$(sed -n '/"arrivals_per_hour": \[/,/\]/p' "$tmp/fit.json" | sed -n 6p | tr -d ' ,')
agents=$(sed -n '/"agents": \[/,/\]/p' "$tmp/fit.json" | sed -n 6p | tr -d ' ,')
aht=$(awk '/"handle_fits"/ { h = 1 } h && /"family": "lognormal"/ { l = 1 } l && /"mean_s"/ { gsub(/[ ,]/, ""); split($0, a, ":"); print a[2]; exit }' "$tmp/fit.json")
patience=$(awk '/"patience_fits"/ { p = 1 } p && /"mean_s"/ { gsub(/[ ,]/, ""); split($0, a, ":"); print a[2]; exit }' "$tmp/fit.json")
"$CCSIM" erlang a --arrivals-per-hour "$arr" --aht "$aht" --agents "$agents" --patience "$patience" >"$tmp/ea.json"
check "Erlang A at 10:00 is the exact M/M/n+M of the fitted inputs" bash -c "exact=\$(sed -n 's/.*\"p_abandon\": \([^,]*\).*/\1/p' '$tmp/ea.json'); got=\$(sed -n 5p <(csv_col '$tmp/v.csv' erlang_a_abandon_rate)); awk -v a=\"\$exact\" -v b=\"\$got\" 'BEGIN { d = a - b; exit !(a > 0 && d < 1e-12 && d > -1e-12) }'"
check "the errors: the JSON's mean absolute errors are those of the CSV's columns" bash -c "for s in fitted replay erlang_a; do for q in abandon_rate asa_s; do
    want=\$(awk -F, -v s=\$s -v q=\$q 'NR == 1 { for (i = 1; i <= NF; i++) c[\$i] = i; next } \$c[\"in_errors\"] == 1 { d = \$c[s \"_\" q] - \$c[\"log_\" q]; t += d < 0 ? -d : d; n++ } END { printf \"%.12g\", t / n }' '$tmp/v.csv')
    got=\$(validate_mae '$tmp/v.json' \$s \$q)
    test -n \"\$want\" && test -n \"\$got\" && awk -v a=\"\$want\" -v b=\"\$got\" 'BEGIN { d = a - b; exit !(a > 0 && d < 1e-9 * (a + 1) && d > -1e-9 * (a + 1)) }' || exit 1; done; done"
"$CCSIM" validate "$log" --start 08:00 --reps 10 --agents-scale 0.75 --csv "$tmp/few.csv" --quiet
check "--agents-scale 0.75: the replay's abandon rate is higher in every interval" bash -c "paste -d, <(csv_col '$tmp/v.csv' replay_abandon_rate) <(csv_col '$tmp/few.csv' replay_abandon_rate) | awk -F, '{ n += \$2 > \$1 } END { exit !(n == 16) }'"
check "--days on a log without dates: exit 2, saying so" bash -c "'$CCSIM' validate '$log' --start 08:00 --days mon 2>&1 | grep -q 'has no dates'; test \${PIPESTATUS[0]} -eq 2"
check "--days with a bad day: exit 2, saying so" bash -c "'$CCSIM' validate '$log' --start 08:00 --days mon-fry 2>'$tmp/err'; test \$? -eq 2 && grep -q 'weekdays (mon to sun)' '$tmp/err'"
check "--reps 1: exit 2 (an interval needs two)" bash -c "'$CCSIM' validate '$log' --start 08:00 --reps 1 2>/dev/null; test \$? -eq 2"
check "a missing log: exit 2, naming it" bash -c "'$CCSIM' validate '$tmp/none.csv' 2>&1 | grep -q 'none.csv'; test \${PIPESTATUS[0]} -eq 2"
check "validate --help names --days and --agents-scale" bash -c "'$CCSIM' validate --help | grep -q -- '--days LIST' && '$CCSIM' validate --help | grep -q -- '--agents-scale F'"
check "the text report ends with the errors of the three predictions" bash -c "'$CCSIM' validate '$log' --start 08:00 --reps 3 | tail -3 | grep -c 'abandon rate .* points' | grep -qx 3"
# Two channels of M/M/n+M (exponential service and patience, constant staffing): each channel is
# compared on its own.  Erlang A is then the exact stationary model of every interval, so it lies
# within the log's 95 % interval with probability about 0.95 per interval (less in the first,
# which starts empty): 3 or more misses of 8 would have probability 0.6 %.
cat >"$tmp/two.cfg" <<'CFG'
mode = "day";
seed = 4;
day = { start = "08:00"; end = "12:00"; interval_min = 30; };
channels = ( { name = "a"; arrivals_per_hour = 60.0; service = { dist = "exponential"; mean_s = 120.0; };
               patience = { dist = "exponential"; mean_s = 200.0; }; },
             { name = "b"; arrivals_per_hour = 90.0; service = { dist = "exponential"; mean_s = 120.0; };
               patience = { dist = "exponential"; mean_s = 100.0; }; } );
groups = ( { name = "ta"; skills = [ "a" ]; agents = 2; }, { name = "tb"; skills = [ "b" ]; agents = 3; } );
CFG
"$CCSIM" run "$tmp/two.cfg" --reps 20 --quiet --log "$tmp/two.log" >/dev/null
"$CCSIM" validate "$tmp/two.log" --start 08:00 --reps 10 --csv "$tmp/two.csv" --quiet
for ch in a b; do
    { head -1 "$tmp/two.csv"; grep "^\"$ch\"," "$tmp/two.csv"; } >"$tmp/two-$ch.csv"
    check "two channels: channel $ch has its 8 intervals" test "$(($(wc -l <"$tmp/two-$ch.csv") - 1))" -eq 8
    for q in abandon_rate asa_s; do
        check "two channels: channel $ch, Erlang A's $q within the log's intervals in at least 6 of 8" test "$(within "$tmp/two-$ch.csv" erlang_a $q)" -ge 6
        check "two channels: channel $ch, the replay's $q within the intervals in all 8" test "$(within "$tmp/two-$ch.csv" replay $q)" -eq 8
    done
done
