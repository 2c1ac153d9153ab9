#!/usr/bin/env bash
# Check that an optimisation changed no decision: runs the release binary of the working tree
# and of an earlier commit on the benchmark corpus (and on ../shared/eval/ when it is there),
# all languages and `--langs fr,en,es`, and compares output and rejected files byte for byte.
#
#   scripts/same-output.sh [REF] [MEGABYTES]   # default: HEAD, 40 (the first 40 MB of the
#                                              # 200 MB benchmark corpus)
#
# REF is built in a temporary worktree with its own target directory (a full release build).
# Exit status 0 when every file is identical, 1 otherwise.
set -euo pipefail

REF=${1:-HEAD}
MB=${2:-40}
DIR=${BENCH_DIR:-/tmp/polyclean-bench}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
mkdir -p "$DIR"

WORK=$(mktemp -d)
trap 'git worktree remove --force "$WORK/ref" 2> /dev/null || true; rm -rf "$WORK"' EXIT

echo "building the working tree and $REF…" >&2
cargo build --release --quiet --bin polyclean --example gen_corpus
git worktree add --quiet --detach "$WORK/ref" "$REF"
(cd "$WORK/ref" && cargo build --release --quiet --bin polyclean --target-dir "$DIR/ref-target")
NEW=target/release/polyclean
OLD=$DIR/ref-target/release/polyclean

CORPUS=$DIR/corpus-200.jsonl
if [[ ! -s "$CORPUS" ]]; then
    echo "generating $CORPUS…" >&2
    target/release/examples/gen_corpus 200 > "$CORPUS.tmp" && mv "$CORPUS.tmp" "$CORPUS"
fi
# Whole records only: a cut last line would be an error in both runs, and compared as such.
SLICE=$WORK/slice.jsonl
head -c "${MB}000000" "$CORPUS" | sed '$d' > "$SLICE"

inputs=("$SLICE")
for eval_file in ../shared/eval/boilerplate-dev.jsonl ../shared/eval/langid-dev.jsonl; do
    [[ -s "$eval_file" ]] && inputs+=("$eval_file")
done

status=0
for input in "${inputs[@]}"; do
    for langs in "" "fr,en,es"; do
        for side in old new; do
            bin=$OLD
            [[ $side == new ]] && bin=$NEW
            code=0
            "$bin" run "$input" -o "$WORK/$side.jsonl" --rejected "$WORK/$side.rejected.jsonl" \
                -q ${langs:+--langs "$langs"} || code=$?
            echo "$code" > "$WORK/$side.exit"
        done
        label="$(basename "$input") ${langs:-all languages}"
        if cmp -s "$WORK/old.exit" "$WORK/new.exit" &&
            cmp -s "$WORK/old.jsonl" "$WORK/new.jsonl" &&
            cmp -s "$WORK/old.rejected.jsonl" "$WORK/new.rejected.jsonl"; then
            echo "identical: $label"
        else
            echo "DIFFERENT: $label"
            status=1
        fi
    done
done
exit $status
