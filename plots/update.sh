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
# The staffing plots of docs/staffing.md.
rm -rf "$tmp/p"
"$CCSIM" staff configs/default.cfg --target voice:sl=0.8@20s --plots "$tmp/p" >/dev/null
cp "$tmp/p/staffing.png" plots/staffing-default.png
rm -rf "$tmp/p"
"$CCSIM" staff configs/default.cfg --compare --target voice:sl=0.8@20s --target voice:abandon=0.05 --plots "$tmp/p" >/dev/null
for p in staffing service_level cost; do
    cp "$tmp/p/strategies_$p.png" "plots/strategies-default-${p//_/-}.png"
done
echo "plots/staffing-default.png, plots/strategies-default-*.png"
# The fit plots of docs/logs.md, from the shipped synthetic log.
rm -rf "$tmp/p"
"$CCSIM" fit tests/data/fit-day-log.csv.gz --start 08:00 --out "$tmp/fitted.cfg" --plots "$tmp/p" --quiet
cp "$tmp/p/fit_handle_0.png" plots/fit-handle.png
cp "$tmp/p/fit_patience_0.png" plots/fit-patience.png
echo "plots/fit-handle.png, plots/fit-patience.png"
# The Anonymous Bank study of docs/logs.md, when the log is at hand (it is never copied here).
bank=../shared/data/anonymous-bank/february-1999.txt.gz
if [ -e "$bank" ]; then
    map=(--map configs/logmaps/anonymous-bank.cfg --drop-short 10 --interval-min 60)
    rm -rf "$tmp/p"
    "$CCSIM" fit "$bank" "${map[@]}" --out "$tmp/bank.cfg" --plots "$tmp/p" --quiet
    cp "$tmp/p/fit_handle_0.png" plots/bank-handle.png
    cp "$tmp/p/fit_patience_0.png" plots/bank-patience.png
    for scale in 1 0.65; do
        rm -rf "$tmp/p"
        "$CCSIM" validate "$bank" "${map[@]}" --days sun-thu --agents-scale "$scale" --plots "$tmp/p" --quiet
        suffix=$([ "$scale" = 1 ] && echo "" || echo "-scaled")
        cp "$tmp/p/validate_abandon_0.png" "plots/bank-abandon$suffix.png"
        cp "$tmp/p/validate_asa_0.png" "plots/bank-asa$suffix.png"
    done
    echo "plots/bank-*.png"
fi
