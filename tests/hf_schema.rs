//! The JSONL output keeps one type per field across records, as Hugging Face `datasets`
//! needs to load it (the check with `datasets` itself is scripts/check-hf-datasets.sh).

use std::collections::BTreeMap;
use std::fs;

use assert_cmd::Command;
use serde_json::Value;

/// The JSON type of a value, with integers and floats told apart.
fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_f64() => "float",
        Value::Number(_) => "integer",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Every field of `object` and its kind, `null` allowed only where `nullable` says.
fn shape(object: &Value, nullable: &[&str]) -> BTreeMap<String, &'static str> {
    object
        .as_object()
        .expect("an object")
        .iter()
        .map(|(k, v)| {
            let kind = match kind(v) {
                "null" if nullable.contains(&k.as_str()) => "string",
                other => other,
            };
            (k.clone(), kind)
        })
        .collect()
}

#[test]
fn every_record_and_paragraph_has_the_same_fields_with_the_same_types() {
    let dir = tempfile::tempdir().expect("tmp");
    // Mixed languages, ads, a one-word paragraph, whole-number confidences: the cases where a
    // field could be omitted, empty or an integer.
    let text = "Le conseil municipal a voté jeudi soir le budget de la ville.\n\nPublicité\n\n\
        Le gouvernement a présenté mardi son projet, and the opposition said it would vote against the budget next week.\n\n42\n";
    let input = dir.path().join("in.txt");
    fs::write(&input, text).expect("write");
    let out = dir.path().join("out.jsonl");
    Command::cargo_bin("polyclean")
        .expect("binary")
        .args(["run", "-q", "fixtures/"])
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(0);
    let body = fs::read_to_string(&out).expect("output");
    let records: Vec<Value> = body
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    let first = shape(&records[0], &["lang"]);
    let first_paragraph = shape(&records[0]["paragraphs"][0], &["reason", "evidence"]);
    let mut mixed = 0;
    for record in &records {
        assert_eq!(shape(record, &["lang"]), first, "{}", record["id"]);
        for p in record["paragraphs"].as_array().expect("paragraphs") {
            assert_eq!(shape(p, &["reason", "evidence"]), first_paragraph, "{p}");
            let spans = p["spans"].as_array().expect("spans");
            assert!(!spans.is_empty(), "{p}");
            let end = spans.last().and_then(|s| s["end"].as_u64());
            let chars = p["text"].as_str().expect("text").chars().count() as u64;
            assert_eq!(end, Some(chars), "spans cover the paragraph: {p}");
            mixed += usize::from(p["mixed"] == true);
        }
    }
    assert_eq!(first_paragraph["confidence"], "float");
    assert_eq!(first_paragraph["mixed"], "bool");
    assert!(mixed > 0, "the input has a mixed paragraph");
}
