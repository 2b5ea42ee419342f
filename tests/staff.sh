#!/usr/bin/env bash
# ccsim staff --method erlang: per interval the Erlang answer (SIPP), equal to ccsim erlang's
# --target-sl for single-queue cases; every target met, one agent fewer fails one; bad targets.
source "$(dirname "$0")/lib.sh"
json_agents() { grep -A1 '"groups"' | sed -n 's/.*"agents": \([0-9]*\).*/\1/p' | head -1; }
n=0; same=0
# arrivals/h, AHT s, patience s (0: Erlang C), target SL within 20 s
for c in "200 180 300 0.8" "1900 180 300 0.8" "50 300 120 0.9" "600 240 600 0.7" \
         "200 180 0 0.8" "1900 180 0 0.8" "50 300 0 0.9" "1200 420 0 0.95"; do
    set -- $c
    if [ "$3" = 0 ]; then model=c; ab=(--set abandonment=false); pat=(); else model=a; ab=(--set abandonment=true --set patience_s=$3); pat=(--patience $3); fi
    got=$("$CCSIM" staff configs/erlang.cfg --method erlang --set arrivals_per_hour=$1 --set aht_s=$2 "${ab[@]}" --target voice:sl=$4@20s --json - | json_agents)
    want=$("$CCSIM" erlang $model --arrivals-per-hour $1 --aht $2 "${pat[@]}" --target-sl $4 | sed -n 's/.*"agents": \([0-9]*\).*/\1/p' | head -1)
    n=$((n + 1))
    check "erlang $model, $1/h, AHT $2 s, SL $4 in 20 s: staff gives $got agents, ccsim erlang $want" test -n "$got" -a "$got" = "$want"
done
# A day: every interval meets its targets with its requirement, and not with one agent fewer.
"$CCSIM" staff configs/default.cfg --method erlang --target voice:sl=0.8@20s --target voice:abandon=0.05 --csv "$tmp/req.csv" >/dev/null
check "a day's requirement: a row per interval" test "$(wc -l < "$tmp/req.csv")" -eq 25
rates=(60 90 130 160 180 190 175 150 120 100 105 130 150 160 155 140 120 100 85 70 55 45 35 25)
bad=0
i=0
while IFS=, read -r day interval start group agents; do
    [ "$day" = day ] && continue
    r=${rates[$i]}
    for k in 0 1; do
        nag=$((agents - k))
        [ $nag -lt 1 ] && continue
        sl=$("$CCSIM" erlang a --arrivals-per-hour "$r" --aht 360 --patience 180 --agents $nag --sl-seconds 20 | sed -n 's/.*"service_level": \([0-9.e-]*\).*/\1/p')
        ab=$("$CCSIM" erlang a --arrivals-per-hour "$r" --aht 360 --patience 180 --agents $nag | sed -n 's/.*"p_abandon": \([0-9.e-]*\).*/\1/p')
        met=$(awk -v s="$sl" -v a="$ab" 'BEGIN { print (s >= 0.8 && a <= 0.05) ? 1 : 0 }')
        if [ $k -eq 0 ] && [ "$met" != 1 ]; then bad=$((bad + 1)); fi
        if [ $k -eq 1 ] && [ "$met" = 1 ]; then bad=$((bad + 1)); fi
    done
    i=$((i + 1))
done <"$tmp/req.csv"
check "a day: every interval meets both targets, and fails one with an agent fewer ($bad exceptions)" test $bad -eq 0 -a $i -eq 24
check "an occupancy cap raises the requirement" bash -c "a=\$('$CCSIM' staff configs/erlang.cfg --method erlang --target voice:sl=0.5@20s --json - | grep -A1 '\"groups\"' | grep -o '[0-9]*\$'); b=\$('$CCSIM' staff configs/erlang.cfg --method erlang --target voice:sl=0.5@20s --target agents:occupancy=0.85 --json - | grep -A1 '\"groups\"' | grep -o '[0-9]*\$'); test \$b -gt \$a && test \$b -ge 112"
for bad_target in "voice:sl=1.5@20s" "fax:sl=0.8@20s" "voice:speed=3" "nosuch:occupancy=0.8" "voice" \
    "voice:sl=0.8@20x" "voice:abandon=0.05x"; do
    check "--target $bad_target: exit 2 with a message" bash -c "'$CCSIM' staff configs/erlang.cfg --target '$bad_target' 2>'$tmp/e'; test \$? -eq 2 && grep -q 'target' '$tmp/e'"
done
check "an unknown method: exit 2, naming the methods" bash -c "'$CCSIM' staff configs/erlang.cfg --target voice:sl=0.8@20s --method guess 2>&1 | grep -q \"'erlang', 'sim' or 'isa'\""
check "a chat group: the erlang method says why it cannot" bash -c "'$CCSIM' staff configs/digital.cfg --method erlang --target chat:sl=0.8@60s 2>&1 | grep -q 'the erlang method takes groups of one voice or email skill'"
check "--plots: the requirement against the offered load, a point per interval" bash -c "'$CCSIM' staff configs/default.cfg --target voice:sl=0.8@20s --plots '$tmp/p' >/dev/null && test -s '$tmp/p/staffing.png' && test \$(grep -c '^x ' '$tmp/p/staffing.dat') -eq 2 && test \$(grep -c '^ [0-9]' '$tmp/p/staffing.dat') -eq 48"
check "--method isa needs a delay-probability target" bash -c "'$CCSIM' staff configs/default.cfg --target voice:sl=0.8@20s --method isa 2>&1 | grep -q 'CHANNEL:wait=F'"
check "the sim method's staffing, simulated again: every interval meets the target at its interval's lower end" bash -c "'$CCSIM' staff configs/default.cfg --target voice:sl=0.8@20s --method sim --reps 10 | awk '/^[0-9][0-9]:/ { n++; if (\$3 - \$5 < 0.8) bad++ } END { exit !(n == 24 && bad == 0) }'"
check "--json: every interval carries each target as achieved" bash -c "'$CCSIM' staff configs/default.cfg --target voice:sl=0.8@20s --target voice:abandon=0.05 --json - | tr -d ' \n' | grep -o '\"achieved\":{\"voice:sl=0.8@20s\":{\"mean\":[0-9.e-]*,\"ci95\":[0-9.e-]*,\"n\":20},\"voice:abandon=0.05\"' | wc -l | grep -qx 24"
check "--plan-min 30 on a 5-minute grid: each half hour at the most of its six requirements" bash -c "'$CCSIM' staff configs/rush.cfg --method erlang --target voice:wait=0.2 --csv '$tmp/fine.csv' >/dev/null && '$CCSIM' staff configs/rush.cfg --method erlang --target voice:wait=0.2 --plan-min 30 --csv '$tmp/plan.csv' >/dev/null && paste -d, '$tmp/fine.csv' '$tmp/plan.csv' | awk -F, 'NR > 1 { b = int((NR - 2) / 6); if (\$5 > most[b]) most[b] = \$5; plan[b, (NR - 2) % 6] = \$10; n++ } END { for (b = 0; b < 4; b++) for (k = 0; k < 6; k++) if (plan[b, k] != most[b]) exit 1; exit !(n == 24) }'"
check "--plan-min not a multiple of the grid: exit 2, saying so" bash -c "'$CCSIM' staff configs/rush.cfg --target voice:wait=0.2 --plan-min 7 2>'$tmp/e'; test \$? -eq 2 && grep -q 'multiple' '$tmp/e'"
check "the default method is sim" bash -c "'$CCSIM' staff configs/erlang.cfg --target voice:sl=0.8@20s --reps 2 | head -1 | grep -q 'method sim'"
check "two service-level thresholds on one channel: exit 2, saying so" bash -c "'$CCSIM' staff configs/default.cfg --target voice:sl=0.8@20s --target voice:sl=0.9@60s 2>&1 >/dev/null | grep -q 'one threshold per channel'"
check "a target's threshold is the one simulated" bash -c "'$CCSIM' staff configs/default.cfg --method erlang --target voice:sl=0.8@60s --reps 3 --json - | grep -q '\"voice:sl=0.8@60s\"' && '$CCSIM' staff configs/default.cfg --compare --target voice:sl=0.8@60s --reps 3 | grep -q 'voice sl@60s'"

# The strategies compared on default.cfg: all six apply; sim misses no interval (it meets every
# target at the unfavourable end); flat has the sim method's hours; the schedule's cost is what
# ccsim schedule gives for the sim requirement.
"$CCSIM" staff configs/default.cfg --compare --target voice:sl=0.8@20s --target voice:abandon=0.05 --csv "$tmp/cmp.csv" --plots "$tmp/cmp" >"$tmp/cmp.txt"
check "--compare on default.cfg: six strategies, each applicable" test "$(grep -c '^"[a-z ACA]*",true,' "$tmp/cmp.csv")" -eq 6
check "--compare: the sim strategy misses no interval" bash -c "grep -q '^sim .* 0 of 24\$' '$tmp/cmp.txt'"
check "--compare: flat has the sim method's agent-hours" bash -c "test \"\$(grep '^\"sim\"' '$tmp/cmp.csv' | cut -d, -f3)\" = \"\$(grep '^\"flat\"' '$tmp/cmp.csv' | cut -d, -f3)\""
"$CCSIM" staff configs/default.cfg --target voice:sl=0.8@20s --target voice:abandon=0.05 --csv "$tmp/simreq.csv" >/dev/null
check "--compare: the schedule's cost is ccsim schedule's for the sim requirement" bash -c "test \"\$(grep '^\"schedule\"' '$tmp/cmp.csv' | cut -d, -f4 | xargs printf '%.2f')\" = \"\$('$CCSIM' schedule configs/default.cfg --requirements '$tmp/simreq.csv' | sed -n 's/^cost \([0-9.]*\) per day/\1/p')\""
check "--compare --plots: staffing, service level and cost" bash -c "test -s '$tmp/cmp/strategies_staffing.png' && test -s '$tmp/cmp/strategies_service_level.png' && test -s '$tmp/cmp/strategies_cost.png'"
check "--compare on a segment-routed config without templates: erlang C, A, isa and schedule say why not" bash -c "'$CCSIM' staff configs/pooling.cfg --compare --target voice:sl=0.8@20s --reps 4 | grep -c 'not applicable: ' | grep -qx 4"

# Two groups with the same skill at 10 and 50 an hour, the config staffing all on both: the sim
# method ends with the cheap group alone.
cat >"$tmp/twogroups.cfg" <<'CFG'
mode = "day"; seed = 3; replications = 6;
day = { start = "08:00"; end = "10:00"; interval_min = 60; };
channels = ( { name = "voice"; arrivals_per_hour = [ 100.0, 120.0 ];
  service = { dist = "exponential"; mean_s = 240.0; };
  patience = { dist = "exponential"; mean_s = 200.0; }; } );
groups = (
  { name = "cheap"; skills = [ "voice" ]; agents = 10; cost_per_hour = 10.0; },
  { name = "pricey"; skills = [ "voice" ]; agents = 10; cost_per_hour = 50.0; } );
CFG
check "sim, two groups of one skill: the dearer group ends with no agent" bash -c "'$CCSIM' staff '$tmp/twogroups.cfg' --target voice:sl=0.8@20s | awk '/^0[89]:00/ { n++; if (\$3 != 0 || \$2 < 1) bad++ } END { exit !(n == 2 && bad == 0) }'"
check "shrinkage and absence do not change the net requirement" bash -c "diff <('$CCSIM' staff configs/default.cfg --target voice:sl=0.8@20s --reps 5 --json -) <('$CCSIM' staff configs/default.cfg --target voice:sl=0.8@20s --reps 5 --set groups.[0].shrinkage=0.2 --set groups.[0].absenteeism=0.1 --json -)"
