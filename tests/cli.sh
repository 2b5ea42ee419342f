#!/usr/bin/env bash
# Command-line behaviour: exit codes, --help, --version, error messages, determinism, --set, and
# that a rejected config leaves no output file.  One "ok: ..." or "FAIL ..." line per check.
set -u
cd "$(dirname "$0")/.."
CCSIM=${CCSIM:-build/ccsim}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { echo "ok: $1"; }
fail() { echo "FAIL tests/cli.sh: $1"; }
check() { # check DESC CMD...: passes when CMD succeeds
    local desc=$1; shift
    if "$@"; then ok "$desc"; else fail "$desc"; fi
}
differs() { ! cmp -s "$@"; }
status_of() { "$@" >"$tmp/out" 2>"$tmp/err"; echo $?; }

check "--help exits 0" test "$(status_of "$CCSIM" --help)" = 0
check "--help lists the run command" grep -q '^  run ' "$tmp/out"
check "--version exits 0" test "$(status_of "$CCSIM" --version)" = 0
check "--version prints the version" grep -qE '^ccsim [0-9]+\.[0-9]+\.[0-9]+$' "$tmp/out"
check "no command exits 2" test "$(status_of "$CCSIM")" = 2
check "unknown command exits 2" test "$(status_of "$CCSIM" frobnicate)" = 2
check "unknown command points to --help" grep -q "ccsim --help" "$tmp/err"
check "run --help exits 0" test "$(status_of "$CCSIM" run --help)" = 0
check "run --help documents --set" grep -q -- '--set KEY=VALUE' "$tmp/out"
check "run with an unknown flag exits 2" test "$(status_of "$CCSIM" run configs/erlang.cfg --frob)" = 2
check "unknown flag message names it and points to help" \
    grep -q "unknown option '--frob'" "$tmp/err"
check "run without CONFIG exits 2" test "$(status_of "$CCSIM" run)" = 2
check "run --reps 0 exits 2" test "$(status_of "$CCSIM" run configs/erlang.cfg --reps 0)" = 2
check "missing config file exits 2" test "$(status_of "$CCSIM" run "$tmp/nope.cfg")" = 2
check "missing config file is named" grep -q "nope.cfg" "$tmp/err"

small=(--set contacts=20000 --set warmup_contacts=2000 --reps 3 --quiet)

# A syntax error: file and line, exit 2, and the JSON file never appears.
printf 'agents = 10;\naht_s = 180.0;\narrivals_per_hour = = 100.0;\n' >"$tmp/bad.cfg"
check "syntax error exits 2" test "$(status_of "$CCSIM" run "$tmp/bad.cfg" --json "$tmp/bad.json")" = 2
check "syntax error names file and line" grep -q "bad.cfg:3: syntax error" "$tmp/err"
check "rejected config writes no JSON" test ! -e "$tmp/bad.json"
check "rejected config leaves no temporary file" test -z "$(ls "$tmp" | grep tmp)"

# A wrong type and a misspelled key are both reported, with lines.
printf 'arrivals_per_hour = 100.0;\naht_s = "long";\nagents = 10;\ncontacs = 5;\ncontacts = 100;\n' >"$tmp/bad2.cfg"
check "bad keys exit 2" test "$(status_of "$CCSIM" run "$tmp/bad2.cfg")" = 2
check "wrong type reported with line" grep -qx "$tmp/bad2.cfg:2: aht_s: number expected, got string" "$tmp/err"
check "misspelled key gets a suggestion" grep -qx "$tmp/bad2.cfg:4: contacs: unknown key (did you mean 'contacts'?)" "$tmp/err"

# Determinism: same config and seed, byte-identical JSON apart from perf.
strip_perf() { sed '/"perf"/,$d' "$1"; }
"$CCSIM" run configs/erlang.cfg "${small[@]}" --json "$tmp/a.json" >/dev/null
"$CCSIM" run configs/erlang.cfg "${small[@]}" --json "$tmp/b.json" >/dev/null
"$CCSIM" run configs/erlang.cfg "${small[@]}" --seed 2 --json "$tmp/c.json" >/dev/null
check "same seed gives byte-identical JSON" cmp -s <(strip_perf "$tmp/a.json") <(strip_perf "$tmp/b.json")
check "JSON has a perf block" grep -q '"perf"' "$tmp/a.json"
check "another seed gives different results" differs <(strip_perf "$tmp/a.json") <(strip_perf "$tmp/c.json")
check "--seed is echoed" grep -q '"seed": 2,' "$tmp/c.json"
check "--json - prints JSON on stdout" test "$(status_of "$CCSIM" run configs/erlang.cfg "${small[@]}" --json -)" = 0
check "--json - stdout is the JSON document" cmp -s <(strip_perf "$tmp/out") <(strip_perf "$tmp/a.json")

# --set changes the model and is validated.
"$CCSIM" run configs/erlang.cfg "${small[@]}" --set agents=120 --json "$tmp/d.json" >/dev/null
check "--set agents changes the results" differs <(strip_perf "$tmp/a.json") <(strip_perf "$tmp/d.json")
check "--set of an unknown key exits 2" test "$(status_of "$CCSIM" run configs/erlang.cfg --set agnets=3)" = 2
check "--set of an unknown key is named" grep -q -- "--set agnets" "$tmp/err"
check "--set with a bad value exits 2" test "$(status_of "$CCSIM" run configs/erlang.cfg --set agents=many)" = 2
check "--set out of range exits 2" test "$(status_of "$CCSIM" run configs/erlang.cfg --set aht_s=-5)" = 2

# The shipped day configuration runs and reports every interval.
check "default.cfg runs" test "$(status_of "$CCSIM" run configs/default.cfg --quiet --json "$tmp/day.json")" = 0
check "default.cfg report has the 19:30 interval" grep -q '^19:30 ' "$tmp/out"
check "default.cfg JSON has 24 intervals" test "$(grep -c '^      "start_s"' "$tmp/day.json")" = 24
check "default.cfg JSON reports overtime" grep -q '"overtime_agent_s"' "$tmp/day.json"
if command -v python3 >/dev/null; then
    check "JSON parses (python3 json)" python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/day.json"
fi

# A CSV forecast and staffing plan give exactly the results of the same values in the config.
"$CCSIM" run configs/forecast.cfg --quiet --json "$tmp/f.json" >/dev/null
"$CCSIM" run configs/default.cfg --quiet --json "$tmp/g.json" >/dev/null
same_model() { grep -v -e '"config"' -e '"effective_config"' "$1" | sed '/"perf"/,$d'; }
check "CSV forecast equals the same rates in the config" cmp -s <(same_model "$tmp/f.json") <(same_model "$tmp/g.json")
check "CSV forecast JSON has results" grep -q '"service_level"' "$tmp/f.json"

# --csv writes two tables readable without options; --log - replaces the report.
check "--csv runs" test "$(status_of "$CCSIM" run configs/default.cfg --reps 2 --quiet --csv "$tmp/tables")" = 0
check "--csv total.csv has a row per channel and a total" test "$(wc -l <"$tmp/tables/total.csv")" = 3
check "--csv intervals.csv has 24 x (channel + total) rows" test "$(wc -l <"$tmp/tables/intervals.csv")" = 49
check "--csv rows have the header's width" awk -F, 'NR == 1 { n = NF } NF != n { bad = 1 } END { exit bad }' "$tmp/tables/intervals.csv"
check "--log - prints the log, not the report" test "$("$CCSIM" run configs/erlang.cfg "${small[@]}" --log - | head -1 | cut -d, -f1-3)" = "replication,contact_id,issue_id"
check "--set a key the file leaves out" test "$(status_of "$CCSIM" run configs/default.cfg --reps 2 --quiet --set channels.[0].sl_seconds=45 --json -)" = 0
check "the effective config echoes the override" grep -q '"sl_seconds":45' "$tmp/out"
check "the effective config echoes --reps" grep -q '"replications":2' "$tmp/out"

# The channel examples run, and report their channel-kind metrics.
check "blended.cfg runs" test "$(status_of "$CCSIM" run configs/blended.cfg --reps 3 --quiet --json "$tmp/blended.json")" = 0
check "blended.cfg reports due_met for email" grep -q '"due_met"' "$tmp/blended.json"
check "blended.cfg has 5 days x 10 intervals" test "$(grep -c '^      "start_s"' "$tmp/blended.json")" = 50
check "digital.cfg runs" test "$(status_of "$CCSIM" run configs/digital.cfg --reps 3 --quiet --json "$tmp/digital.json")" = 0
check "digital.cfg reports slot_utilisation" grep -q '"slot_utilisation"' "$tmp/digital.json"
check "digital.cfg reports first_response_service_level" grep -q '"first_response_service_level"' "$tmp/digital.json"
check "a voice channel has no email metrics" test "$(grep -c '"due_met"' "$tmp/day.json")" = 0

# The digital-first example: segments, a bot in front, balking and costs in the JSON.
check "digital-first.cfg runs" test "$(status_of "$CCSIM" run configs/digital-first.cfg --reps 3 --quiet --json "$tmp/df.json")" = 0
check "digital-first.cfg reports its two segments" grep -q '"young_digital": {' "$tmp/df.json"
check "digital-first.cfg reports deflection" grep -q '"deflected"' "$tmp/df.json"
check "digital-first.cfg reports cost" grep -q '"cost"' "$tmp/df.json"

# The multi-skill example: groups with shifts, utilisation per skill, agent cost.
check "multiskill.cfg runs" test "$(status_of "$CCSIM" run configs/multiskill.cfg --reps 3 --quiet --json "$tmp/ms.json")" = 0
check "multiskill.cfg reports its groups" grep -q '"tech specialists": {' "$tmp/ms.json"
check "multiskill.cfg reports utilisation per skill" grep -q '"tech:english": {' "$tmp/ms.json"
check "multiskill.cfg reports agent cost" grep -q '"agents": {' "$tmp/ms.json"

# An unwritable output fails before the simulation, with exit 1 and the path named.
check "unwritable --json exits 1" test "$(status_of "$CCSIM" run configs/erlang.cfg --json "$tmp/no/such/dir/x.json")" = 1
check "unwritable --json is named" grep -q "cannot write '$tmp/no/such/dir/x.json'" "$tmp/err"
check "unwritable --json prints no report" test ! -s "$tmp/out"

# The routing examples run.
check "overflow.cfg runs" test "$(status_of "$CCSIM" run configs/overflow.cfg --reps 3 --quiet)" = 0
check "priority.cfg runs" test "$(status_of "$CCSIM" run configs/priority.cfg --reps 3 --quiet)" = 0
