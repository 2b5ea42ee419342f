#!/usr/bin/env bash
# Redraws plots/NAME.png for every scenarios/NAME.cfg: its comparison (the "# compare:" line)
# on the first of its metrics ("# metrics:"), as shown in docs/scenarios.md.  Run from the
# repository root after `make`: bash plots/update.sh
set -eu
cd "$(dirname "$0")/.."
CCSIM=${CCSIM:-./ccsim}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for f in scenarios/*.cfg; do
    name=$(basename "$f" .cfg)
    runs=$(sed -n 's/^# compare: //p' "$f")
    metric=$(sed -n 's/^# metrics: //p' "$f" | cut -d, -f1)
    rm -rf "$tmp/p"
    # shellcheck disable=SC2086
    "$CCSIM" compare $runs --quiet --metrics "$metric" --plots "$tmp/p" >/dev/null
    cp "$tmp"/p/compare_*.png "plots/$name.png"
    echo "plots/$name.png: $metric"
done
