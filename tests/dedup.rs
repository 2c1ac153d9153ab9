//! Duplicates end to end: keep-first pointers, drop-all, duplicate documents after cleaning,
//! near duplicates, and map → merge → apply: two shards run separately, their tables merged,
//! the merged table applied to each shard's output == one run over both, byte for byte.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn polyclean() -> Command {
    Command::cargo_bin("polyclean").expect("binary")
}

const COUNCIL: &str = "The city council voted on Thursday evening on the budget for next year, after a debate that lasted well into the night.";
const MAYOR: &str = "The mayor said the choices had been difficult but necessary for the town, and promised a review of the spending in spring.";
const RAIN: &str = "Heavy rain is expected across the northern valleys this weekend, the regional weather service said on Friday morning.";
const FERRY: &str = "The ferry company announced two extra crossings a day during the summer holidays, starting from the first week of July.";
const MUSEUM: &str = "The museum of local history reopens on Saturday after two years of work on its roof, its stairs and its old cellars.";

/// A long article of made-up sentences (for near duplicates: enough words for shingles).
fn article(seed: usize) -> Vec<String> {
    let subjects = [
        "The committee",
        "A local farmer",
        "The old bakery",
        "Our reporter",
        "The harbour master",
        "A young teacher",
    ];
    let verbs = [
        "described",
        "questioned",
        "welcomed",
        "criticised",
        "measured",
        "photographed",
    ];
    let objects = [
        "the new bridge over the river",
        "the price of bread in the market",
        "the noise of the night trains",
        "the flowers planted along the avenue",
        "the results of the spring election",
        "the long queue at the town hall",
    ];
    (0..4)
        .map(|p| {
            (0..5)
                .map(|s| {
                    let k = seed * 31 + p * 7 + s * 3;
                    format!(
                        "{} {} {} on day {} of the fair.",
                        subjects[k % 6],
                        verbs[(k / 6) % 6],
                        objects[(k / 36 + s) % 6],
                        k % 29
                    )
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

fn record(id: &str, paragraphs: &[&str]) -> String {
    let text = paragraphs.join("\n\n");
    serde_json::json!({ "id": id, "text": text }).to_string() + "\n"
}

fn strs(paragraphs: &[String]) -> Vec<&str> {
    paragraphs.iter().map(String::as_str).collect()
}

fn lines(path: &Path) -> Vec<Value> {
    fs::read_to_string(path)
        .expect("output")
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect()
}

/// `(kept, reason, evidence)` of every paragraph of record `n`.
fn verdicts(records: &[Value], n: usize) -> Vec<(bool, Option<String>, Option<String>)> {
    records[n]["paragraphs"]
        .as_array()
        .expect("paragraphs")
        .iter()
        .map(|p| {
            (
                p["kept"].as_bool().expect("kept"),
                p["reason"].as_str().map(String::from),
                p["evidence"].as_str().map(String::from),
            )
        })
        .collect()
}

fn run(dir: &Path, inputs: &[&str], output: &str, extra: &[&str]) {
    polyclean()
        .current_dir(dir)
        .args(["run", "-q", "--repeated", "0", "-o", output])
        .args(inputs)
        .args(extra)
        .assert()
        .success();
}

fn kept(text: &str) -> (bool, Option<String>, Option<String>) {
    let _ = text;
    (true, None, None)
}

fn dropped(reason: &str, evidence: &str) -> (bool, Option<String>, Option<String>) {
    (false, Some(reason.into()), Some(evidence.into()))
}

#[test]
fn later_copies_point_to_the_first_occurrence() {
    let dir = tempfile::tempdir().expect("tmp");
    let input = record("a", &[COUNCIL, MAYOR]) + &record("b", &[RAIN, "the MAYOR said the choices had been difficult, but necessary for the town and promised a review of the spending in spring!"]);
    fs::write(dir.path().join("in.jsonl"), input).expect("write");
    run(dir.path(), &["in.jsonl"], "out.jsonl", &["--dedup"]);
    let out = lines(&dir.path().join("out.jsonl"));
    assert_eq!(verdicts(&out, 0), [kept(COUNCIL), kept(MAYOR)]);
    assert_eq!(
        verdicts(&out, 1),
        [kept(RAIN), dropped("duplicate", "first in a ¶1")],
        "case and punctuation do not matter"
    );
    assert_eq!(out[1]["text"], RAIN);
    assert_eq!(
        out[1]["position"],
        serde_json::json!({"input": 0, "record": 1})
    );
}

#[test]
fn drop_all_drops_every_copy_the_first_included() {
    let dir = tempfile::tempdir().expect("tmp");
    let input = record("a", &[COUNCIL, MAYOR]) + &record("b", &[RAIN, MAYOR]);
    fs::write(dir.path().join("in.jsonl"), input).expect("write");
    run(
        dir.path(),
        &["in.jsonl"],
        "out.jsonl",
        &["--dedup", "--dedup-paragraphs", "drop-all"],
    );
    let out = lines(&dir.path().join("out.jsonl"));
    let both = dropped("duplicate", "occurs 2 times; first in a ¶1");
    assert_eq!(verdicts(&out, 0), [kept(COUNCIL), both.clone()]);
    assert_eq!(verdicts(&out, 1), [kept(RAIN), both]);
}

#[test]
fn drop_all_cannot_read_stdin_twice() {
    polyclean()
        .args([
            "run",
            "-",
            "-o",
            "-",
            "--dedup",
            "--dedup-paragraphs",
            "drop-all",
        ])
        .write_stdin("text\n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("stdin cannot be read twice"));
}

#[test]
fn the_same_article_with_other_boilerplate_is_a_duplicate_document() {
    let dir = tempfile::tempdir().expect("tmp");
    let first = record(
        "site-a/page",
        &[COUNCIL, "Subscribe to our newsletter", MAYOR],
    );
    let second = record(
        "site-b/page",
        &[
            "Advertisement",
            COUNCIL,
            MAYOR,
            "© 2024 The Valley Post. All rights reserved.",
        ],
    );
    fs::write(dir.path().join("in.jsonl"), first + &second).expect("write");
    run(dir.path(), &["in.jsonl"], "out.jsonl", &["--dedup"]);
    let out = lines(&dir.path().join("out.jsonl"));
    assert_eq!(out[0]["text"], format!("{COUNCIL}\n\n{MAYOR}"));
    let second = verdicts(&out, 1);
    assert_eq!(
        second[0].1.as_deref(),
        Some("ad"),
        "boilerplate keeps its reason"
    );
    assert_eq!(second[3].1.as_deref(), Some("legal"));
    let same = dropped("duplicate_document", "same text as site-a/page");
    assert_eq!(second[1..3], [same.clone(), same]);
    assert_eq!(out[1]["text"], "");
}

#[test]
fn an_edited_copy_is_a_near_duplicate_of_the_first() {
    let dir = tempfile::tempdir().expect("tmp");
    let original = article(1);
    let mut edited = original.clone();
    edited[2] = edited[2].replacen("on day", "during day", 1);
    let input = record("original", &strs(&original))
        + &record("other", &strs(&article(2)))
        + &record("edited", &strs(&edited));
    fs::write(dir.path().join("in.jsonl"), input).expect("write");
    run(
        dir.path(),
        &["in.jsonl"],
        "out.jsonl",
        &["--near-dup", "0.8"],
    );
    let out = lines(&dir.path().join("out.jsonl"));
    assert!(verdicts(&out, 0).iter().all(|v| v.0));
    assert!(
        verdicts(&out, 1).iter().all(|v| v.0),
        "an unrelated article stays"
    );
    for (kept, reason, evidence) in verdicts(&out, 2) {
        assert!(!kept);
        assert_eq!(reason.as_deref(), Some("near_duplicate"));
        let evidence = evidence.expect("evidence");
        assert!(
            evidence.starts_with("near duplicate of original: "),
            "{evidence}"
        );
        assert!(
            evidence.contains("/11 bands, estimated Jaccard 0."),
            "{evidence}"
        );
    }
}

#[test]
fn without_dedup_there_is_no_position_and_a_table_needs_dedup() {
    let dir = tempfile::tempdir().expect("tmp");
    fs::write(dir.path().join("in.jsonl"), record("a", &[COUNCIL])).expect("write");
    run(dir.path(), &["in.jsonl"], "out.jsonl", &[]);
    assert!(lines(&dir.path().join("out.jsonl"))[0]
        .get("position")
        .is_none());
    polyclean()
        .current_dir(dir.path())
        .args([
            "run",
            "in.jsonl",
            "-o",
            "o2.jsonl",
            "--dedup-table",
            "t.tab",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("add --dedup"));
    assert!(!dir.path().join("t.tab").exists());
}

/// Two shards with duplicates inside each and across them, in both directions of what a shard
/// alone would decide: `b1` repeats `a2`'s paragraph (a shard-B run alone keeps it), `b2` is
/// `a1` with other boilerplate, `b3` an edited copy of `a3`, `a4` and `b4` share a paragraph
/// seen once in each shard (drop-all drops both only when the counts are merged).
fn shards(dir: &Path) {
    let art = article(5);
    let mut edited = art.clone();
    edited[1] = edited[1].replacen("of the fair", "of the big fair", 1);
    let a = record("a1", &[COUNCIL, "Subscribe to our newsletter", MAYOR])
        + &record("a2", &[RAIN, FERRY])
        + &record("a3", &strs(&art))
        + &record("a4", &[MUSEUM, RAIN]);
    let b = record(
        "b1",
        &[
            FERRY,
            "Our correspondents in the valley will follow the story.",
        ],
    ) + &record("b2", &["Advertisement", COUNCIL, MAYOR])
        + &record("b3", &strs(&edited))
        + &record(
            "b4",
            &[
                "A second museum, of modern art, will open next spring near the station.",
                MUSEUM,
                MUSEUM,
            ],
        );
    fs::write(dir.join("a.jsonl"), a).expect("write");
    fs::write(dir.join("b.jsonl"), b).expect("write");
}

fn scale_out_equals_one_run(policy: &str) {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path();
    shards(d);
    let flags = ["--dedup", "--near-dup", "0.8", "--dedup-paragraphs", policy];
    run(d, &["a.jsonl", "b.jsonl"], "one.jsonl", &flags);
    // Map: each shard alone, numbered as in the whole input list.
    run(
        d,
        &["a.jsonl"],
        "s1.jsonl",
        &[&flags[..], &["--dedup-table", "s1.tab"]].concat(),
    );
    run(
        d,
        &["b.jsonl"],
        "s2.jsonl",
        &[
            &flags[..],
            &["--dedup-table", "s2.tab", "--input-index", "1"],
        ]
        .concat(),
    );
    // Shard B alone keeps b1's first paragraph, a copy of a2's: the merged table must drop it.
    assert!(verdicts(&lines(&d.join("s2.jsonl")), 0)[0].0);
    assert!(!verdicts(&lines(&d.join("one.jsonl")), 4)[0].0);
    // Merge (in the other order) and apply.
    polyclean()
        .current_dir(d)
        .args(["merge", "s2.tab", "s1.tab", "-o", "all.tab"])
        .assert()
        .success();
    for (shard, out) in [("s1.jsonl", "f1.jsonl"), ("s2.jsonl", "f2.jsonl")] {
        polyclean()
            .current_dir(d)
            .args([
                "dedup",
                "--table",
                "all.tab",
                "--dedup-paragraphs",
                policy,
                shard,
                "-o",
                out,
            ])
            .assert()
            .success();
    }
    let mut finals = fs::read(d.join("f1.jsonl")).expect("f1");
    finals.extend(fs::read(d.join("f2.jsonl")).expect("f2"));
    let one = fs::read(d.join("one.jsonl")).expect("one");
    assert_eq!(
        String::from_utf8_lossy(&finals),
        String::from_utf8_lossy(&one)
    );
    // The merged table is the one run's table too.
    run(
        d,
        &["a.jsonl", "b.jsonl"],
        "one2.jsonl",
        &[&flags[..], &["--dedup-table", "one.tab"]].concat(),
    );
    assert_eq!(
        fs::read(d.join("all.tab")).expect("all"),
        fs::read(d.join("one.tab")).expect("one")
    );
}

#[test]
fn two_shards_merged_and_applied_equal_one_run_keep_first() {
    scale_out_equals_one_run("keep-first");
}

#[test]
fn two_shards_merged_and_applied_equal_one_run_drop_all() {
    scale_out_equals_one_run("drop-all");
}

#[test]
fn the_one_run_of_the_shards_decides_as_expected() {
    let dir = tempfile::tempdir().expect("tmp");
    shards(dir.path());
    run(
        dir.path(),
        &["a.jsonl", "b.jsonl"],
        "one.jsonl",
        &["--dedup", "--near-dup", "0.8"],
    );
    let out = lines(&dir.path().join("one.jsonl"));
    assert_eq!(verdicts(&out, 4)[0], dropped("duplicate", "first in a2 ¶1"));
    assert_eq!(
        verdicts(&out, 5)[1],
        dropped("duplicate_document", "same text as a1")
    );
    assert_eq!(verdicts(&out, 6)[0].1.as_deref(), Some("near_duplicate"));
    let b4 = verdicts(&out, 7);
    assert!(b4[0].0);
    assert_eq!(b4[1], dropped("duplicate", "first in a4 ¶0"));
    assert_eq!(b4[2], dropped("duplicate", "first in a4 ¶0"));
}

#[test]
fn merge_refuses_other_settings_and_other_files() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path();
    shards(d);
    run(
        d,
        &["a.jsonl"],
        "s1.jsonl",
        &["--dedup", "--dedup-table", "s1.tab"],
    );
    run(
        d,
        &["b.jsonl"],
        "s2.jsonl",
        &["--dedup", "--near-dup", "0.8", "--dedup-table", "s2.tab"],
    );
    polyclean()
        .current_dir(d)
        .args(["merge", "s1.tab", "s2.tab", "-o", "all.tab"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("s2.tab: made with other settings"));
    polyclean()
        .current_dir(d)
        .args(["merge", "s1.tab", "a.jsonl", "-o", "all.tab"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "a.jsonl: not a polyclean table file",
        ));
    assert!(!d.join("all.tab").exists());
}

#[test]
fn apply_skips_records_without_a_position() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path();
    shards(d);
    run(
        d,
        &["a.jsonl"],
        "s1.jsonl",
        &["--dedup", "--dedup-table", "s1.tab"],
    );
    run(d, &["b.jsonl"], "plain.jsonl", &[]);
    polyclean()
        .current_dir(d)
        .args(["dedup", "--table", "s1.tab", "plain.jsonl", "-o", "f.jsonl"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "plain.jsonl:1: no `position` field",
        ));
}
