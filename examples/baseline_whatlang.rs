//! The reference point of the benchmark: the naive pipeline a user would write first —
//! read JSONL, NFC-normalize, split into lines, call `whatlang::detect` once per non-blank
//! line (all languages), write JSONL — in parallel batches on the same threads as polyclean.
//! `scripts/bench.sh` compares polyclean's throughput with this program's.
//!
//! ```sh
//! cargo run --release --example baseline_whatlang -- [--no-detect] < in.jsonl > out.jsonl
//! ```
//!
//! `--no-detect` skips detection: the cost of reading, normalizing and writing alone.

use std::io::{self, BufRead, BufWriter, Write};

use rayon::prelude::*;
use unicode_normalization::UnicodeNormalization;

/// Records per parallel batch.
const BATCH: usize = 512;

fn process(line: &str, detect: bool) -> Option<String> {
    let record: serde_json::Value = serde_json::from_str(line).ok()?;
    let text: String = record["text"].as_str()?.nfc().collect();
    let paragraphs: Vec<serde_json::Value> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|p| {
            let lang = if detect {
                whatlang::detect(p).map_or("und", |info| info.lang().code())
            } else {
                "und"
            };
            serde_json::json!({ "text": p, "lang": lang })
        })
        .collect();
    Some(serde_json::json!({ "id": record["id"], "paragraphs": paragraphs }).to_string())
}

fn main() -> io::Result<()> {
    let detect = !std::env::args().any(|a| a == "--no-detect");
    let stdin = io::stdin().lock();
    let mut out = BufWriter::with_capacity(1 << 20, io::stdout().lock());
    let mut lines = stdin.lines();
    loop {
        let batch: Vec<String> = lines.by_ref().take(BATCH).collect::<io::Result<_>>()?;
        if batch.is_empty() {
            break;
        }
        let results: Vec<Option<String>> = batch.par_iter().map(|l| process(l, detect)).collect();
        for result in results.into_iter().flatten() {
            out.write_all(result.as_bytes())?;
            out.write_all(b"\n")?;
        }
    }
    out.flush()
}
