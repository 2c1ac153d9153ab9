//! The language stage end to end: `polyclean detect`, mixed paragraphs in `run`'s output, and
//! `--keep-langs`. Every text here was written for these tests.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use serde_json::{json, Value};

fn polyclean() -> Command {
    Command::cargo_bin("polyclean").expect("binary")
}

fn jsonl(path: &Path) -> Vec<Value> {
    fs::read_to_string(path)
        .expect("output exists")
        .lines()
        .map(|l| serde_json::from_str(l).expect("valid JSON line"))
        .collect()
}

/// `polyclean run ARGS -o OUT article.txt` on `text`; the one output document.
fn clean_text_file(text: &str, args: &[&str]) -> Value {
    let dir = tempfile::tempdir().expect("tmp");
    let input = dir.path().join("article.txt");
    fs::write(&input, text).expect("write");
    let out = dir.path().join("out.jsonl");
    polyclean()
        .arg("run")
        .args(args)
        .arg("-o")
        .arg(&out)
        .arg(&input)
        .assert()
        .code(0);
    jsonl(&out).swap_remove(0)
}

/// A paragraph in French with one English sentence in the middle.
const MIXED: &str = "Le maire a présenté le budget hier soir devant le conseil municipal. \
The council approved it without any debate. Les habitants attendent maintenant les travaux.";

#[test]
fn detect_writes_a_prediction_per_record_with_code_point_spans() {
    let dir = tempfile::tempdir().expect("tmp");
    let input = dir.path().join("in.jsonl");
    let records = [
        json!({"id": "w1", "text": "pourquoi"}),
        json!({"id": "w2", "text": "although"}),
        json!({"id": "p2", "text": "todavía tenemos"}),
        json!({"id": "m", "text": MIXED}),
        json!({"id": "none", "text": "1234 — 5678"}),
    ];
    let body: String = records.iter().map(|r| format!("{r}\n")).collect();
    fs::write(&input, body).expect("write");
    let out = dir.path().join("pred.jsonl");
    polyclean()
        .args(["detect", "--langs", "fr,en,es", "--iso-639-3", "-o"])
        .arg(&out)
        .arg(&input)
        .assert()
        .code(0);
    let preds = jsonl(&out);
    let langs: Vec<&str> = preds
        .iter()
        .map(|p| p["lang"].as_str().expect("lang"))
        .collect();
    assert_eq!(langs, ["fra", "eng", "spa", "fra", "und"]);
    let mixed = &preds[3];
    assert_eq!(mixed["mixed"], true);
    let spans: Vec<(u64, u64, &str)> = mixed["spans"]
        .as_array()
        .expect("spans")
        .iter()
        .map(|s| {
            let n = |k: &str| s[k].as_u64().expect("offset");
            (n("start"), n("end"), s["lang"].as_str().expect("lang"))
        })
        .collect();
    // Offsets count characters: "présenté" has two accented letters.
    let english_start = MIXED.find("The").expect("The");
    let english_start = MIXED[..english_start].chars().count() as u64;
    assert_eq!(spans.len(), 3, "{spans:?}");
    assert_eq!((spans[1].0, spans[1].2), (english_start, "eng"));
    assert_eq!(spans[2].1, MIXED.chars().count() as u64);
    assert_eq!(preds[4]["decided"], false);
}

#[test]
fn run_marks_mixed_paragraphs_and_keeps_them_whole() {
    let doc = &clean_text_file(MIXED, &["--langs", "fr,en,es"]);
    let p = &doc["paragraphs"][0];
    assert_eq!(p["lang"], "fr");
    assert_eq!(p["mixed"], true);
    let span_langs: Vec<&str> = p["spans"]
        .as_array()
        .expect("spans")
        .iter()
        .map(|s| s["lang"].as_str().expect("lang"))
        .collect();
    assert_eq!(span_langs, ["fr", "en", "fr"]);
    assert_eq!(doc["text"], MIXED);
}

#[test]
fn explain_lists_the_spans_of_mixed_paragraphs() {
    let out = polyclean()
        .args(["explain", "--langs", "fr,en,es", "--colour", "never", "-"])
        .write_stdin(MIXED)
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).expect("utf-8");
    let english_start = MIXED[..MIXED.find("The").expect("The")].chars().count();
    assert!(
        out.contains(&format!("mixed: fr 0–{english_start}, en {english_start}–")),
        "{out}"
    );
}

#[test]
fn keep_langs_drops_other_languages_with_a_reason() {
    let text =
        "Le conseil municipal a voté jeudi soir le budget de la ville pour l'année prochaine.\n\n\
El ayuntamiento aprobó el jueves por la noche el presupuesto de la ciudad para el próximo año.\n\n\
Les travaux commenceront au printemps, selon la mairie, et dureront deux ans.\n\n\
Publicidad\n";
    let doc = &clean_text_file(text, &["--keep-langs", "fra"]);
    let reasons: Vec<Value> = doc["paragraphs"]
        .as_array()
        .expect("paragraphs")
        .iter()
        .map(|p| p["reason"].clone())
        .collect();
    // Boilerplate keeps its own reason; only content is dropped for its language.
    assert_eq!(
        reasons,
        [Value::Null, json!("language"), Value::Null, json!("ad")]
    );
    let evidence = doc["paragraphs"][1]["evidence"].as_str().expect("evidence");
    assert!(
        evidence.contains("language es") && evidence.contains("fr"),
        "{evidence}"
    );
}

#[test]
fn unknown_keep_langs_code_is_a_usage_error_naming_the_flag() {
    polyclean()
        .args(["run", "--keep-langs", "xx", "-o", "-", "-"])
        .write_stdin("texte")
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "--keep-langs: unknown language `xx`",
        ));
}

/// Welsh, which whatlang does not know, written for these tests.
const WELSH: &str = "Mae'r plant yn chwarae yn yr ardd bob prynhawn ar ôl yr ysgol, \
ac mae eu mam yn eu gwylio o'r gegin.";

#[test]
fn detect_labels_welsh_without_langs_only() {
    let dir = tempfile::tempdir().expect("tmp");
    let input = dir.path().join("in.jsonl");
    let records = [
        json!({"id": "cy", "text": WELSH}),
        json!({"id": "en", "text": "I am in a car park at the station."}),
        json!({"id": "es", "text": "Y a la casa de mi madre fui yo ayer por la tarde."}),
    ];
    let body: String = records.iter().map(|r| format!("{r}\n")).collect();
    fs::write(&input, body).expect("write");
    let detect = |args: &[&str]| {
        let out = dir.path().join("pred.jsonl");
        polyclean()
            .arg("detect")
            .args(args)
            .arg("-o")
            .arg(&out)
            .arg(&input)
            .assert()
            .code(0);
        jsonl(&out)
    };
    let all = detect(&["--iso-639-3"]);
    let langs: Vec<&str> = all
        .iter()
        .map(|p| p["lang"].as_str().expect("lang"))
        .collect();
    assert_eq!(langs, ["cym", "eng", "spa"]);
    let chars = WELSH.chars().count();
    assert_eq!(
        all[0]["spans"],
        json!([{"start": 0, "end": chars, "lang": "cym"}])
    );
    assert_eq!(all[0]["decided"], true);
    assert_eq!(detect(&[])[0]["lang"], "cy");
    // Not a candidate with --langs: the output is whatever whatlang's languages say.
    assert_ne!(detect(&["--langs", "fr,en,es"])[0]["lang"], "cy");
}

#[test]
fn run_labels_welsh_paragraphs_and_keep_langs_accepts_its_code() {
    let text =
        format!("{WELSH}\n\nThe council approved the budget for next year after a long debate.\n");
    let doc = &clean_text_file(&text, &["--keep-langs", "cym"]);
    let p = &doc["paragraphs"][0];
    assert_eq!(
        (&p["lang"], &p["lang_source"]),
        (&json!("cy"), &json!("paragraph"))
    );
    assert_eq!(p["reason"], Value::Null);
    assert_eq!(doc["paragraphs"][1]["reason"], "language");
    assert_eq!(doc["lang"], "cy");
}

#[test]
fn langs_with_a_language_whatlang_lacks_says_why() {
    polyclean()
        .args(["run", "--langs", "en,cy", "-o", "-", "-"])
        .write_stdin("text")
        .assert()
        .code(2)
        .stderr(predicates::str::contains("whatlang does not know"));
}
