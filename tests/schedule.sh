#!/usr/bin/env bash
# ccsim schedule: the GLPK shifts cover every interval of the requirement ccsim staff writes (CSV
# or JSON alike), grossed up for shrinkage; templates that cannot cover, and bad requirement
# files, exit 2 naming what is wrong and write nothing.
source "$(dirname "$0")/lib.sh"
"$CCSIM" staff configs/default.cfg --target voice:sl=0.8@20s --reps 10 --csv "$tmp/req.csv" --json "$tmp/req.json" >/dev/null
check "the schedule of default.cfg's sim requirement runs" "$CCSIM" schedule configs/default.cfg --requirements "$tmp/req.csv" --reps 5
"$CCSIM" schedule configs/default.cfg --requirements "$tmp/req.csv" --reps 5 --csv "$tmp/shifts.csv" >"$tmp/table"
# The interval rows: interval, required, gross, on duty, over, under, occupancy.
rows() { awk '/^  [0-9][0-9]:[0-9][0-9] / && NF >= 7' "$1"; }
check "a row per interval" test "$(rows "$tmp/table" | wc -l)" -eq 24
check "every interval: on duty >= the requirement, nothing under" bash -c "awk '/^  [0-9][0-9]:[0-9][0-9] / && NF >= 7 { n++; if (\$4 < \$3 - 1e-9 || \$6 != 0) bad++ } END { exit !(n == 24 && bad == 0) }' '$tmp/table'"
check "the required column is the staff CSV's agents" bash -c "diff <(awk '/^  [0-9][0-9]:[0-9][0-9] / && NF >= 7 { printf \"%d\\n\", \$2 }' '$tmp/table') <(tail -n +2 '$tmp/req.csv' | cut -d, -f5)"
check "the shifts CSV: its agents add up to the table's shift count" bash -c "test \$(tail -n +2 '$tmp/shifts.csv' | awk -F, '{ s += \$6 } END { print s }') -eq \$(sed -n 's/^group helpdesk: \([0-9]*\) shifts.*/\1/p' '$tmp/table')"
check "the shifts CSV: its costs add up to the day's cost" bash -c "test \"\$(tail -n +2 '$tmp/shifts.csv' | awk -F, '{ s += \$7 } END { printf \"%.2f\", s }')\" = \"\$(sed -n 's/^cost \([0-9.]*\) per day/\1/p' '$tmp/table')\""
"$CCSIM" schedule configs/default.cfg --requirements "$tmp/req.json" --reps 5 --csv "$tmp/shifts-json.csv" >/dev/null
check "the JSON requirement gives the CSV one's schedule" cmp "$tmp/shifts.csv" "$tmp/shifts-json.csv"
"$CCSIM" schedule configs/default.cfg --requirements "$tmp/req.csv" --reps 5 --set groups.[0].shrinkage=0.2 >"$tmp/shrunk"
check "shrinkage 0.2: gross = required / 0.8 and covered" bash -c "awk '/^  [0-9][0-9]:[0-9][0-9] / && NF >= 7 { n++; g = \$2 / 0.8; if (\$3 < g - 0.006 || \$3 > g + 0.006 || \$4 < \$3 - 1e-9) bad++ } END { exit !(n == 24 && bad == 0) }' '$tmp/shrunk'"
check "--json -: the schedule with its simulation" bash -c "'$CCSIM' schedule configs/default.cfg --requirements '$tmp/req.csv' --reps 3 --json - | grep -q '\"simulated\"'"

# No template works after 16:00 here: the message names those intervals; no output written.
sed -e 's/latest_start = "12:00"/latest_start = "08:00"/' -e 's/latest_start = "16:00"/latest_start = "08:00"/' configs/default.cfg >"$tmp/early.cfg"
"$CCSIM" schedule "$tmp/early.cfg" --requirements "$tmp/req.csv" --json "$tmp/never.json" 2>"$tmp/e" >/dev/null
rc=$?
check "templates that cannot cover: exit 2" test $rc -eq 2
check "... naming the first interval no shift works, 16:00, and not 15:30" bash -c "grep -q 'no template' '$tmp/e' && grep -q '16:00 (' '$tmp/e' && ! grep -q '15:30 (' '$tmp/e'"
check "... and writing no JSON" test ! -e "$tmp/never.json"
sed -e 's/cost = 110.0; }/cost = 110.0; max = 1; }/' -e 's/length_h = 8.0;/length_h = 8.0; max = 5;/' configs/default.cfg >"$tmp/few.cfg"
check "max counts too low: exit 2, saying so" bash -c "'$CCSIM' schedule '$tmp/few.cfg' --requirements '$tmp/req.csv' 2>'$tmp/e2' >/dev/null; test \$? -eq 2 && grep -q 'max counts' '$tmp/e2'"

# Bad requirement files.
printf 'day,interval,start_s,group,agents\n0,08:00,28800,"helpdesk",9\n0,08:10,29400,"helpdesk",9\n' >"$tmp/offgrid.csv"
check "a row off the config's grid: exit 2 naming the file and line" bash -c "'$CCSIM' schedule configs/default.cfg --requirements '$tmp/offgrid.csv' 2>&1 >/dev/null | grep -q 'offgrid.csv:3:.*not an interval'"
printf 'day,interval,start_s,group,agents\n0,08:00,28800,"nobody",9\n' >"$tmp/nogroup.csv"
check "an unknown group: exit 2 naming it" bash -c "'$CCSIM' schedule configs/default.cfg --requirements '$tmp/nogroup.csv' 2>&1 >/dev/null | grep -q \"nogroup.csv:2:.*no group 'nobody'\""
printf '{"intervals": [{"start_s": 28800, "groups": {"helpdesk": 9}}' >"$tmp/cut.json"
check "JSON cut short: exit 2 naming the file" bash -c "'$CCSIM' schedule configs/default.cfg --requirements '$tmp/cut.json' 2>'$tmp/e3' >/dev/null; test \$? -eq 2 && grep -q 'cut.json:1: JSON' '$tmp/e3'"
check "a missing file: exit 2" bash -c "'$CCSIM' schedule configs/default.cfg --requirements '$tmp/none.csv' 2>/dev/null >/dev/null; test \$? -eq 2"
check "no --requirements: exit 2 with usage" bash -c "'$CCSIM' schedule configs/default.cfg 2>&1 >/dev/null | grep -q -- '--requirements FILE expected'"
check "a steady-mode config: exit 2, requirements need day mode" bash -c "'$CCSIM' schedule configs/erlang.cfg --requirements '$tmp/req.csv' 2>&1 >/dev/null | grep -q 'mode \"day\"'"
sed '/shift_templates = (/,/^    );/d' configs/default.cfg >"$tmp/notemplates.cfg"
check "no group with templates: exit 2 saying so" bash -c "'$CCSIM' schedule '$tmp/notemplates.cfg' --requirements '$tmp/req.csv' 2>&1 >/dev/null | grep -q 'no group with shift_templates'"
printf '\xef\xbb\xbfday,interval,start_s,group,agents\n\n0,08:00,28800,"helpdesk",9\n0,08:00,28800,"helpdesk",9\n' >"$tmp/dup.csv"
check "a byte order mark is read; a blank line counts; a second row for an interval: exit 2 at its line" bash -c "'$CCSIM' schedule configs/default.cfg --requirements '$tmp/dup.csv' 2>&1 >/dev/null | grep -q 'dup.csv:4:.*a second row'"
check "several days and no day column: exit 2 saying so" bash -c "cut -d, -f2- '$tmp/req.csv' >'$tmp/noday.csv'; '$CCSIM' schedule configs/default.cfg --set day.days=2 --requirements '$tmp/noday.csv' 2>&1 >/dev/null | grep -q 'a day column expected'"
check "--help names --requirements" bash -c "'$CCSIM' schedule --help | grep -q -- '--requirements FILE'"
