#!/usr/bin/env bash
# Broken scenarios: tests/bad-scenario/NN-what.cfg has "# expect: <exact message>" on line 1;
# `ccsim run` must exit 2 with it on stderr and write no output.  Then a scenario runs alone and
# with -s, and `ccsim compare` rejects what it cannot compare.
source "$(dirname "$0")/lib.sh"
for f in tests/bad-scenario/*.cfg; do
    expect=$(sed -n '1s/^# expect: //p' "$f")
    "$CCSIM" run "$f" --quiet --json "$tmp/out.json" >"$tmp/stdout" 2>"$tmp/stderr"
    rc=$?
    if [ $rc -eq 2 ] && grep -qxF -- "$expect" "$tmp/stderr" && [ ! -e "$tmp/out.json" ]; then
        echo "ok: $(basename "$f") rejected with its message"
    else
        echo "FAIL tests/scenarios.sh: $(basename "$f"): exit $rc"
        echo "    expected: $expect"
        sed 's/^/    got:      /' "$tmp/stderr" | head -3
    fi
done
check "a scenario runs on its own" "$CCSIM" run scenarios/07-callback.cfg --reps 2 --quiet
check "two scenarios apply to a config with -s" "$CCSIM" run configs/omnichannel.cfg -s scenarios/02-surge.cfg --scenario scenarios/07-callback.cfg --reps 2 --quiet
check "the edits show in the effective config" bash -c "'$CCSIM' run configs/omnichannel.cfg -s scenarios/02-surge.cfg --reps 2 --json - | grep -q '\"volume_factor\":1.6'"
check "ccsim check takes scenarios" "$CCSIM" check scenarios/08-pooled.cfg
check "compare needs a variant" bash -c "'$CCSIM' compare configs/omnichannel.cfg 2>/dev/null; test \$? -eq 2"
check "compare rejects an unknown metric" bash -c "'$CCSIM' compare configs/pooling.cfg scenarios/08-pooled.cfg --metrics total.speed --quiet 2>&1 | grep -q \"'total.speed'\""
check "compare --json - prints JSON only" bash -c "'$CCSIM' compare configs/pooling.cfg scenarios/08-pooled.cfg --reps 3 --quiet --json - | head -1 | grep -qx '{'"
check "compare --csv writes a row per metric and variant" bash -c "'$CCSIM' compare configs/pooling.cfg scenarios/08-pooled.cfg scenarios/08-cross-trained.cfg --reps 3 --quiet --metrics total.asa_s,total.service_level --csv '$tmp/c.csv' >/dev/null && test \$(wc -l < '$tmp/c.csv') -eq 5"
check "compare --rank orders the variants" bash -c "'$CCSIM' compare configs/pooling.cfg scenarios/08-cross-trained.cfg scenarios/08-pooled.cfg --reps 3 --quiet --rank total.asa_s --json - | grep -m1 '\"name\": \"pooled\"' >/dev/null && '$CCSIM' compare configs/pooling.cfg scenarios/08-cross-trained.cfg scenarios/08-pooled.cfg --reps 3 --quiet --rank total.asa_s --json - | awk '/\"variants\"/{v=1} v && /\"name\"/{print; exit}' | grep -q pooled"
