//! Invariants over generated documents: nothing is lost or duplicated, every drop is
//! explained, normalization is idempotent, every output (JSONL, CSV, gzip) parses back.

use polyclean::document::Document;
use polyclean::normalize::{normalize, UnicodeForm};
use polyclean::read::{Event, Input, ReadOptions, Reader};
use polyclean::write::{Compression, CsvWriter, Destination, JsonlWriter, Output, Sink};
use polyclean::{segment, Config, Pipeline};
use proptest::prelude::*;
use serde_json::Value;
use std::io::Read;
use std::path::Path;
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

/// Documents with every line-break style and blank-looking lines (spaces, zero-width
/// characters, BOM), and hard-wrapped prose the segmenter joins.
fn messy_document() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        line(),
        Just("The committee met on Tuesday to discuss the budget for the".to_string()),
        Just("coming year, and members agreed that spending on roads and".to_string()),
        Just("  \u{200b}\u{feff} \t".to_string()),
        Just("• item".to_string()),
        "[ \u{a0}\u{200b}\u{2060}\u{feff}\u{ad}]{0,4}[a-z]{0,3}[ \u{200b}]{0,2}",
    ];
    let sep = prop_oneof![Just("\n"), Just("\r\n"), Just("\r"), Just("\n\n")];
    prop::collection::vec((line, sep), 0..20).prop_map(|parts| {
        parts
            .into_iter()
            .map(|(line, sep)| line + sep)
            .collect::<String>()
    })
}

/// Arbitrary Unicode, and text dense in what composition acts on: combining marks, Hangul
/// jamo, compatibility characters, no-break and odd spaces, joiners next to Arabic and Indic
/// letters, Arabic presentation forms (the last, small alphabet makes neighbours likely).
fn unicode_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[\u{0628}\u{064b}\u{0915}\u{094d}\u{200c}\u{200d}\u{fe70}-\u{fe7f}\u{fdfa}\u{1f600}\u{fe0f} a\u{301}]{0,8}",
        "\\PC{0,40}",
        "[a-zA-Z\u{e9}\u{153}\u{300}-\u{36f}\u{1ab0}-\u{1aff}\u{20d0}-\u{20f0}\u{fe20}-\u{fe2f}\u{1100}-\u{1112}\u{1161}-\u{1175}\u{11a8}-\u{11c2}\u{ac00}\u{fb01}\u{2026}\u{ff21}\u{a0}\u{202f}\u{2000}-\u{200f}\u{2028}\u{3000} \t\r\n\u{85}\u{0628}\u{064b}\u{0915}\u{093c}\u{094d}\u{fe70}-\u{fe7f}\u{fdfa}\u{1f600}\u{2764}]{0,40}",
    ]
}

/// The byte range of every line with visible content, trimmed as the segmenter trims.
fn content_lines(raw: &str) -> Vec<(usize, usize)> {
    let blank =
        |c: char| c.is_whitespace() || matches!(c, '\u{200b}' | '\u{2060}' | '\u{feff}' | '\u{ad}');
    let mut out = Vec::new();
    let mut offset = 0;
    for piece in raw.split_inclusive(['\n', '\r']) {
        let start = offset;
        offset += piece.len();
        let content = piece.trim_end_matches(['\n', '\r']);
        let lead = content.len() - content.trim_start_matches(blank).len();
        let text = content.trim_matches(blank);
        if !text.is_empty() {
            out.push((start + lead, start + lead + text.len()));
        }
    }
    out
}

/// `doc` written by `sink` to a fresh file, read back as bytes.
fn written(doc: &Document, name: &str, sink: impl FnOnce(&Path) -> Box<dyn Sink>) -> Vec<u8> {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join(name);
    let mut sink = sink(&path);
    sink.write(doc).expect("write");
    sink.finish().expect("commit");
    std::fs::read(&path).expect("read")
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

    #[test]
    fn no_paragraph_is_lost_or_duplicated(raw in messy_document()) {
        let paragraphs = segment::paragraphs(&raw);
        let mut previous_end = 0;
        for (i, p) in paragraphs.iter().enumerate() {
            prop_assert_eq!(p.index, i);
            prop_assert!(previous_end <= p.start && p.start < p.end && p.end <= raw.len(),
                "paragraph {} at {}..{} overlaps or is out of order (previous end {})",
                i, p.start, p.end, previous_end);
            previous_end = p.end;
        }
        for (start, end) in content_lines(&raw) {
            let holders = paragraphs.iter().filter(|p| p.start <= start && end <= p.end).count();
            prop_assert_eq!(holders, 1, "line {:?} is in {} paragraphs", &raw[start..end], holders);
        }
    }


    #[test]
    fn csv_output_parses_back_to_one_row_per_paragraph(raw in document()) {
        let doc = PIPELINE.clean("p,\"1\"", &raw);
        let bytes = written(&doc, "o.csv", |path| {
            Box::new(CsvWriter::new(Destination::create(path).expect("create")).expect("header"))
        });
        let mut reader = csv::Reader::from_reader(bytes.as_slice());
        let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().expect("valid CSV");
        prop_assert_eq!(rows.len(), doc.paragraphs.len());
        for (row, p) in rows.iter().zip(&doc.paragraphs) {
            prop_assert_eq!(&row[0], doc.id.as_str());
            prop_assert_eq!(row[1].to_string(), p.index.to_string());
            prop_assert_eq!(&row[4], if p.verdict.is_kept() { "true" } else { "false" });
            prop_assert_eq!(&row[6], p.text.as_str());
        }
    }

    #[test]
    fn gzip_output_round_trips(raw in document()) {
        let doc = PIPELINE.clean("p", &raw);
        let plain = written(&doc, "o.jsonl", |path| {
            Box::new(JsonlWriter::new(Destination::create(path).expect("create")))
        });
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("o.jsonl.gz");
        let output = Output::new(Destination::create(&path).expect("create"), Compression::Gzip).expect("encoder");
        let mut sink: Box<dyn Sink> = Box::new(JsonlWriter::new(output));
        sink.write(&doc).expect("write");
        sink.finish().expect("commit");
        let mut inflated = Vec::new();
        flate2::read::MultiGzDecoder::new(std::fs::File::open(&path).expect("open"))
            .read_to_end(&mut inflated)
            .expect("valid gzip");
        prop_assert_eq!(&inflated, &plain);
        // And polyclean reads its own compressed output back as the same document.
        let events: Vec<Event> = Reader::new(vec![Input::File(path)], ReadOptions::default()).collect();
        prop_assert_eq!(events.len(), 1);
        match &events[0] {
            Event::Document(read) => {
                prop_assert_eq!(&read.id, &doc.id);
                prop_assert_eq!(read.raw.clone(), doc.clean_text());
            }
            Event::Issue(issue) => prop_assert!(false, "{}", issue),
        }
    }
}

proptest! {
    // Cheap, and the bugs it finds need three particular neighbours: many cases.
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn normalization_is_idempotent(text in unicode_text()) {
        for form in [UnicodeForm::Nfc, UnicodeForm::Nfkc] {
            let once = normalize(&text, form);
            prop_assert_eq!(normalize(&once, form), once.clone(), "{:?} of {:?}", form, text);
        }
    }
}
