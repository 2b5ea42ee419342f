#!/usr/bin/env bash
# cli_erlang: `ccsim erlang` end to end: exit codes, a JSON field per model against published values
# (/work/shared/data/erlang-published.md, rows cited), the agent searches, usage errors, --help,
# and the ```sh examples in docs/erlang.md.  One "ok: ..." or "FAIL ..." line per check.
# Fields are read with sed (the writer puts one "key": value per line), so no jq or python needed.
set -u
cd "$(dirname "$0")/.."
CCSIM=${CCSIM:-build/ccsim}
out=$(mktemp)
err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT

pass() { echo "ok: $1"; }
fail() { echo "FAIL $1"; }

# check DESC CONDITION...: runs the condition, reports it.
check() {
    local desc=$1; shift
    if "$@"; then pass "$desc"; else fail "$desc"; fi
}

# run ARGS...: runs ccsim with stdout/stderr captured; the status is in $rc.
run() {
    "$CCSIM" "$@" >"$out" 2>"$err"
    rc=$?
}

# field NAME: the value of "NAME": in the last output.
field() {
    sed -n "s/^ *\"$1\": \(.*\)$/\1/p" "$out" | sed 's/,$//' | head -1
}

# near GOT EXPECTED TOL: |GOT - EXPECTED| <= TOL.
near() {
    awk -v g="$1" -v e="$2" -v t="$3" 'BEGIN { d = g - e; if (d < 0) d = -d; exit !(g != "" && d <= t) }'
}

if [ ! -x "$CCSIM" ]; then
    fail "cli_erlang: $CCSIM is not built"
    exit 1
fi

# Row 6 (pyworkforce README, data-file note): B(17, 10) = 0.0129489.
run erlang b --arrivals-per-hour 200 --aht 180 --agents 17
check "erlang b exits 0" test "$rc" -eq 0
check "erlang b: p_block 0.0129489 (row 6)" near "$(field p_block)" 0.0129489 5e-8
check "erlang b: load_erlangs 10" near "$(field load_erlangs)" 10 1e-12
check "erlang b: model is \"b\"" test "$(field model)" = '"b"'

# Row 1 (CRAN ErlangC 0.1.0): P(wait) 0.1741319, SL 0.88835.
run erlang c --arrivals-per-hour 200 --aht 180 --agents 14
check "erlang c exits 0" test "$rc" -eq 0
check "erlang c: p_wait 0.1741319 (row 1)" near "$(field p_wait)" 0.1741319 5e-8
check "erlang c: service_level 0.88835 (row 1)" near "$(field service_level)" 0.88835 5e-6
check "erlang c: sl_seconds defaults to 20" near "$(field sl_seconds)" 20 0
check "erlang c: p_abandon is 0" near "$(field p_abandon)" 0 0

# The same with --flag=VALUE.
run erlang c --arrivals-per-hour=200 --aht=180 --agents=14 --sl-seconds=20
check "erlang c --flag=VALUE: same p_wait" near "$(field p_wait)" 0.1741319 5e-8

# Row 4 (pyworkforce tests): P(wait) 0.14526, P(abandon) 0.013984, SL 0.916792.
run erlang a --arrivals-per-hour 200 --aht 180 --agents 14 --patience 300 --sl-seconds 20
check "erlang a exits 0" test "$rc" -eq 0
check "erlang a: p_wait 0.14526 (row 4)" near "$(field p_wait)" 0.14526 5e-6
check "erlang a: p_abandon 0.013984 (row 4)" near "$(field p_abandon)" 0.013984 5e-7
check "erlang a: service_level 0.916792 (row 4)" near "$(field service_level)" 0.916792 5e-7
check "erlang a: patience_s echoed" near "$(field patience_s)" 300 0

# Rows 1-3: 14 agents for 80% in 20 s; row 5: 13 for Erlang A; row 6: 17 trunks for 2%.
run erlang c --arrivals-per-hour 200 --aht 180 --target-sl 0.8
check "erlang c --target-sl 0.8 exits 0" test "$rc" -eq 0
check "erlang c --target-sl 0.8: 14 agents (rows 1-3)" test "$(field agents)" = 14
run erlang a --arrivals-per-hour 200 --aht 180 --patience 300 --target-sl 0.8
check "erlang a --target-sl 0.8: 13 agents (row 5)" test "$(field agents)" = 13
run erlang b --arrivals-per-hour 200 --aht 180 --target-block 0.02
check "erlang b --target-block 0.02: 17 trunks (row 6)" test "$(field agents)" = 17

# Erlang C without a steady state: exit 2 and the documented message.
run erlang c --arrivals-per-hour 200 --aht 180 --agents 10
check "erlang c at load = agents exits 2" test "$rc" -eq 2
check "erlang c at load = agents: message" \
    grep -qx 'ccsim erlang: load 10 Erlangs needs more than 10 agents (no steady state)' "$err"
check "erlang c at load = agents: nothing on stdout" test ! -s "$out"

# Bad usage: exit 2, one message that points to --help, nothing on stdout.
bad_usage() {
    local desc=$1; shift
    run "$@"
    if [ "$rc" -eq 2 ] && grep -q -- '--help' "$err" && [ ! -s "$out" ]; then
        pass "bad usage exits 2 and points to --help: $desc"
    else
        fail "bad usage exits 2 and points to --help: $desc (status $rc)"
        sed 's/^/    /' "$err"
    fi
}
bad_usage "missing model" erlang --arrivals-per-hour 200 --aht 180 --agents 14
bad_usage "unknown model" erlang d --arrivals-per-hour 200 --aht 180 --agents 14
bad_usage "unknown flag" erlang c --arrivals-per-hour 200 --aht 180 --agents 14 --agnets 3
bad_usage "short flag" erlang c -n 14 --arrivals-per-hour 200 --aht 180
bad_usage "missing value" erlang c --arrivals-per-hour 200 --aht 180 --agents
bad_usage "non-numeric" erlang c --arrivals-per-hour lots --aht 180 --agents 14
bad_usage "non-integer agents" erlang c --arrivals-per-hour 200 --aht 180 --agents 14.5
bad_usage "zero agents" erlang c --arrivals-per-hour 200 --aht 180 --agents 0
bad_usage "negative aht" erlang c --arrivals-per-hour 200 --aht -180 --agents 14
bad_usage "negative sl-seconds" erlang c --arrivals-per-hour 200 --aht 180 --agents 14 --sl-seconds=-1
bad_usage "target-sl out of range" erlang c --arrivals-per-hour 200 --aht 180 --target-sl 1.2
bad_usage "a without --patience" erlang a --arrivals-per-hour 200 --aht 180 --agents 14
bad_usage "--patience for c" erlang c --arrivals-per-hour 200 --aht 180 --agents 14 --patience 60
bad_usage "--agents with --target-sl" erlang c --arrivals-per-hour 200 --aht 180 --agents 14 --target-sl 0.8
bad_usage "missing --agents" erlang c --arrivals-per-hour 200 --aht 180
bad_usage "missing --aht" erlang c --arrivals-per-hour 200 --agents 14
bad_usage "--target-sl for b" erlang b --arrivals-per-hour 200 --aht 180 --target-sl 0.8
bad_usage "flag given twice" erlang c --arrivals-per-hour 200 --aht 180 --agents 14 --agents 15
bad_usage "extra argument" erlang c c --arrivals-per-hour 200 --aht 180 --agents 14
check "a bad-usage message is one line plus the --help hint" test "$(wc -l <"$err")" -eq 2

# --help: exit 0, stdout, every flag.
run erlang --help
check "erlang --help exits 0" test "$rc" -eq 0
check "erlang --help writes nothing to stderr" test ! -s "$err"
for f in arrivals-per-hour aht agents patience sl-seconds target-sl target-block; do
    check "erlang --help lists --$f" grep -q -- "--$f" "$out"
done

# The ```sh examples in docs/erlang.md run and print JSON.
doc=docs/erlang.md
if [ -f "$doc" ]; then
    n=0
    while IFS= read -r line; do
        n=$((n + 1))
        cmd=${line/#ccsim /\"\$CCSIM\" }
        eval "$cmd" >"$out" 2>"$err"
        rc=$?
        check "docs example $n exits 0: $line" test "$rc" -eq 0
        check "docs example $n prints a JSON object" grep -q '^{' "$out"
    done < <(awk '/^```sh$/ { on = 1; next } /^```/ { on = 0 } on && /^ccsim erlang / { print }' "$doc")
    check "docs/erlang.md has at least 2 runnable examples" test "$n" -ge 2
else
    fail "docs/erlang.md exists"
fi
