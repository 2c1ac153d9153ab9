//! The repetition pass of `run` in bounded memory (a sketch, then exact counts of the
//! candidates read back from a temporary file): the same drops and counts as exact counting,
//! and a clear error when the temporary file cannot be made.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

fn polyclean() -> Command {
    Command::cargo_bin("polyclean").expect("binary")
}

const FOOTER: &str = "All stories of the Valley Courier are edited by the newsroom on Mill Lane";
const MENU: &str = "Home page of the courier with local news sport weather and the events diary";

/// Twelve JSONL pages: a footer on nine, a menu on two, and a paragraph on the two copies of
/// one page (copies count as one document).
fn corpus(dir: &Path) -> std::path::PathBuf {
    let mut lines = Vec::new();
    for i in 0..12 {
        // The story is each page's longest paragraph: its fingerprint.
        let n = if i == 11 { 10 } else { i };
        let story = format!(
            "Story number {n} about the new bridge over the river, told at length by our reporter who went there."
        );
        let mut paragraphs = vec![story];
        if i < 9 {
            paragraphs.push(FOOTER.to_string());
        }
        if i < 2 {
            paragraphs.push(MENU.to_string());
        }
        if i >= 10 {
            paragraphs.push("A paragraph found only in the two copies of page ten.".into());
        }
        let record = serde_json::json!({"id": format!("p{i}"), "text": paragraphs.join("\n\n")});
        lines.push(record.to_string());
    }
    let path = dir.join("pages.jsonl");
    fs::write(&path, lines.join("\n") + "\n").expect("write");
    path
}

fn rejected_repeated(rejected: &Path) -> Vec<(String, String)> {
    fs::read_to_string(rejected)
        .expect("rejected")
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("json"))
        .filter(|v| v["reason"] == "repeated")
        .map(|v| {
            (
                v["text"].as_str().unwrap_or_default().to_string(),
                v["evidence"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn drops_exactly_what_reaches_the_threshold_with_its_exact_count() {
    let dir = tempfile::tempdir().expect("tmp");
    let input = corpus(dir.path());
    let (out, rejected) = (dir.path().join("out.jsonl"), dir.path().join("rej.jsonl"));
    polyclean()
        .args(["run", "-q", "--repeated", "2"])
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .arg("--rejected")
        .arg(&rejected)
        .env("TMPDIR", dir.path())
        .assert()
        .success();
    let dropped = rejected_repeated(&rejected);
    let footer = (
        FOOTER.to_string(),
        "occurs in 9 documents of this run (threshold 2)".to_string(),
    );
    let menu = (
        MENU.to_string(),
        "occurs in 2 documents of this run (threshold 2)".to_string(),
    );
    assert_eq!(
        dropped.iter().filter(|d| **d == footer).count(),
        9,
        "{dropped:?}"
    );
    assert_eq!(
        dropped.iter().filter(|d| **d == menu).count(),
        2,
        "{dropped:?}"
    );
    assert_eq!(
        dropped.len(),
        11,
        "the copies' paragraph is kept: {dropped:?}"
    );
    // The temporary file is unnamed: nothing is left behind.
    let left: Vec<_> = fs::read_dir(dir.path()).expect("ls").collect();
    assert_eq!(left.len(), 3, "input, output and rejected only");
}

#[test]
fn an_unusable_temporary_directory_stops_the_run_before_any_output() {
    let dir = tempfile::tempdir().expect("tmp");
    let input = corpus(dir.path());
    let out = dir.path().join("out.jsonl");
    polyclean()
        .args(["run", "-q"])
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .env("TMPDIR", dir.path().join("missing"))
        .assert()
        .failure()
        .stderr(predicate::str::contains("repetition pass's temporary file"))
        .stderr(predicate::str::contains("set TMPDIR"));
    assert!(!out.exists());
    // Without `repeated` there is no temporary file to make.
    polyclean()
        .args(["run", "-q", "--repeated", "0"])
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .env("TMPDIR", dir.path().join("missing"))
        .assert()
        .success();
}
