#!/usr/bin/env bash
# Broken state files: tests/bad-state/NN-what.state has "# expect: <exact message>" on line 1.
# `ccsim run configs/default.cfg --state FILE` must exit 2 with that line on stderr and write no
# output file.  Then a dump at 11:00 reads back as a state, and --dump-state rejects bad times.
source "$(dirname "$0")/lib.sh"
for f in tests/bad-state/*.state; do
    name=$(basename "$f")
    expect=$(sed -n '1s/^# expect: //p' "$f")
    "$CCSIM" run configs/default.cfg --state "$f" --quiet --json "$tmp/out.json" >"$tmp/stdout" 2>"$tmp/stderr"
    rc=$?
    if [ $rc -eq 2 ] && grep -qxF -- "$expect" "$tmp/stderr" && [ ! -e "$tmp/out.json" ]; then
        echo "ok: $name rejected with its message"
    else
        echo "FAIL tests/state.sh: $name: exit $rc"
        echo "    expected: $expect"
        sed 's/^/    got:      /' "$tmp/stderr" | head -3
    fi
done
check "a dump at 11:00 is written" "$CCSIM" run configs/default.cfg --reps 3 --quiet --dump-state 11:00 "$tmp/state.cfg"
check "the dump holds one state per replication" test "$(grep -c 'replication = ' "$tmp/state.cfg")" -eq 3
check "the dump reads back as a state" "$CCSIM" run configs/default.cfg --reps 3 --quiet --state "$tmp/state.cfg"
check "a dump of a dump's run at a later time" "$CCSIM" run configs/default.cfg --reps 3 --quiet --state "$tmp/state.cfg" --dump-state 1/15:30 "$tmp/later.cfg"
check "--dump-state outside opening hours exits 2" bash -c "'$CCSIM' run configs/default.cfg --dump-state 21:00 '$tmp/x.cfg' 2>&1; test \$? -eq 2"
check "--dump-state before the state's time exits 2" bash -c "'$CCSIM' run configs/default.cfg --state '$tmp/state.cfg' --dump-state 09:00 '$tmp/x.cfg' 2>&1; test \$? -eq 2"
check "--state with a steady-mode config exits 2" bash -c "'$CCSIM' run configs/erlang.cfg --state '$tmp/state.cfg' 2>&1 | grep -q 'day-mode'"
check "no output file after a rejected state" test ! -e "$tmp/x.cfg"
