#!/usr/bin/env bash
# Broken configs: tests/bad/NN-what.cfg has "# expect: <exact message>" on line 1.  Each must exit
# with status 2, print that exact line on stderr, and write no output file.
set -u
cd "$(dirname "$0")/.."
CCSIM=${CCSIM:-build/ccsim}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for cfg in tests/bad/*.cfg; do
    name=$(basename "$cfg")
    expect=$(sed -n '1s/^# expect: //p' "$cfg")
    if [ -z "$expect" ]; then
        echo "FAIL tests/bad.sh: $name has no '# expect:' line"
        continue
    fi
    out="$tmp/$name.json"
    "$CCSIM" run "$cfg" --quiet --json "$out" >"$tmp/stdout" 2>"$tmp/stderr"
    rc=$?
    if [ $rc -eq 2 ] && grep -qxF -- "$expect" "$tmp/stderr" && [ ! -e "$out" ] &&
        [ -z "$(ls "$tmp" | grep -v -e '^stdout$' -e '^stderr$')" ]; then
        echo "ok: $name rejected with its message"
    else
        echo "FAIL tests/bad.sh: $name: exit $rc, output file $([ -e "$out" ] && echo written || echo absent)"
        echo "    expected: $expect"
        sed 's/^/    got:      /' "$tmp/stderr" | head -5
    fi
    "$CCSIM" check "$cfg" >"$tmp/stdout" 2>"$tmp/stderr"
    rc=$?
    if [ $rc -eq 2 ] && grep -qxF -- "$expect" "$tmp/stderr"; then
        echo "ok: ccsim check $name exits 2 with its message"
    else
        echo "FAIL tests/bad.sh: ccsim check $name: exit $rc"
    fi
done
