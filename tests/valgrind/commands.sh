#!/usr/bin/env bash
# make valgrind: a small job of every ccsim command under memcheck (--leak-check=full): any
# invalid read or write, use of an uninitialised value or leak fails it.  Runs the -O1 -g build
# in build/valgrind (BUILD).  Bad input must still exit 2, and clean under memcheck too.
set -u
cd "$(dirname "$0")/../.."
CCSIM=${BUILD:-build/valgrind}/ccsim
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! command -v valgrind >/dev/null; then
    echo "skip: valgrind not installed (apt-get install -y valgrind)"
    exit 0
fi
# Memcheck's own verdict is exit status 97, told apart from ccsim's 0, 1 and 2.
vg() { valgrind -q --error-exitcode=97 --leak-check=full --errors-for-leak-kinds=definite,indirect,possible "$CCSIM" "$@"; }
expect() { # description, status expected, ccsim arguments...
    local what=$1 want=$2
    shift 2
    vg "$@" >"$tmp/out" 2>"$tmp/err"
    local got=$?
    if [ "$got" -eq "$want" ] && ! grep -q '^==[0-9]*==' "$tmp/err"; then
        echo "ok: memcheck clean: $what"
    else
        echo "FAIL tests/valgrind/commands.sh: $what (status $got, expected $want)"
        grep -m 20 -E '^==[0-9]+==' "$tmp/err" | sed 's/^/    /'
        [ "$got" -ne "$want" ] && tail -3 "$tmp/err" | sed 's/^/    /'
    fi
}
small=(--set contacts=3000 --set warmup_contacts=300)
expect "--help" 0 --help
expect "--version" 0 --version
expect "run erlang.cfg with JSON, CSV and a call log" 0 run configs/erlang.cfg --reps 2 --quiet \
    --set contacts=3000 --set warmup_contacts=300 --json "$tmp/r.json" --csv "$tmp/csv" --log "$tmp/log.csv"
expect "run default.cfg on two threads, with plots" 0 run configs/default.cfg --reps 3 -j 2 --quiet --plots "$tmp/p"
expect "run omnichannel.cfg (every channel kind, journeys)" 0 run configs/omnichannel.cfg --reps 2 --quiet
expect "run a scenario file" 0 run scenarios/02-surge.cfg --reps 2 --quiet
expect "run with a dumped state, then from it" 0 run configs/default.cfg --reps 2 --quiet --dump-state 11:00 "$tmp/state.cfg"
expect "run from a state" 0 run configs/default.cfg --reps 2 --quiet --state "$tmp/state.cfg"
expect "run with sequential sampling" 0 run configs/erlang.cfg --quiet --set contacts=2000 \
    --set warmup_contacts=200 --precision 0.2 --min-reps 3 --max-reps 6
expect "check a config" 0 check configs/digital.cfg
expect "check a broken config: exit 2" 2 check tests/bad/04-wrong-type.cfg
expect "run a broken config: exit 2" 2 run tests/bad/01-syntax.cfg
expect "erlang a" 0 erlang a --arrivals-per-hour 1900 --aht 180 --agents 100 --patience 300
expect "erlang c with a target" 0 erlang c --arrivals-per-hour 600 --aht 240 --target-sl 0.8 --sl-seconds 20
expect "compare two scenarios" 0 compare scenarios/05-chat-concurrency-1.cfg scenarios/05-chat-concurrency-3.cfg --reps 2 --json "$tmp/c.json"
expect "sweep with a checkpoint" 0 sweep configs/chatbot.cfg --grid 'groups.[0].agents=8:10:2' --reps 2 \
    --set steady.contacts=2000 --quiet --csv "$tmp/s.csv" --checkpoint "$tmp/ck"
expect "sweep resumed from its checkpoint" 0 sweep configs/chatbot.cfg --grid 'groups.[0].agents=8:10:2' --reps 2 \
    --set steady.contacts=2000 --quiet --csv "$tmp/s2.csv" --checkpoint "$tmp/ck" --resume
expect "staff by Erlang" 0 staff configs/default.cfg --method erlang --target voice:sl=0.8@20s --csv "$tmp/req.csv"
expect "staff by simulation" 0 staff configs/erlang.cfg --target voice:sl=0.8@20s --reps 3 "${small[@]}"
expect "schedule from the requirement" 0 schedule configs/default.cfg --requirements "$tmp/req.csv" --reps 2
expect "fit the shipped log (gzip), with JSON" 0 fit tests/data/fit-day-log.csv.gz --start 08:00 --out "$tmp/fitted.cfg" --json "$tmp/fit.json" --quiet
expect "fit a malformed log: exit 2" 2 fit tests/data/fit-day.cfg --out "$tmp/never.cfg"
expect "replay the shipped log" 0 replay tests/data/fit-day-log.csv.gz --start 08:00 --reps 2 --quiet --json "$tmp/replay.json"
expect "validate the shipped log, with CSV and JSON" 0 validate tests/data/fit-day-log.csv.gz --start 08:00 --reps 2 \
    --quiet --csv "$tmp/validate.csv" --json "$tmp/validate.json"
expect "validate with a bad --days: exit 2" 2 validate tests/data/fit-day-log.csv.gz --days mon-fry
