#!/usr/bin/env bash
# The Spark check: examples/spark/polyclean_spark.py in local[2] mode on the fixtures plus a
# generated corpus (split into shards), with every corpus-level step on, must write exactly the
# bytes of one `polyclean run` over the same files. Prints the time it took.
#
# A virtual environment with pyspark from PyPI is made once in target/spark-venv (or
# $POLYCLEAN_SPARK_VENV) and reused; without PyPI the check fails, loudly. Needs Java 17.
#
#   scripts/test-spark.sh [MB]     # size of the generated corpus, default 4
set -euo pipefail
cd "$(dirname "$0")/.."

mb=${1:-4}
venv=${POLYCLEAN_SPARK_VENV:-target/spark-venv}
python=${PYTHON:-python3}
started=$SECONDS

. scripts/venv.sh
ensure_venv test-spark "$venv" pyspark pyspark
command -v java >/dev/null || { echo "test-spark: FAILED: no java on PATH (Spark needs Java 17)" >&2; exit 1; }

cargo build --release --locked --quiet
polyclean=$PWD/target/release/polyclean
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# Inputs: the fixtures (text files) and the generated corpus cut into four JSONL shards.
mkdir -p "$out/in"
cargo run --release --locked --quiet --example gen_corpus -- "$mb" >"$out/generated.jsonl"
split -n l/4 -d --additional-suffix=.jsonl "$out/generated.jsonl" "$out/in/shard-"
# Whole-document duplicates across shards: copies of the first shard's first records in the
# last shard, exact and with the first word changed (near duplicates).
"$python" - "$out/in/shard-00.jsonl" "$out/in/shard-03.jsonl" <<'PY'
import json, sys
with open(sys.argv[1]) as f:
    first = [json.loads(line) for _, line in zip(range(6), f)]
with open(sys.argv[2], "a") as f:
    for record in first[:3]:
        f.write(json.dumps({"id": record["id"] + "-copy", "text": record["text"]}) + "\n")
    for record in first[3:]:
        words = record["text"].split(" ", 1)
        f.write(json.dumps({"id": record["id"] + "-edited", "text": "Indeed " + words[-1]}) + "\n")
PY
inputs=(fixtures/*.txt "$out"/in/shard-*.jsonl)
options=(--dedup --near-dup 0.8)

"$polyclean" run "${inputs[@]}" "${options[@]}" -q -o "$out/single.jsonl"

spark_options=()
for option in "${options[@]}"; do spark_options+=("--option=$option"); done
"$venv/bin/python" examples/spark/polyclean_spark.py --master 'local[2]' \
    --polyclean "$polyclean" --work "$out/work" --output "$out/parts" \
    "${spark_options[@]}" "${inputs[@]}" >"$out/parts.txt" 2>"$out/spark.log" || {
    tail -40 "$out/spark.log" >&2
    echo "test-spark: FAILED: the Spark job failed (log above)" >&2
    exit 1
}

cat "$out"/parts/part-*.jsonl >"$out/spark.jsonl"
records=$(wc -l <"$out/single.jsonl")
if ! cmp -s "$out/single.jsonl" "$out/spark.jsonl"; then
    diff <(cut -c1-200 "$out/single.jsonl") <(cut -c1-200 "$out/spark.jsonl") | head -20 >&2
    echo "test-spark: FAILED: the Spark output differs from the single-machine run" >&2
    exit 1
fi
for reason in repeated duplicate duplicate_document near_duplicate; do
    grep -q "\"reason\":\"$reason\"" "$out/single.jsonl" ||
        echo "test-spark: note: no paragraph dropped as $reason in this corpus" >&2
done
echo "test-spark: OK: ${#inputs[@]} inputs, $records records, Spark local[2] output byte-identical to one run ($((SECONDS - started)) s)"
