//! `polyclean stats` end to end, on a small output written by hand whose figures were
//! computed by hand (see the comments on `CORPUS`).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::{json, Value};

fn polyclean() -> Command {
    Command::cargo_bin("polyclean").expect("binary")
}

fn para(index: usize, text: &str, lang: &str, reason: Option<&str>) -> Value {
    json!({
        "index": index, "start": 0, "end": text.len(), "text": text, "lang": lang,
        "confidence": 1.0, "reliable": true, "lang_source": "paragraph", "mixed": false,
        "spans": [{"start": 0, "end": text.chars().count(), "lang": lang}],
        "kept": reason.is_none(), "reason": reason, "evidence": reason.map(|_| "test"),
    })
}

/// Three documents, as `polyclean run` writes them:
///
/// | doc | lang | paragraph (lang, words, chars, reason) |
/// | 1 | fr | "Le chat dort." fr 3 13 · "Publicité" fr 1 9 ad · "Il fait beau." fr 3 13 |
/// | 2 | en | "Hello world" en 2 11 · "Bonjour" fr 1 7 · "Share this" en 2 10 share |
/// | 3 | null | "Le chat dort." fr 3 13 duplicate · "Menu" und 1 4 duplicate_document |
///
/// Document texts: 1 → 6 words, 28 chars (13 + "\n\n" + 13); 2 → 3 words, 20 chars; 3 → empty.
fn corpus() -> String {
    let docs = [
        json!({"id": "a", "source": "a.txt", "lang": "fr", "text": "Le chat dort.\n\nIl fait beau.",
            "paragraphs": [para(0, "Le chat dort.", "fr", None), para(1, "Publicité", "fr", Some("ad")),
                para(2, "Il fait beau.", "fr", None)]}),
        json!({"id": "b", "source": "b.jsonl:1", "lang": "en", "text": "Hello world\n\nBonjour",
            "paragraphs": [para(0, "Hello world", "en", None), para(1, "Bonjour", "fr", None),
                para(2, "Share this", "en", Some("share"))], "meta": {"url": "https://x.test/b"}}),
        json!({"id": "c", "source": "c.txt", "lang": null, "text": "",
            "paragraphs": [para(0, "Le chat dort.", "fr", Some("duplicate")),
                para(1, "Menu", "und", Some("duplicate_document"))]}),
    ];
    docs.iter().map(|d| format!("{d}\n")).collect()
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, bytes).expect("write");
    path
}

fn stats_json(path: &Path) -> Value {
    let out = polyclean()
        .args(["stats", "--json"])
        .arg(path)
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).expect("stats --json prints JSON")
}

fn close(value: &Value, expected: f64) -> bool {
    value.as_f64().is_some_and(|v| (v - expected).abs() < 1e-9)
}

#[test]
fn json_figures_match_the_hand_computed_ones() {
    let dir = tempfile::tempdir().expect("tmp");
    let s = stats_json(&write(dir.path(), "out.jsonl", corpus()));
    assert_eq!(s["version"], 1);
    assert_eq!(s["documents"], 3);
    assert_eq!(s["empty_documents"], 1);
    assert_eq!(
        s["paragraphs"],
        json!({"total": 8, "kept": 4, "dropped": 4})
    );
    assert_eq!(s["kept"], json!({"words": 9, "characters": 44}));
    assert_eq!(s["dropped"], json!({"words": 7, "characters": 36}));
    assert_eq!(
        s["languages"]["documents"],
        json!({
            "en": {"documents": 1, "kept_paragraphs": 2, "words": 3, "characters": 20},
            "fr": {"documents": 1, "kept_paragraphs": 2, "words": 6, "characters": 28},
            "und": {"documents": 1, "kept_paragraphs": 0, "words": 0, "characters": 0},
        })
    );
    assert_eq!(
        s["languages"]["paragraphs"],
        json!({
            "en": {"paragraphs": 1, "words": 2, "characters": 11},
            "fr": {"paragraphs": 3, "words": 7, "characters": 33},
        })
    );
    // Shares: of 8 paragraphs and of 80 characters (44 kept + 36 dropped).
    let reasons = &s["reasons"];
    let expected = [
        ("ad", 1, 9, 0.125, 9.0 / 80.0),
        ("share", 1, 10, 0.125, 10.0 / 80.0),
        ("duplicate", 1, 13, 0.125, 13.0 / 80.0),
        ("duplicate_document", 1, 4, 0.125, 4.0 / 80.0),
    ];
    assert_eq!(reasons.as_object().expect("object").len(), expected.len());
    for (code, paragraphs, chars, p_share, c_share) in expected {
        let r = &reasons[code];
        assert_eq!(r["paragraphs"], paragraphs, "{code}");
        assert_eq!(r["characters"], chars, "{code}");
        assert!(close(&r["paragraph_share"], p_share), "{code}: {r}");
        assert!(close(&r["character_share"], c_share), "{code}: {r}");
    }
    let d = &s["duplicates"];
    assert_eq!(d["reasons"], json!(["duplicate", "duplicate_document"]));
    assert_eq!(
        (d["paragraphs"].clone(), d["characters"].clone()),
        (json!(2), json!(17))
    );
    assert!(close(&d["paragraph_share"], 0.25));
    assert!(close(&d["character_share"], 17.0 / 80.0));
    assert_eq!(d["documents"], 1);
    assert!(close(&d["document_share"], 1.0 / 3.0));
    // Nearest rank over [0, 20, 28] (documents) and [7, 11, 13, 13] (kept paragraphs).
    let l = &s["lengths"];
    let figures = |p: &Value| {
        ["count", "p10", "p50", "p90", "p99", "max"].map(|k| p[k].as_u64().expect("integer"))
    };
    assert_eq!(
        figures(&l["documents"]["characters"]),
        [3, 0, 20, 28, 28, 28]
    );
    assert_eq!(figures(&l["documents"]["words"]), [3, 0, 3, 6, 6, 6]);
    assert_eq!(
        figures(&l["paragraphs"]["characters"]),
        [4, 7, 11, 13, 13, 13]
    );
    assert_eq!(figures(&l["paragraphs"]["words"]), [4, 1, 2, 3, 3, 3]);
    assert_eq!(s["bad_lines"], 0);
}

/// The table's lines with runs of spaces collapsed.
fn words_of_lines(table: &str) -> Vec<String> {
    table
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

#[test]
fn the_table_shows_the_same_figures_aligned() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = write(dir.path(), "out.jsonl", corpus());
    let out = polyclean().arg("stats").arg(&path).assert().code(0);
    let table = String::from_utf8(out.get_output().stdout.clone()).expect("UTF-8");
    let lines = words_of_lines(&table);
    for expected in [
        "documents 3",
        "empty (no kept paragraph) 1 33.3%",
        "paragraphs 8",
        "kept 4 50.0%",
        "dropped 4 50.0%",
        "kept words 9",
        "kept characters 44",
        "fr 1 2 6 28 58.3%",
        "en 1 2 3 20 41.7%",
        "fr 3 7 33 75.0%",
        "ad 1 12.5% 9 11.2%",
        "duplicate 1 12.5% 13 16.2%",
        "paragraphs 2 25.0%",
        "documents emptied 1 33.3%",
        "duplicate reasons: duplicate, duplicate_document",
        "document characters 3 0 20 28 28 28",
        "kept paragraph words 4 1 2 3 3 3",
    ] {
        assert!(
            lines.iter().any(|l| l == expected),
            "no line `{expected}` in\n{table}"
        );
    }
    // Right-aligned figures: every line of the reasons section ends at the same column.
    let reasons: Vec<&str> = table
        .lines()
        .skip_while(|l| !l.starts_with("drop reason"))
        .take_while(|l| !l.is_empty())
        .collect();
    assert_eq!(reasons.len(), 5, "{table}");
    let width = reasons[0].chars().count();
    assert!(
        reasons.iter().all(|l| l.chars().count() == width),
        "{table}"
    );
}

#[test]
fn a_bad_line_is_reported_with_its_number_and_the_rest_is_counted() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut body = corpus();
    body.insert_str(
        body.find('\n').expect("lines") + 1,
        "{\"id\": \"x\", \"text\": 3}\n",
    );
    let path = write(dir.path(), "out.jsonl", body);
    let out = polyclean()
        .args(["stats", "--json"])
        .arg(&path)
        .assert()
        .code(3);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        stderr.contains(&format!(
            "{}:2: not a polyclean output record",
            path.display()
        )),
        "{stderr}"
    );
    let s: Value = serde_json::from_slice(&out.get_output().stdout).expect("JSON");
    assert_eq!(s["documents"], 3);
    assert_eq!(s["bad_lines"], 1);
}

#[test]
fn a_missing_input_is_reported_and_the_others_counted() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = write(dir.path(), "out.jsonl", corpus());
    let out = polyclean()
        .args(["stats", "--json"])
        .arg(dir.path().join("missing.jsonl"))
        .arg(&path)
        .assert()
        .code(3);
    let s: Value = serde_json::from_slice(&out.get_output().stdout).expect("JSON");
    assert_eq!(s["documents"], 3);
    assert!(String::from_utf8_lossy(&out.get_output().stderr).contains("missing.jsonl"));
}

#[test]
fn gzip_and_zstd_outputs_give_the_same_figures() {
    let dir = tempfile::tempdir().expect("tmp");
    let plain = stats_json(&write(dir.path(), "out.jsonl", corpus()));
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(corpus().as_bytes()).expect("in memory");
    let gz = write(dir.path(), "out.jsonl.gz", gz.finish().expect("in memory"));
    assert_eq!(stats_json(&gz), plain);
    let zst = zstd::encode_all(corpus().as_bytes(), 3).expect("in memory");
    assert_eq!(stats_json(&write(dir.path(), "out.jsonl.zst", zst)), plain);
    assert_eq!(plain["documents"], 3);
}

#[test]
fn the_output_of_a_run_reads_back_with_every_paragraph() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("fixtures.jsonl");
    polyclean()
        .args(["run", "-q", "fixtures/", "-o"])
        .arg(&out)
        .assert()
        .code(0);
    let s = stats_json(&out);
    let docs: Vec<Value> = fs::read_to_string(&out)
        .expect("output")
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    let paragraphs: usize = docs
        .iter()
        .map(|d| d["paragraphs"].as_array().expect("array").len())
        .sum();
    assert_eq!(s["documents"], docs.len());
    assert_eq!(s["paragraphs"]["total"], paragraphs);
}
