#!/usr/bin/env bash
# The real Anonymous Bank log (Technion SEE Center, February 1999; ../shared/data/anonymous-bank/,
# never copied here): fitted with configs/logmaps/anonymous-bank.cfg when the file is present,
# skipped when it is not.  The checks are facts of that center (its README): 28 days of February
# 1999, Sunday to Thursday open 07:00 to 24:00, Friday until 14:00, Saturday from about 20:00,
# PHANTOM records dropped; and the literature's finding (Brown et al., JASA 2005) that service
# times are close to lognormal once the very short ones are set aside.
source "$(dirname "$0")/lib.sh"
log=../shared/data/anonymous-bank/february-1999.txt.gz
if [ ! -e "$log" ]; then
    echo "skip: $log is absent"
    exit 0
fi
"$CCSIM" fit "$log" --map configs/logmaps/anonymous-bank.cfg --drop-short 10 --out "$tmp/bank.cfg" \
    --json "$tmp/bank.json" >"$tmp/report.txt"
check "the log is read: 28 days, PHANTOM rows dropped, dates give weekdays" bash -c "grep -q 'over 28 days' '$tmp/report.txt' && grep -q '\"day_types\": 7' '$tmp/bank.json' && grep -q 'rows dropped' '$tmp/report.txt' && ! grep -q '; 0 rows dropped' '$tmp/report.txt'"
check "every call record is accounted for: contacts + dropped = 33,344" bash -c "c=\$(sed -n 's/.*\"contacts\": \([0-9]*\).*/\1/p' '$tmp/bank.json' | head -1); d=\$(sed -n 's/.*\"dropped\": \([0-9]*\).*/\1/p' '$tmp/bank.json' | head -1); test \$((c + d)) -eq 33344"
check "service times: lognormal once those under 10 s are left out" grep -q '"handle_chosen": "lognormal"' "$tmp/bank.json"
check "the fitted week loads and runs" "$CCSIM" run "$tmp/bank.cfg" --reps 2 --quiet
# Friday (day type 4) closes at 14:00: no agent serves from 15:00; Saturday opens in the evening.
check "Friday's agents end by 14:30 and Saturday's start in the evening" bash -c "awk '/# Friday/ { gsub(/[][,]/, \" \"); for (k = 31; k <= 48; k++) if (\$k + 0 > 0) exit 1; f = 1 } /# Saturday/ { gsub(/[][,]/, \" \"); for (k = 1; k <= 36; k++) if (\$k + 0 > 0) exit 1; s = 1 } END { exit !(f && s) }' '$tmp/bank.cfg'"
"$CCSIM" replay "$log" --map configs/logmaps/anonymous-bank.cfg --drop-short 10 --reps 2 --quiet --json "$tmp/replay.json"
check "the log replays: every call that reached the agents is offered (31,125)" bash -c "total_metric '$tmp/replay.json' offered | grep -q '^31125 '"
# The hourly comparison of the weekdays (Sunday to Thursday: the center's full days), the study
# of docs/logs.md.  With the agents counted from the log every prediction abandons fewer calls
# than the log in every hour; with 0.65 of them the replay's errors fall by more than half,
# so the counted staffing, not the queueing model, is what the predictions miss.
hourly=(validate "$log" --map configs/logmaps/anonymous-bank.cfg --drop-short 10 --interval-min 60 --days sun-thu --reps 10 --quiet)
"$CCSIM" "${hourly[@]}" --csv "$tmp/hourly.csv" --json "$tmp/hourly.json"
"$CCSIM" "${hourly[@]}" --agents-scale 0.65 --json "$tmp/hourly-65.json"
check "the hourly comparison: 20 weekdays, 17 hours with at least 30 calls" bash -c "grep -q '\"days\": 20' '$tmp/hourly.json' && test \$(csv_col '$tmp/hourly.csv' in_errors | grep -cx 1) -eq 17"
check "the counted staffing: every prediction abandons fewer calls than the log, in every one of those hours" bash -c "awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[\$i] = i; next } \$c[\"in_errors\"] == 1 { n++; ok += \$c[\"fitted_abandon_rate\"] < \$c[\"log_abandon_rate\"] && \$c[\"replay_abandon_rate\"] < \$c[\"log_abandon_rate\"] && \$c[\"erlang_a_abandon_rate\"] < \$c[\"log_abandon_rate\"] } END { exit !(n == 17 && ok == 17) }' '$tmp/hourly.csv'"
for q in abandon_rate asa_s; do
    check "0.65 of the counted agents: the replay's mean absolute error of $q falls by more than half" \
        awk -v a="$(validate_mae "$tmp/hourly.json" replay $q)" -v b="$(validate_mae "$tmp/hourly-65.json" replay $q)" 'BEGIN { print "    " a " -> " b; exit !(b > 0 && b < a / 2) }'
done
