#!/usr/bin/env bash
# Golden outputs: fixed-seed JSON of small runs compared byte for byte, perf block removed.
# `make golden-update` (this script with --update) rewrites them for review.
set -u
cd "$(dirname "$0")/.."
CCSIM=${CCSIM:-build/ccsim}
update=0
[ "${1:-}" = --update ] && update=1 && CCSIM=./ccsim
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
run_case() { # name, ccsim args...
    local name=$1; shift
    "$CCSIM" run "$@" --quiet --json - | sed '/"perf"/,$d' >"$tmp"
    if [ $update = 1 ]; then
        cp "$tmp" "tests/golden/$name.json"
        echo "updated tests/golden/$name.json"
    elif cmp -s "$tmp" "tests/golden/$name.json"; then
        echo "ok: golden $name"
    else
        echo "FAIL tests/golden.sh: golden $name differs:"
        diff "tests/golden/$name.json" "$tmp" | head -20 | sed 's/^/    /'
    fi
}
run_case erlang_small configs/erlang.cfg --set contacts=5000 --set warmup_contacts=500 --reps 2
run_case default configs/default.cfg --reps 3
