#!/usr/bin/env bash
# Faults: a full disk gives a clear error, a non-zero exit, and leaves an earlier result intact;
# SIGINT and SIGTERM during a run (raised by the CCSIM_FAULT hook after replication k, not by
# timing) exit 130 and 143 with no output, or with --partial a result marked partial equal to
# the first k replications.  (gnuplot missing: tests/plots.sh.)
source "$(dirname "$0")/lib.sh"
mnt=""
trap '[ -n "$mnt" ] && umount "$mnt" 2>/dev/null; rm -rf "$tmp"' EXIT
"$CCSIM" run configs/default.cfg --reps 2 --json - >/dev/full 2>"$tmp/full.err"
rc=$?
check "--json - on a full device: exit non-zero" test $rc -ne 0
check "--json - on a full device: the message says so" grep -q 'No space left on device' "$tmp/full.err"

# A tiny tmpfs, where it can be mounted (root, a system that allows it).
mkdir -p "$tmp/small"
if mount -t tmpfs -o size=256k tmpfs "$tmp/small" 2>/dev/null; then
    mnt=$tmp/small
    "$CCSIM" run configs/erlang.cfg --set contacts=2000 --reps 2 --quiet --json "$mnt/result.json" >/dev/null
    cp "$mnt/result.json" "$tmp/before.json"
    # Fill the disk but for a few KB, then write a bigger result to the same path.
    head -c $(( $(df -B1 --output=avail "$mnt" | tail -1) - 8192 )) /dev/zero >"$mnt/filler" 2>/dev/null
    "$CCSIM" run configs/default.cfg --reps 3 --quiet --json "$mnt/result.json" --log "$mnt/log.csv" >/dev/null 2>"$tmp/tmpfs.err"
    rc=$?
    check "full tmpfs: exit non-zero with a message" bash -c "test $rc -ne 0 && grep -q 'No space left on device' '$tmp/tmpfs.err'"
    check "full tmpfs: the earlier result.json is intact" cmp "$tmp/before.json" "$mnt/result.json"
    check "full tmpfs: no temporary or half-written file left" bash -c "test -z \"\$(ls '$mnt' | grep -v -e '^result.json\$' -e '^filler\$')\""
else
    echo "skip: cannot mount a tmpfs here: the full-disk test with an earlier result is not run"
fi

for sig in int:130 term:143; do
    kind=${sig%%:*}; code=${sig##*:}
    rm -f "$tmp/r.json" "$tmp/r.csv"
    CCSIM_FAULT=$kind-after-replication:3 "$CCSIM" run configs/default.cfg --reps 10 -j 1 --quiet \
        --json "$tmp/r.json" --log "$tmp/r.csv" >"$tmp/r.txt" 2>"$tmp/r.err"
    rc=$?
    check "SIG${kind^^} after replication 3: exit $code" test $rc -eq "$code"
    check "SIG${kind^^} after replication 3: no output file, no report, a message" bash -c "test -z \"\$(ls '$tmp' | grep -e '^r.json' -e '^r.csv')\" && test ! -s '$tmp/r.txt' && grep -q 'no output written' '$tmp/r.err'"
done
CCSIM_FAULT=term-after-replication:3 "$CCSIM" run configs/default.cfg --reps 10 -j 1 --quiet --partial --json "$tmp/p.json" >/dev/null 2>"$tmp/p.err"
rc=$?
"$CCSIM" run configs/default.cfg --reps 3 -j 1 --quiet --json "$tmp/three.json" >/dev/null 2>&1
check "--partial: exit 143, the result marked partial with 3 replications" bash -c "test $rc -eq 143 && grep -q '\"partial\": true' '$tmp/p.json' && grep -q '^  \"replications\": 3,' '$tmp/p.json'"
check "--partial: the numbers are those of the first 3 replications" bash -c "diff <(sed '/\"perf\"/,\$d' '$tmp/p.json' | grep -v -e '\"partial\"' -e effective_config) <(sed '/\"perf\"/,\$d' '$tmp/three.json' | grep -v effective_config)"
check "a run that stops on its own error (max_in_system) leaves no temporary file" bash -c "'$CCSIM' run configs/erlang.cfg --set agents=90 --set abandonment=false --set max_in_system=2000 --quiet --json '$tmp/m.json' 2>/dev/null; test \$? -eq 1 && test -z \"\$(ls '$tmp' | grep '^m.json')\""
# A device named as an output is written in place, not replaced by a renamed temporary (as
# root, rename() would turn /dev/null into a regular file for everything that runs after).
check "--json /dev/null leaves /dev/null a character device" bash -c "'$CCSIM' run configs/erlang.cfg --reps 2 --set contacts=2000 --set warmup_contacts=200 --quiet --json /dev/null && test -c /dev/null"
