#!/usr/bin/env bash
# Proves that polyclean's JSONL output loads as is with Hugging Face `datasets`
# (`load_dataset("json", data_files=...)`), with the features docs/output.md lists.
#
# A virtual environment with `datasets` from PyPI is made once in target/hf-venv (or
# $POLYCLEAN_HF_VENV) and reused; without network access to PyPI the check fails, loudly.
# Then: polyclean run over fixtures/, a 1 MB generated corpus (examples/gen_corpus) and a few
# records with `meta`, and scripts/check_hf_datasets.py on the outputs.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=${POLYCLEAN_HF_VENV:-target/hf-venv}
python=${PYTHON:-python3}

if ! "$venv/bin/python" -c 'import datasets' 2>/dev/null; then
    echo "check-hf-datasets: installing datasets from PyPI into $venv (once)" >&2
    rm -rf "$venv"
    started=$SECONDS
    if ! "$python" -m venv "$venv" ||
        ! "$venv/bin/pip" install --quiet --disable-pip-version-check --timeout 30 --retries 2 datasets; then
        rm -rf "$venv"
        echo "check-hf-datasets: FAILED: cannot install datasets from PyPI (after $((SECONDS - started)) s);" \
            "the check needs network access to pypi.org once, or a ready venv in \$POLYCLEAN_HF_VENV" >&2
        exit 1
    fi
    echo "check-hf-datasets: installed in $((SECONDS - started)) s" >&2
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

cargo build --release --locked --quiet
cargo run --release --locked --quiet --example gen_corpus -- 1 >"$out/generated.jsonl"
# Records with `meta` (the same fields in each, as the docs ask) and a mixed paragraph.
cat >"$out/meta.jsonl" <<'JSONL'
{"id": "m1", "url": "https://example.test/1", "crawl": 1, "text": "Le conseil municipal a voté jeudi soir le budget de la ville pour l'année prochaine.\n\nPublicité"}
{"id": "m2", "url": "https://example.test/2", "crawl": 2, "text": "Le gouvernement a présenté mardi son projet, and the opposition said it would vote against the budget next week."}
{"id": "m3", "url": "https://example.test/3", "crawl": 3, "text": "1 2 3"}
JSONL

polyclean=target/release/polyclean
"$polyclean" run --quiet fixtures/ -o "$out/fixtures.jsonl"
"$polyclean" run --quiet "$out/meta.jsonl" "$out/generated.jsonl" -o "$out/corpus.jsonl"
"$polyclean" run --quiet "$out/generated.jsonl" fixtures/ -o "$out/no-meta.jsonl"
"$venv/bin/python" scripts/check_hf_datasets.py "$out/fixtures.jsonl" "$out/corpus.jsonl" "$out/no-meta.jsonl"
