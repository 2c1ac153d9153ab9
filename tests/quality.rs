//! `--quality off|annotate|filter` and the `[quality]` table, on the real binary with
//! synthetic documents.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn polyclean() -> Command {
    Command::cargo_bin("polyclean").expect("binary")
}

/// A short French article: 4 paragraphs, 7 sentences, about 100 words, every line punctuated.
const ARTICLE: &str = "Le conseil municipal de Saint-Aubin a adopté jeudi soir un plan de rénovation des écoles primaires de la commune. Les travaux commenceront au printemps prochain.

Selon la maire, les bâtiments construits dans les années soixante consomment trop d'énergie pendant l'hiver. Une isolation complète des toitures est prévue dans chaque établissement.

Les parents d'élèves ont salué cette décision lors de la réunion publique organisée mardi dans la salle des fêtes. Plusieurs familles ont toutefois demandé un calendrier précis pour éviter de perturber les cours.

Le financement repose sur une subvention régionale et sur un emprunt remboursé en quinze ans.
";

/// Eleven words: fails Gopher's 50-word minimum.
const SHORT: &str = "Le marché couvert rouvre samedi matin après trois mois de travaux.\n";

/// Run `polyclean run` on `inputs` (name, text) in a temp dir with `args`, and an optional
/// polyclean.toml; the output's documents by id.
fn run(inputs: &[(&str, &str)], args: &[&str], config: Option<&str>) -> Vec<Value> {
    let dir = tempfile::tempdir().expect("tmp");
    let input_dir = dir.path().join("in");
    fs::create_dir(&input_dir).expect("mkdir");
    for (name, text) in inputs {
        fs::write(input_dir.join(name), text).expect("write");
    }
    if let Some(config) = config {
        fs::write(dir.path().join("polyclean.toml"), config).expect("config");
    }
    polyclean()
        .current_dir(dir.path())
        .args(["run", "-q", "in", "-o", "out.jsonl"])
        .args(args)
        .assert()
        .success();
    read_docs(&dir.path().join("out.jsonl"))
}

fn read_docs(path: &Path) -> Vec<Value> {
    fs::read_to_string(path)
        .expect("output")
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect()
}

/// `(kept, reason, evidence)` of every paragraph.
fn verdicts(doc: &Value) -> Vec<(bool, Value, Value)> {
    doc["paragraphs"]
        .as_array()
        .expect("paragraphs")
        .iter()
        .map(|p| {
            (
                p["kept"] == true,
                p["reason"].clone(),
                p["evidence"].clone(),
            )
        })
        .collect()
}

#[test]
fn off_by_default_writes_no_scores() {
    let docs = run(&[("a.txt", ARTICLE)], &[], None);
    assert!(docs[0].get("quality").is_none(), "{}", docs[0]);
    let docs = run(&[("a.txt", ARTICLE)], &["--quality", "off"], None);
    assert!(docs[0].get("quality").is_none(), "{}", docs[0]);
}

#[test]
fn annotate_writes_scores_and_drops_nothing() {
    let inputs = [("a.txt", ARTICLE), ("b.txt", SHORT)];
    let off = run(&inputs, &[], None);
    let annotated = run(&inputs, &["--quality", "annotate"], None);
    for (o, a) in off.iter().zip(&annotated) {
        assert_eq!(
            verdicts(o),
            verdicts(a),
            "annotate must not change a verdict"
        );
        assert_eq!(o["text"], a["text"]);
    }
    let article = &annotated[0]["quality"];
    let words = article["gopher_quality"]["word_count"]
        .as_f64()
        .expect("word count");
    assert!((90.0..110.0).contains(&words), "{article}");
    assert!(
        article["gopher_quality"]["stop_words"]
            .as_f64()
            .expect("fr list")
            >= 2.0
    );
    assert_eq!(article["c4"]["sentences"], 7.0);
    assert_eq!(article["failed"], serde_json::json!([]), "{article}");
    let short = &annotated[1]["quality"];
    let failed: Vec<&str> = short["failed"]
        .as_array()
        .expect("failed")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        failed.contains(&"gopher_quality.word_count: word count 11 < 50"),
        "{failed:?}"
    );
    assert!(
        failed.iter().any(|f| f.starts_with("c4.sentences:")),
        "{failed:?}"
    );
}

#[test]
fn filter_drops_failing_documents_with_the_reason_and_keeps_good_ones() {
    let docs = run(
        &[("a.txt", ARTICLE), ("b.txt", SHORT)],
        &["--quality", "filter"],
        None,
    );
    assert!(verdicts(&docs[0]).iter().all(|v| v.0), "{}", docs[0]);
    assert_eq!(docs[1]["text"], "");
    assert_eq!(
        verdicts(&docs[1]),
        [(
            false,
            Value::from("gopher_quality"),
            Value::from("word count 11 < 50")
        )]
    );
}

#[test]
fn filter_drops_an_unpunctuated_heading_as_a_c4_line() {
    let text = format!("Rénovation des écoles de Saint-Aubin\n\n{ARTICLE}");
    let docs = run(&[("a.txt", &text)], &["--quality", "filter"], None);
    let v = verdicts(&docs[0]);
    assert_eq!(
        v[0],
        (
            false,
            Value::from("c4"),
            Value::from("line: no terminal punctuation")
        )
    );
    assert!(v[1..].iter().all(|v| v.0), "{}", docs[0]);
}

#[test]
fn config_thresholds_override_the_defaults() {
    // Per language: 5 words and 1 sentence are enough for French documents.
    let config = "[quality]\nmode = \"filter\"\n[quality.lang.fr.gopher_quality]\nmin_words = 5\n[quality.lang.fr.c4]\nmin_sentences = 1\n";
    let docs = run(&[("b.txt", SHORT)], &[], Some(config));
    assert_eq!(docs[0]["text"], SHORT.trim(), "{}", docs[0]);
    // For another language only: the French document is still dropped.
    let config = "quality = \"filter\"\n";
    let docs = run(&[("b.txt", SHORT)], &[], Some(config));
    assert_eq!(docs[0]["text"], "");
    let config = "[quality]\nmode = \"filter\"\n[quality.lang.de.gopher_quality]\nmin_words = 5\n";
    let docs = run(&[("b.txt", SHORT)], &[], Some(config));
    assert_eq!(docs[0]["text"], "");
    // Families can be switched off; the flag overrides the file's mode.
    let config = "[quality]\nmode = \"filter\"\n[quality.gopher_quality]\nenabled = false\n[quality.c4]\nenabled = false\n";
    let docs = run(&[("b.txt", SHORT)], &[], Some(config));
    assert_eq!(docs[0]["text"], SHORT.trim());
    let docs = run(
        &[("b.txt", SHORT)],
        &["--quality", "annotate"],
        Some("quality = \"filter\"\n"),
    );
    assert_eq!(docs[0]["text"], SHORT.trim());
}

#[test]
fn a_misspelt_quality_key_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("tmp");
    fs::write(dir.path().join("a.txt"), ARTICLE).expect("write");
    fs::write(
        dir.path().join("polyclean.toml"),
        "[quality.gopher_quality]\nmin_word = 5\n",
    )
    .expect("config");
    polyclean()
        .current_dir(dir.path())
        .args(["run", "a.txt", "-o", "out.jsonl"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("min_word"));
}

#[test]
fn quality_mode_prints_and_reads_back() {
    let dir = tempfile::tempdir().expect("tmp");
    fs::write(
        dir.path().join("polyclean.toml"),
        "[quality.fineweb]\nshort_line_length = 40\n",
    )
    .expect("config");
    let out = polyclean()
        .current_dir(dir.path())
        .args([
            "config",
            "--print",
            "--quality",
            "annotate",
            "-o",
            "x.jsonl",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let printed: toml::Table = toml::from_str(&String::from_utf8_lossy(&out)).expect("TOML");
    assert_eq!(printed["quality"]["mode"].as_str(), Some("annotate"));
    assert_eq!(
        printed["quality"]["fineweb"]["short_line_length"].as_integer(),
        Some(40)
    );
}
