#!/bin/bash
# Submit the whole corpus-level flow as Slurm jobs chained by dependencies:
#   hashes (array) -> merge counts -> run (array, --counts, duplicate tables)
#   [-> merge duplicate tables -> apply (array)]          (the last two with DEDUP set)
# Together the N parts $OUT/part-*.jsonl.zst are the bytes of one polyclean run over INPUT...
#
#   OUT=/scratch/$USER/clean N=100 DEDUP="--dedup --near-dup 0.8" examples/slurm/submit.sh /data/corpus/
#
# Environment: N (number of shards, required), OUT, DEDUP, POLYCLEAN, POLYCLEAN_ARGS, REPEATED,
# STRICT as for polyclean-array.sbatch; SBATCH_ARGS: more sbatch flags for every job
# (e.g. "--partition=cpu --account=nlp").
set -euo pipefail

n=${N:?set N, the number of shards}
if [ "$#" -eq 0 ]; then
    echo "usage: N=<shards> [OUT=dir] [DEDUP=\"--dedup ...\"] submit.sh INPUT..." >&2
    exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
export OUT=${OUT:-$PWD/polyclean-out}
read -r -a sbatch_args <<< "${SBATCH_ARGS:-}"
submit() { sbatch --parsable ${sbatch_args[@]+"${sbatch_args[@]}"} "$@"; }
array=(--array="0-$((n - 1))")

hashes=$(STEP=hashes submit "${array[@]}" "$here/polyclean-array.sbatch" "$@")
counts=$(KIND=counts submit --dependency="afterok:$hashes" "$here/polyclean-merge.sbatch")
run=$(STEP=run COUNTS="$OUT/counts.pctable" submit --dependency="afterok:$counts" "${array[@]}" \
    "$here/polyclean-array.sbatch" "$@")
echo "submitted: hashes $hashes, merge $counts, run $run"
if [ -n "${DEDUP:-}" ]; then
    tables=$(KIND=dedup submit --dependency="afterok:$run" "$here/polyclean-merge.sbatch")
    apply=$(STEP=apply submit --dependency="afterok:$tables" "${array[@]}" \
        "$here/polyclean-array.sbatch" "$@")
    echo "submitted: merge $tables, apply $apply"
fi
