"""Load polyclean JSONL outputs with Hugging Face `datasets` and check them.

Usage: check_hf_datasets.py OUTPUT.jsonl...

For each output: `load_dataset("json", data_files=OUTPUT)` must load it as is, once with the
default chunk size and once with 64 KiB chunks (so a schema that changes between chunks of a
large file shows on a small one); the row count must equal the documents (lines), every `text`
must equal the JSONL's, and the features must be those of docs/output.md.
"""

import json
import sys
import tempfile

import datasets
from datasets import Features, List, Value

SPAN = {"start": Value("int64"), "end": Value("int64"), "lang": Value("string")}
PARAGRAPH = {
    "index": Value("int64"),
    "start": Value("int64"),
    "end": Value("int64"),
    "text": Value("string"),
    "lang": Value("string"),
    "confidence": Value("float64"),
    "reliable": Value("bool"),
    "lang_source": Value("string"),
    "mixed": Value("bool"),
    "spans": List(SPAN),
    "kept": Value("bool"),
    "reason": Value("string"),
    "evidence": Value("string"),
}
DOCUMENT = {
    "id": Value("string"),
    "source": Value("string"),
    "lang": Value("string"),
    "text": Value("string"),
    "paragraphs": List(PARAGRAPH),
}


def check(path, chunksize, cache_dir):
    records = [json.loads(line) for line in open(path, encoding="utf-8")]
    kwargs = {"chunksize": chunksize} if chunksize else {}
    ds = datasets.load_dataset(
        "json", data_files=path, split="train", cache_dir=cache_dir, **kwargs
    )
    label = f"{path} (chunksize {chunksize or 'default'})"
    fail = []
    if len(ds) != len(records):
        fail.append(f"{len(ds)} rows, {len(records)} documents")
    texts = ds["text"]
    bad = [i for i, (a, b) in enumerate(zip(texts, records)) if a != b["text"]]
    if bad:
        fail.append(f"`text` differs from the JSONL on rows {bad[:5]}")
    features = dict(ds.features)
    meta = features.pop("meta", None)
    if Features(features) != Features(DOCUMENT):
        fail.append(f"features differ from docs/output.md:\n  got      {features}\n  expected {DOCUMENT}")
    if meta is not None and "meta" not in {k for r in records for k in r}:
        fail.append("a `meta` column without any record holding one")
    # Nested values read back as written: one paragraph of every row, spans included.
    for i in range(0, len(ds), max(1, len(ds) // 50)):
        got, want = ds[i]["paragraphs"], records[i]["paragraphs"]
        for g, w in zip(got, want):
            w = {**w, "confidence": float(w["confidence"])}
            if {k: g[k] for k in w} != w:
                fail.append(f"row {i}: paragraph {w['index']} reads back as {g}")
                break
    if fail:
        print(f"check-hf-datasets: FAIL {label}:", *fail, sep="\n  ", file=sys.stderr)
        return False
    print(f"check-hf-datasets: ok {label}: {len(ds)} rows, meta {'present' if meta else 'absent'}")
    return True


def main():
    datasets.disable_progress_bars()
    ok = True
    with tempfile.TemporaryDirectory() as cache_dir:
        for path in sys.argv[1:]:
            for chunksize in (None, 64 << 10):
                ok &= check(path, chunksize, cache_dir)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
