#!/usr/bin/env bash
# The throughput and memory benchmark (docs/performance.md): generates a deterministic corpus,
# runs the release binary and the naive reference on it with 1 and 2 threads, and prints MB/s,
# paragraphs/s, CPU seconds per MB and peak RSS for each.
#
#   scripts/bench.sh [MEGABYTES]        # default 200; corpus cached in $BENCH_DIR (/tmp/polyclean-bench)
#
# Run it on a quiet machine: every figure is wall-clock time.
set -euo pipefail

MB=${1:-200}
DIR=${BENCH_DIR:-/tmp/polyclean-bench}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$DIR"
CORPUS="$DIR/corpus-$MB.jsonl"

cd "$ROOT"
cargo build --release --quiet --bin polyclean --example gen_corpus --example baseline_whatlang
BIN=target/release/polyclean
BASELINE=target/release/examples/baseline_whatlang

if [[ ! -s "$CORPUS" ]]; then
    echo "generating $CORPUS ($MB MB)…" >&2
    target/release/examples/gen_corpus "$MB" > "$CORPUS.tmp" && mv "$CORPUS.tmp" "$CORPUS"
fi
BYTES=$(stat -c %s "$CORPUS")
# Read the corpus once before timing: otherwise the first row also times a cold page cache.
cat "$CORPUS" > /dev/null

# Paragraphs in the corpus, as polyclean counts them (from a run's summary).
PARAGRAPHS=""

# measure NAME THREADS COMMAND…: run COMMAND under /usr/bin/time -v, print one table row.
measure() {
    local name=$1 threads=$2
    shift 2
    local log="$DIR/time.log"
    /usr/bin/time -v "$@" 2> "$log" > "$DIR/out.jsonl" || { cat "$log" >&2; return 1; }
    local wall user sys rss
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log" |
        awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
    user=$(awk -F': ' '/User time/ {print $2}' "$log")
    sys=$(awk -F': ' '/System time/ {print $2}' "$log")
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
    if [[ -z "$PARAGRAPHS" ]]; then
        PARAGRAPHS=$(grep -o '[0-9]* paragraphs' "$log" | head -1 | cut -d' ' -f1 || true)
    fi
    awk -v n="$name" -v t="$threads" -v b="$BYTES" -v w="$wall" -v u="$user" -v s="$sys" \
        -v r="$rss" -v p="${PARAGRAPHS:-0}" 'BEGIN {
        mb = b / 1e6
        printf "| %-34s | %d | %7.1f | %8.2f | %10.0f | %6.3f | %5.0f |\n",
            n, t, w, mb / w, p / w, (u + s) / mb, r / 1024 }'
}

echo "corpus: $CORPUS ($(awk -v b="$BYTES" 'BEGIN { printf "%.1f", b / 1e6 }') MB), $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores"
echo
echo "| run | threads | seconds | MB/s | paragraphs/s | CPU s/MB | peak RSS MB |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
for threads in 1 2; do
    measure "polyclean, all languages" "$threads" \
        "$BIN" run "$CORPUS" -o - --threads "$threads"
done
for threads in 1 2; do
    measure "polyclean --langs fr,en,es" "$threads" \
        "$BIN" run "$CORPUS" -o - --threads "$threads" --langs fr,en,es
done
for threads in 1 2; do
    measure "reference: whatlang per paragraph" "$threads" \
        env RAYON_NUM_THREADS="$threads" "$BASELINE" < "$CORPUS"
done
measure "reference: read, NFC, write only" 1 \
    env RAYON_NUM_THREADS=1 "$BASELINE" --no-detect < "$CORPUS"
