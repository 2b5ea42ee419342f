#!/usr/bin/env bash
# The call log (--log) against the JSON of the same run: one row per counted contact, counts
# equal exactly, mean waits equal to 1e-12 relative (the log's times are written with %.17g).
set -u
cd "$(dirname "$0")/.."
CCSIM=${CCSIM:-build/ccsim}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
check() { local d=$1; shift; if "$@"; then echo "ok: $d"; else echo "FAIL tests/log.sh: $d"; fi; }

for cfg in "configs/erlang.cfg --set contacts=3000 --set warmup_contacts=300" "configs/default.cfg"; do
    name=$(basename "${cfg%% *}")
    # shellcheck disable=SC2086
    "$CCSIM" run $cfg --reps 2 --quiet --json "$tmp/run.json" --log "$tmp/log.csv" >/dev/null
    check "$name: log written" test -s "$tmp/log.csv"
    # "total": { "offered": { "mean": X ... : the first "mean" after each metric name.
    json_mean() { sed -n "/\"total\": {/,/^  }/p" "$tmp/run.json" | grep -A1 "\"$1\": {" | sed -n 's/.*"mean": \([^,]*\),*/\1/p' | head -1; }
    # Per replication counts and mean waits, then averaged over replications as the JSON does.
    read -r offered handled abandoned asa wait < <(awk -F, 'NR > 1 {
            r = $1; n[r]++; all[r] += $10
            if ($16 == "handled") { h[r]++; hw[r] += $10 } else if ($16 == "abandoned") a[r]++
            reps[r] = 1 }
        END { for (r in reps) { R++; o += n[r]; hd += h[r]; ab += a[r]; asa += hw[r] / h[r]; w += all[r] / n[r] }
              printf "%.17g %.17g %.17g %.17g %.17g\n", o / R, hd / R, ab / R, asa / R, w / R }' "$tmp/log.csv")
    check "$name: offered equals log rows" awk -v a="$offered" -v b="$(json_mean offered)" 'BEGIN { exit !(a == b) }'
    check "$name: handled equals handled rows" awk -v a="$handled" -v b="$(json_mean handled)" 'BEGIN { exit !(a == b) }'
    check "$name: abandoned equals abandoned rows" awk -v a="$abandoned" -v b="$(json_mean abandoned)" 'BEGIN { exit !(a == b) }'
    check "$name: asa_s from the log to 1e-12" awk -v a="$asa" -v b="$(json_mean asa_s)" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= 1e-12 * b) }'
    check "$name: wait_mean_s from the log to 1e-12" awk -v a="$wait" -v b="$(json_mean wait_mean_s)" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= 1e-12 * b) }'
    check "$name: every row has 23 fields" awk -F, 'NF != 23 { bad = 1 } END { exit bad }' "$tmp/log.csv"
done
