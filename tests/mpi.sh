#!/usr/bin/env bash
# Open MPI: one sweep on one process (-j 1) and on mpirun -np 2 (rank 0 hands out the points, the
# other rank computes them) gives byte-identical CSV and JSON lines.  Builds build/mpi/ccsim with
# make MPI=1.  Skipped without Open MPI, and under make check (QUICK=1): no sanitizers here.
source "$(dirname "$0")/lib.sh"
if [ "${QUICK:-0}" = 1 ]; then echo "skip: the MPI test runs in make test only"; exit 0; fi
if ! command -v mpicc >/dev/null || ! command -v mpirun >/dev/null; then
    echo "skip: Open MPI not installed (Debian openmpi-bin libopenmpi-dev)"; exit 0
fi
check "make MPI=1 builds build/mpi/ccsim" make -s MPI=1 B=build/mpi build/mpi/ccsim
args=(sweep configs/chatbot.cfg --grid 'groups.[0].agents=8:14:3' --grid 'channels.[0].self_service.success=0.2,0.4'
      --reps 4 --set steady.contacts=3000 --quiet)
"$CCSIM" "${args[@]}" -j 1 --csv "$tmp/one.csv" --jsonl "$tmp/one.jsonl"
mpi=(timeout 300 mpirun --allow-run-as-root --oversubscribe --mca btl self,vader
     --mca btl_vader_single_copy_mechanism none)
check "mpirun -np 2 ccsim sweep exits 0" "${mpi[@]}" -np 2 build/mpi/ccsim "${args[@]}" -j 1 --csv "$tmp/two.csv" --jsonl "$tmp/two.jsonl"
check "mpirun -np 2: CSV byte-identical to the single process" cmp "$tmp/one.csv" "$tmp/two.csv"
check "mpirun -np 2: JSON lines byte-identical to the single process" cmp "$tmp/one.jsonl" "$tmp/two.jsonl"
check "mpirun -np 3 (two ranks computing): CSV byte-identical" bash -c "${mpi[*]} -np 3 build/mpi/ccsim ${args[*]@Q} -j 1 --csv '$tmp/three.csv' && cmp '$tmp/one.csv' '$tmp/three.csv'"
check "the MPI build runs ccsim run on one rank like the plain build" bash -c "${mpi[*]} -np 2 build/mpi/ccsim run configs/default.cfg --reps 3 --json - | sed '/\"perf\"/,\$d' > '$tmp/r2' && '$CCSIM' run configs/default.cfg --reps 3 --json - | sed '/\"perf\"/,\$d' > '$tmp/r1' && cmp '$tmp/r1' '$tmp/r2'"
