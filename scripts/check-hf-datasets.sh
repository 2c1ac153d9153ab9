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

. scripts/venv.sh
ensure_venv check-hf-datasets "$venv" datasets datasets

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
