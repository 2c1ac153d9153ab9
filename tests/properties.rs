//! Invariants over generated documents: nothing is lost, every drop is explained, the
//! output parses back.

use polyclean::document::Document;
use polyclean::write::{Destination, JsonlWriter, Sink};
use polyclean::{segment, Config, Pipeline};
use proptest::prelude::*;
use serde_json::Value;
use std::sync::LazyLock;

/// Compiling the rules takes longer than cleaning a document: build the pipeline once.
static PIPELINE: LazyLock<Pipeline> =
    LazyLock::new(|| Pipeline::new(Config::default()).expect("rules"));

/// Lines of the kinds scraped pages are made of, plus arbitrary text.
fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Le ministre a présenté mardi un projet de loi sur l'énergie.".to_string()),
        Just("The company said revenue rose 4 % in the third quarter.".to_string()),
        Just("Publicité".to_string()),
        Just("Leave a Reply".to_string()),
        Just("Lea también: el Gobierno aprueba la reforma".to_string()),
        Just("12 + 7 =".to_string()),
        Just("".to_string()),
        "\\PC{0,80}",
        "[a-zé ,.\u{a0}\u{200b}\t]{0,60}",
    ]
}

fn document() -> impl Strategy<Value = String> {
    prop::collection::vec(line(), 0..20).prop_map(|lines| lines.join("\n"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn kept_plus_dropped_is_every_input_paragraph(raw in document()) {
        let doc = PIPELINE.clean("p", &raw);
        prop_assert_eq!(doc.paragraphs.len(), segment::paragraphs(&raw).len());
        let kept = doc.paragraphs.iter().filter(|p| p.verdict.is_kept()).count();
        let dropped = doc.paragraphs.iter().filter_map(|p| p.verdict.drop_info()).count();
        prop_assert_eq!(kept + dropped, doc.paragraphs.len());
        for p in &doc.paragraphs {
            if let Some(d) = p.verdict.drop_info() {
                prop_assert!(!d.evidence.is_empty());
            }
            prop_assert!(p.start <= p.end && p.end <= raw.len());
        }
    }

    #[test]
    fn jsonl_output_parses_back(raw in document()) {
        let doc: Document = PIPELINE.clean("p", &raw);
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("o.jsonl");
        let mut sink: Box<dyn Sink> = Box::new(JsonlWriter::new(Destination::create(&path).expect("create")));
        sink.write(&doc).expect("write");
        sink.finish().expect("commit");
        let text = std::fs::read_to_string(&path).expect("read");
        prop_assert_eq!(text.lines().count(), 1);
        let value: Value = serde_json::from_str(text.trim_end()).expect("valid JSON");
        let clean = doc.clean_text();
        prop_assert_eq!(value["text"].as_str(), Some(clean.as_str()));
        prop_assert_eq!(value["paragraphs"].as_array().map(Vec::len), Some(doc.paragraphs.len()));
    }
}
