#!/usr/bin/env bash
# Extreme models: each gives a correct result or a clear error, never a crash, a hang or an
# out-of-memory kill.
source "$(dirname "$0")/lib.sh"
# The mean of a total metric in a JSON document: total_mean FILE METRIC
total_mean() { sed -n '/^  "total": {/,/^  },/p' "$1" | grep -A1 "\"$2\": {" | sed -n 's/.*"mean": \([^,]*\),*/\1/p' | head -1; }
day() { # agents arrivals_per_hour extra
    printf 'mode = "day"; seed = 3; replications = 2;\nday = { start = "08:00"; end = "12:00"; interval_min = 60; };\nchannels = ( { name = "voice"; arrivals_per_hour = %s;\n  service = { dist = "exponential"; mean_s = 200.0; };\n  patience = { dist = "exponential"; mean_s = 60.0; }; %s } );\ngroups = ( { name = "team"; skills = [ "voice" ]; agents = %s; } );\n' "$2" "$3" "$1"
}
day 0 60.0 "" >"$tmp/zero-agents.cfg"
"$CCSIM" run "$tmp/zero-agents.cfg" --json "$tmp/za.json" --quiet >/dev/null
za_handled=$(total_mean "$tmp/za.json" handled)
za_offered=$(total_mean "$tmp/za.json" offered)
za_gone=$(awk -v a="$(total_mean "$tmp/za.json" abandoned)" -v b="$(total_mean "$tmp/za.json" in_system_end)" 'BEGIN { print a + b }')
check "zero agents: nobody is answered; every contact abandons or is still waiting at the close (handled $za_handled, $za_gone of $za_offered)" \
    test "$za_handled" = 0 -a "$za_gone" = "$za_offered"
day 5 0.0 "" >"$tmp/zero-arrivals.cfg"
"$CCSIM" run "$tmp/zero-arrivals.cfg" --json "$tmp/zr.json" --quiet >/dev/null
check "zero arrivals: exit 0, nothing offered, undefined rates are null" bash -c "grep -A1 '\"offered\": {' '$tmp/zr.json' | grep -q '\"mean\": 0,' && grep -A1 '\"asa_s\": {' '$tmp/zr.json' | grep -q '\"mean\": null'"
day 5 60.0 'self_service = { time = { dist = "exponential"; mean_s = 30.0; }; success = 1.0; };' >"$tmp/deflect.cfg"
"$CCSIM" run "$tmp/deflect.cfg" --json "$tmp/df.json" --quiet >/dev/null
check "100 % deflection: every arrival resolved in self-service, none offered" bash -c "a=\$(grep -A1 '\"arrived\": {' '$tmp/df.json' | sed -n 's/.*\"mean\": \([^,]*\),/\1/p' | head -1); d=\$(grep -A1 '\"deflected\": {' '$tmp/df.json' | sed -n 's/.*\"mean\": \([^,]*\),/\1/p' | head -1); o=\$(grep -A1 '\"offered\": {' '$tmp/df.json' | sed -n 's/.*\"mean\": \([^,]*\),/\1/p' | head -1); test \"\$a\" = \"\$d\" && test \"\$o\" = 0 && test \"\$a\" != 0"
check "one agent, one contact: handled at once" bash -c "'$CCSIM' run configs/erlang.cfg --set agents=1 --set contacts=1 --set warmup_contacts=0 --reps 2 --json - | grep -A1 '\"handled\": {' | head -2 | grep -q '\"mean\": 1,'"
check "1,000,000 agents: runs, nobody waits" bash -c "'$CCSIM' run configs/erlang.cfg --set agents=1000000 --set contacts=5000 --set warmup_contacts=0 --reps 2 --json - | grep -A1 '\"p_wait\": {' | head -2 | grep -q '\"mean\": 0,'"
printf 'mode = "day"; seed = 4; replications = 2;\nday = { start = "08:00"; end = "20:00"; interval_min = 720; days = 365; };\nchannels = ( { name = "voice"; arrivals_per_hour = 20.0;\n  service = { dist = "exponential"; mean_s = 200.0; };\n  patience = { dist = "exponential"; mean_s = 120.0; }; } );\ngroups = ( { name = "team"; skills = [ "voice" ]; agents = 2; } );\n' >"$tmp/year.cfg"
check "a horizon of one year (365 days): runs, 365 intervals, a year of arrivals" bash -c "'$CCSIM' run '$tmp/year.cfg' --json '$tmp/y.json' --quiet >/dev/null && test \$(grep -c '\"day\": ' '$tmp/y.json') -ge 365 && grep -A1 '\"arrived\": {' '$tmp/y.json' | head -2 | sed -n 's/.*\"mean\": \([0-9.]*\),/\1/p' | awk '{ exit !(\$1 > 84000 && \$1 < 91000) }'"
printf 'mode = "day"; seed = 5; replications = 2;\nday = { start = "08:00"; end = "08:10"; interval_min = 0.016666666666666666; };\nchannels = ( { name = "voice"; arrivals_per_hour = 600.0;\n  service = { dist = "exponential"; mean_s = 30.0; };\n  patience = { dist = "exponential"; mean_s = 60.0; }; } );\ngroups = ( { name = "team"; skills = [ "voice" ]; agents = 6; } );\n' >"$tmp/second.cfg"
check "intervals of one second: 600 intervals, runs" bash -c "'$CCSIM' run '$tmp/second.cfg' --json '$tmp/s.json' --quiet >/dev/null && test \$(grep -c '\"start_s\": ' '$tmp/s.json') -ge 600"
check "overload without abandonment: a warning at the start, then an explicit stop at max_in_system (exit 1), no output" \
    bash -c "'$CCSIM' run configs/erlang.cfg --set agents=90 --set abandonment=false --set max_in_system=5000 --json '$tmp/ov.json' --quiet 2>'$tmp/ov.err'; test \$? -eq 1 && grep -q 'warning: .*grows without bound' '$tmp/ov.err' && grep -q 'more than 5000 contacts in the system' '$tmp/ov.err' && test -z \"\$(ls '$tmp' | grep ov.json)\""
