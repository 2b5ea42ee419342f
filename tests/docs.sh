#!/usr/bin/env bash
# Every example in docs/ runs: each line of a ```sh block must exit 0 (with `ccsim` meaning the
# binary under test), and each ```cfg block must load and run as a config.
set -u
cd "$(dirname "$0")/.."
CCSIM=${CCSIM:-build/ccsim}
case $CCSIM in /*) ;; *) CCSIM=$PWD/$CCSIM ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
for doc in docs/*.md; do
    awk -v dir="$tmp" -v base="$(basename "$doc" .md)" '
        /^```sh$/ { kind = "sh"; next }
        /^```cfg$/ { kind = "cfg"; cfg++; next }
        /^```/ { kind = ""; next }
        kind == "sh" && NF > 0 { print > (dir "/" base ".sh.lines") }
        kind == "cfg" { print > (dir "/" base "." cfg ".cfg") }
    ' "$doc"
done
for f in "$tmp"/*.sh.lines; do
    [ -e "$f" ] || continue
    while IFS= read -r line; do
        n=$((n + 1))
        cmd=${line/#ccsim /\"\$CCSIM\" }
        if (eval "$cmd") >"$tmp/out" 2>&1; then
            echo "ok: docs example runs: $line"
        else
            echo "FAIL tests/docs.sh: docs example failed: $line"
            head -5 "$tmp/out" | sed 's/^/    /'
        fi
    done <"$f"
done
for f in "$tmp"/*.cfg; do
    [ -e "$f" ] || continue
    if "$CCSIM" run "$f" --reps 2 --quiet >"$tmp/out" 2>&1; then
        echo "ok: docs config example runs: $(basename "$f")"
    else
        echo "FAIL tests/docs.sh: docs config example fails: $(basename "$f")"
        head -5 "$tmp/out" | sed 's/^/    /'
    fi
done
