//! Repetition detection across machines: `polyclean hashes` on each shard, `polyclean merge`,
//! then `run --counts` — the same drops as one run over everything, byte for byte.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

const FOOTER: &str = "The Harbour Gazette is printed at twelve Quay Street by the Marsh family";

fn polyclean() -> Command {
    Command::cargo_bin("polyclean").expect("binary")
}

/// Two shards of three pages each; the site footer is on two pages of each shard, so neither
/// shard alone reaches the threshold of three documents, the corpus does (four).
fn shards() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().expect("tmp");
    let stories = [
        "The harbour authority opened a new ferry terminal on the eastern quay this spring.",
        "Volunteers planted four hundred oak saplings along the river path over the weekend.",
        "The regional orchestra announced a season of free concerts in village churches.",
        "A local bakery won the national prize for its sourdough after ten years of trying.",
        "Night trains between the two capitals will run again from the end of September.",
        "The museum's restored tapestry returns to the great hall after three years away.",
    ];
    let mut shard_dirs = Vec::new();
    for (s, chunk) in stories.chunks(3).enumerate() {
        let shard = dir.path().join(format!("shard{s}"));
        fs::create_dir(&shard).expect("mkdir");
        for (i, story) in chunk.iter().enumerate() {
            let footer = if i < 2 { FOOTER } else { "" };
            fs::write(
                shard.join(format!("page{i}.txt")),
                format!("{story}\n\n{footer}\n"),
            )
            .expect("write");
        }
        shard_dirs.push(shard);
    }
    let b = shard_dirs.pop().expect("two");
    let a = shard_dirs.pop().expect("two");
    (dir, a, b)
}

fn hashes(inputs: &[&Path], output: &Path) {
    polyclean()
        .arg("hashes")
        .args(inputs)
        .arg("-o")
        .arg(output)
        .arg("-q")
        .assert()
        .success();
}

fn merge(tables: &[&Path], output: &Path) {
    polyclean()
        .arg("merge")
        .args(tables)
        .arg("-o")
        .arg(output)
        .assert()
        .success();
}

fn run(inputs: &[&Path], extra: &[&str], output: &Path) -> String {
    polyclean()
        .arg("run")
        .args(inputs)
        .args(extra)
        .arg("-o")
        .arg(output)
        .arg("-q")
        .assert()
        .success();
    fs::read_to_string(output).expect("output")
}

fn repeated_texts(jsonl: &str) -> Vec<String> {
    let mut texts = Vec::new();
    for line in jsonl.lines() {
        let doc: Value = serde_json::from_str(line).expect("json");
        for p in doc["paragraphs"].as_array().expect("paragraphs") {
            if p["reason"] == "repeated" {
                texts.push(p["text"].as_str().expect("text").to_string());
            }
        }
    }
    texts
}

#[test]
fn shards_counted_apart_and_merged_judge_like_one_run() {
    let (dir, a, b) = shards();
    let out = |name: &str| dir.path().join(name);
    let single = run(&[&a, &b], &[], &out("single.jsonl"));
    assert_eq!(
        repeated_texts(&single),
        [FOOTER; 4],
        "one run sees four pages"
    );

    // Each shard alone misses the template.
    let alone = run(&[&a], &[], &out("alone.jsonl"));
    assert!(repeated_texts(&alone).is_empty());

    hashes(&[&a], &out("a.counts"));
    hashes(&[&b], &out("b.counts"));
    merge(&[&out("a.counts"), &out("b.counts")], &out("ab.counts"));
    merge(&[&out("b.counts"), &out("a.counts")], &out("ba.counts"));
    assert_eq!(
        fs::read(out("ab.counts")).expect("ab"),
        fs::read(out("ba.counts")).expect("ba"),
        "merging does not depend on the order"
    );

    let counts = out("ab.counts");
    let counts = counts.to_str().expect("utf-8");
    let shard_a = run(&[&a], &["--counts", counts], &out("final-a.jsonl"));
    let shard_b = run(&[&b], &["--counts", counts], &out("final-b.jsonl"));
    assert_eq!(
        shard_a + &shard_b,
        single,
        "shards + merge + apply == one run"
    );
}

#[test]
fn counts_make_repetition_work_on_stdin() {
    let (dir, a, b) = shards();
    let counts = dir.path().join("all.counts");
    hashes(&[&a, &b], &counts);
    let page = fs::read_to_string(a.join("page0.txt")).expect("page");
    let with = polyclean()
        .args(["run", "-", "-o", "-", "-q", "--counts"])
        .arg(&counts)
        .write_stdin(page.clone())
        .assert()
        .success();
    let with = String::from_utf8(with.get_output().stdout.clone()).expect("utf-8");
    assert_eq!(repeated_texts(&with), [FOOTER]);
    polyclean()
        .args(["run", "-", "-o", "-"])
        .write_stdin(page)
        .assert()
        .success()
        .stderr(predicate::str::contains("stdin cannot be read twice"));
}

#[test]
fn counts_refuse_a_higher_threshold_and_foreign_files() {
    let (dir, a, _) = shards();
    let counts = dir.path().join("a.counts");
    polyclean()
        .args(["hashes", "--repeated", "2", "-q", "-o"])
        .arg(&counts)
        .arg(&a)
        .assert()
        .success();
    let output = dir.path().join("o.jsonl");
    polyclean()
        .args(["run", "--repeated", "3", "-q", "--counts"])
        .arg(&counts)
        .arg(&a)
        .arg("-o")
        .arg(&output)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("counts made for `repeated = 2`"));
    // A lower threshold is fine: two documents of shard a hold the footer.
    let two = run(
        &[&a],
        &[
            "--repeated",
            "2",
            "--counts",
            counts.to_str().expect("utf-8"),
        ],
        &output,
    );
    assert_eq!(repeated_texts(&two), [FOOTER; 2]);

    let page = a.join("page0.txt");
    polyclean()
        .args(["run", "-q", "--counts"])
        .arg(&page)
        .arg(&a)
        .arg("-o")
        .arg(&output)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "page0.txt: not a polyclean table file",
        ));
    polyclean()
        .args(["merge", "-o"])
        .arg(dir.path().join("m.counts"))
        .arg(&counts)
        .arg(&page)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("page0.txt"));
}

#[test]
fn counts_of_shards_merge_to_the_counts_of_everything() {
    let (dir, a, b) = shards();
    let out = |name: &str| dir.path().join(name);
    hashes(&[&a, &b], &out("all.counts"));
    for shard in ["0/2", "1/2"] {
        polyclean()
            .args(["hashes", "-q", "--shard", shard, "-o"])
            .arg(out(&format!("part{}.counts", &shard[..1])))
            .arg(&a)
            .arg(&b)
            .assert()
            .success();
    }
    merge(
        &[&out("part1.counts"), &out("part0.counts")],
        &out("merged.counts"),
    );
    assert_eq!(
        fs::read(out("merged.counts")).expect("merged"),
        fs::read(out("all.counts")).expect("all")
    );
    assert_ne!(
        fs::read(out("part0.counts")).expect("part"),
        fs::read(out("all.counts")).expect("all"),
        "a shard alone counts less"
    );
}
