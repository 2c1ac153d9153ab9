//! The whole pipeline (segment, normalize, detect, filter) on arbitrary text: no panic, one
//! paragraph per segmented paragraph, every drop explained, every text normalized.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use polyclean::{segment, Config, Pipeline};

/// Compiling the rules costs far more than one input: build once per process.
static PIPELINE: LazyLock<Pipeline> =
    LazyLock::new(|| Pipeline::new(Config::default()).expect("built-in rules are valid"));

fuzz_target!(|raw: &str| {
    let doc = PIPELINE.clean("fuzz", raw);
    assert_eq!(doc.paragraphs.len(), segment::paragraphs(raw).len());
    for p in &doc.paragraphs {
        assert!(p.start <= p.end && p.end <= raw.len());
        // Normalized: trimmed, no control characters.
        assert_eq!(p.text.trim(), p.text);
        assert!(!p.text.chars().any(char::is_control));
        if let Some(drop) = p.verdict.drop_info() {
            assert!(!drop.evidence.is_empty());
        }
    }
});
