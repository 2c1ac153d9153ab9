//! The `polyclean run` command end to end: inputs, outputs, exit codes, bad input.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn polyclean() -> Command {
    Command::cargo_bin("polyclean").expect("binary")
}

/// A temporary directory holding one input file `name` with `contents`.
fn input_file(name: &str, contents: impl AsRef<[u8]>) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tmp");
    let input = dir.path().join(name);
    fs::write(&input, contents).expect("write input");
    (dir, input)
}

/// `polyclean run -o OUT INPUT`, asserted on by the caller.
fn run_to(out: &Path, input: &Path) -> assert_cmd::assert::Assert {
    polyclean().args(["run", "-o"]).arg(out).arg(input).assert()
}

fn read_jsonl(path: &Path) -> Vec<Value> {
    fs::read_to_string(path)
        .expect("output exists")
        .lines()
        .map(|l| serde_json::from_str(l).expect("valid JSON line"))
        .collect()
}

const FR: &str =
    "Le conseil municipal a voté jeudi soir le budget de la ville pour l'année prochaine.";
const EN: &str =
    "The city council approved next year's budget on Thursday evening after a long debate.";
const ES: &str = "El ayuntamiento aprobó el jueves por la noche el presupuesto de la ciudad para el próximo año.";

#[test]
fn jsonl_records_keep_ids_and_meta_in_order() {
    let dir = tempfile::tempdir().expect("tmp");
    let input = dir.path().join("in.jsonl");
    let lines = [
        serde_json::json!({"id": "a", "text": format!("{FR}\n\nPublicité"), "url": "https://x.fr/a"}),
        serde_json::json!({"text": EN, "score": 3}),
        serde_json::json!({"id": 7, "text": ES}),
    ];
    let body: String = lines.iter().map(|l| format!("{l}\n")).collect();
    fs::write(&input, body).expect("write");
    let out = dir.path().join("out.jsonl");
    run_to(&out, &input).code(0);
    let docs = read_jsonl(&out);
    assert_eq!(docs.len(), 3);
    assert_eq!(docs[0]["id"], "a");
    assert_eq!(docs[0]["meta"]["url"], "https://x.fr/a");
    assert_eq!(docs[0]["text"], FR);
    assert_eq!(docs[0]["lang"], "fr");
    assert_eq!(docs[1]["id"], format!("{}:2", input.display()));
    assert_eq!(docs[1]["meta"]["score"], 3);
    assert_eq!(docs[1]["lang"], "en");
    assert_eq!(docs[2]["id"], "7");
    assert_eq!(docs[2]["lang"], "es");
    assert!(docs[2].get("meta").is_none());
}

#[test]
fn custom_text_and_id_fields() {
    let (_dir, input) = input_file(
        "in.jsonl",
        serde_json::json!({"uid": "u1", "body": EN}).to_string(),
    );
    polyclean()
        .args([
            "run",
            "--text-field",
            "body",
            "--id-field",
            "uid",
            "-o",
            "-",
            "--quiet",
        ])
        .arg(&input)
        .assert()
        .success()
        .stdout(predicate::str::contains(r#""id":"u1""#));
}

#[test]
fn malformed_jsonl_records_are_reported_and_skipped() {
    let dir = tempfile::tempdir().expect("tmp");
    let input = dir.path().join("in.jsonl");
    let body = format!(
        "{}\n{{not json\n{}\n[1,2]\n{}\n",
        serde_json::json!({"id": "ok1", "text": FR}),
        serde_json::json!({"id": "num", "text": 42}),
        serde_json::json!({"id": "ok2", "text": EN}),
    );
    fs::write(&input, body).expect("write");
    let out = dir.path().join("out.jsonl");
    let name = input.display().to_string();
    run_to(&out, &input)
        .code(3)
        .stderr(predicate::str::contains(format!(
            "{name}:2: not valid JSON"
        )))
        .stderr(predicate::str::contains(format!(
            "{name}:3: field `text` is a number"
        )))
        .stderr(predicate::str::contains("--text-field"))
        .stderr(predicate::str::contains(format!(
            "{name}:4: expected a JSON object"
        )));
    let ids: Vec<Value> = read_jsonl(&out)
        .into_iter()
        .map(|d| d["id"].clone())
        .collect();
    assert_eq!(ids, ["ok1", "ok2"]);
}

#[test]
fn csv_input_with_header_and_meta() {
    let (dir, input) = input_file(
        "in.csv",
        format!("id,lang_hint,text\nr1,fr,\"{FR}\"\nr2,en,\"{EN}\n\nShare this article\"\n"),
    );
    let out = dir.path().join("out.jsonl");
    run_to(&out, &input).code(0);
    let docs = read_jsonl(&out);
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0]["id"], "r1");
    assert_eq!(docs[0]["meta"]["lang_hint"], "fr");
    assert_eq!(docs[1]["text"], EN);
}

#[test]
fn malformed_csv_record_is_reported_with_its_line() {
    let (dir, input) = input_file(
        "in.csv",
        format!("id,text\nr1,\"{FR}\"\nr2,too,many,fields\nr3,\"{EN}\"\n"),
    );
    let out = dir.path().join("out.jsonl");
    run_to(&out, &input)
        .code(3)
        .stderr(predicate::str::contains(format!(
            "{}:3: malformed CSV record",
            input.display()
        )));
    assert_eq!(read_jsonl(&out).len(), 2);
}

#[test]
fn csv_without_the_text_column_names_the_columns() {
    let (_dir, input) = input_file("in.csv", "id,body\nr1,hello\n");
    polyclean()
        .args(["run", "-o", "-"])
        .arg(&input)
        .assert()
        .code(3)
        .stderr(
            predicate::str::contains("no column `text`").and(predicate::str::contains("id, body")),
        );
}

#[test]
fn csv_output_is_one_row_per_paragraph() {
    let (dir, input) = input_file(
        "doc.txt",
        format!("{FR}\n\nPublicité\n\nIl a dit : « oui, \"vraiment\" ».\n"),
    );
    let out = dir.path().join("out.csv");
    run_to(&out, &input).code(0);
    let mut reader = csv::Reader::from_path(&out).expect("csv");
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    assert_eq!(
        header,
        [
            "doc_id",
            "index",
            "lang",
            "confidence",
            "kept",
            "reason",
            "text"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(&rows[1][0], "doc");
    assert_eq!((&rows[1][4], &rows[1][5]), ("false", "ad"));
    assert_eq!(&rows[2][6], "Il a dit : « oui, \"vraiment\" ».");
}

#[test]
fn format_flag_overrides_the_extension() {
    polyclean()
        .args([
            "run",
            "fixtures/003_bef628bb8dccbd9d.txt",
            "-o",
            "-",
            "--format",
            "csv",
            "--quiet",
        ])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "doc_id,index,lang,confidence,kept,reason,text",
        ));
}

#[test]
fn stdin_text_and_stdin_jsonl() {
    polyclean()
        .args(["run", "-", "-o", "-", "--quiet"])
        .write_stdin(format!("{EN}\n\nAdvertisement\n"))
        .assert()
        .success()
        .stdout(
            predicate::str::contains(r#""id":"stdin""#)
                .and(predicate::str::contains(r#""reason":"ad""#)),
        );
    polyclean()
        .args(["run", "-", "-o", "-", "--quiet"])
        .write_stdin(format!("{}\n", serde_json::json!({"id": "s1", "text": ES})))
        .assert()
        .success()
        .stdout(
            predicate::str::contains(r#""id":"s1""#)
                .and(predicate::str::contains(r#""lang":"es""#)),
        );
}

#[test]
fn rejected_file_holds_every_dropped_paragraph() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("out.jsonl");
    let rejected = dir.path().join("rejected.jsonl");
    polyclean()
        .args(["run", "fixtures", "--quiet", "-o"])
        .arg(&out)
        .arg("--rejected")
        .arg(&rejected)
        .assert()
        .success();
    let dropped_in_output: usize = read_jsonl(&out)
        .iter()
        .map(|d| {
            d["paragraphs"]
                .as_array()
                .expect("ps")
                .iter()
                .filter(|p| p["kept"] == false)
                .count()
        })
        .sum();
    let rejected = read_jsonl(&rejected);
    assert_eq!(rejected.len(), dropped_in_output);
    assert!(dropped_in_output > 10);
    for r in &rejected {
        for field in ["doc_id", "index", "reason", "evidence", "text"] {
            assert!(!r[field].is_null(), "{field} missing in {r}");
        }
    }
}

#[test]
fn output_bytes_do_not_depend_on_threads() {
    let dir = tempfile::tempdir().expect("tmp");
    let input = dir.path().join("many.jsonl");
    let body: String = (0..300)
        .map(|i| {
            let text = [FR, EN, ES][i % 3];
            format!(
                "{}\n",
                serde_json::json!({"id": i, "text": format!("{text}\n\nPublicité\n\n{text} {i}")})
            )
        })
        .collect();
    fs::write(&input, body).expect("write");
    let run = |threads: &str, out: &Path| {
        polyclean()
            .args([
                "run",
                "fixtures",
                "--batch-size",
                "7",
                "--quiet",
                "--threads",
                threads,
                "-o",
            ])
            .arg(out)
            .arg(&input)
            .assert()
            .success();
        fs::read(out).expect("output")
    };
    let one = run("1", &dir.path().join("one.jsonl"));
    let eight = run("8", &dir.path().join("eight.jsonl"));
    assert!(one == eight, "outputs differ between 1 and 8 threads");
    assert_eq!(one.iter().filter(|&&b| b == b'\n').count(), 304);
}

#[test]
fn directories_are_walked_in_path_order() {
    let dir = tempfile::tempdir().expect("tmp");
    fs::create_dir_all(dir.path().join("b/sub")).expect("mkdir");
    fs::write(dir.path().join("b/sub/z.txt"), EN).expect("write");
    fs::write(dir.path().join("b/a.md"), FR).expect("write");
    fs::write(dir.path().join("c.txt"), ES).expect("write");
    let out = polyclean()
        .arg("run")
        .arg(dir.path())
        .args(["-o", "-", "--quiet"])
        .assert()
        .success();
    let ids: Vec<String> = String::from_utf8_lossy(&out.get_output().stdout)
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).expect("json")["id"]
                .as_str()
                .expect("id")
                .to_string()
        })
        .collect();
    assert_eq!(ids, ["a", "z", "c"]);
}

#[test]
fn legacy_encoding_is_decoded_with_a_warning_naming_the_file() {
    let (_dir, input) = input_file("latin.txt", b"Le pr\xe9sident a d\xe9clar\xe9 mardi que le budget de l'\xe9t\xe9 serait vot\xe9 tr\xe8s vite.");
    polyclean()
        .args(["run", "-o", "-"])
        .arg(&input)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Le président a déclaré"))
        .stderr(predicate::str::contains(format!(
            "warning: {}: not valid UTF-8; decoded as windows-1252",
            input.display()
        )));
}

#[test]
fn empty_and_binary_files_are_skipped_with_a_warning() {
    let dir = tempfile::tempdir().expect("tmp");
    fs::write(dir.path().join("empty.txt"), "").expect("write");
    fs::write(
        dir.path().join("image.png"),
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
    )
    .expect("write");
    fs::write(dir.path().join("ok.txt"), EN).expect("write");
    let out = dir.path().join("out").with_extension("jsonl");
    polyclean()
        .arg("run")
        .arg(dir.path())
        .arg("-o")
        .arg(&out)
        .assert()
        .code(3)
        .stderr(predicate::str::contains("empty.txt: empty input; skipped"))
        .stderr(predicate::str::contains("image.png: binary content"));
    assert_eq!(read_jsonl(&out).len(), 1);
}

#[test]
fn missing_input_is_reported_and_the_rest_is_processed() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("out.jsonl");
    polyclean()
        .args([
            "run",
            "fixtures/003_bef628bb8dccbd9d.txt",
            "no/such/file.txt",
            "-o",
        ])
        .arg(&out)
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "no/such/file.txt: no such file or directory",
        ));
    assert_eq!(read_jsonl(&out).len(), 1);
}

#[test]
fn usage_errors_exit_2() {
    polyclean()
        .args(["run", "fixtures", "-o", "-", "--no-such-flag"])
        .assert()
        .code(2);
    polyclean().args(["run", "fixtures"]).assert().code(2);
    polyclean()
        .args(["run", "fixtures", "-o", "-", "--langs", "fr,klingon"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown language `klingon`"));
}

#[test]
fn unwritable_output_is_fatal_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("no/such/dir/out.jsonl");
    polyclean()
        .args(["run", "fixtures", "-o"])
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cannot create"));
    assert!(!out.exists());
}

#[test]
fn output_is_written_atomically_and_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("out.jsonl");
    polyclean()
        .args(["run", "fixtures", "--quiet", "-o"])
        .arg(&out)
        .assert()
        .success();
    let names: Vec<String> = fs::read_dir(dir.path())
        .expect("ls")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["out.jsonl"]);
}

#[test]
fn summary_goes_to_stderr() {
    polyclean()
        .args(["run", "fixtures", "-o", "-"])
        .assert()
        .success()
        .stderr(predicate::str::contains("4 documents").and(predicate::str::contains("dropped: ")))
        .stderr(predicate::str::contains("document languages: en 1, fr 3"))
        .stderr(predicate::str::contains("MB/s"));
}

#[test]
fn langs_restricts_candidates() {
    polyclean()
        .args(["run", "-", "-o", "-", "--quiet", "--langs", "fra,en"])
        .write_stdin(ES)
        .assert()
        .success()
        .stdout(predicate::str::contains(r#""lang":"es""#).not());
}

#[test]
fn user_rules_extend_the_built_in_ones() {
    let dir = tempfile::tempdir().expect("tmp");
    let rules = dir.path().join("mine.toml");
    fs::write(
        &rules,
        "lang = \"fr\"\n[[rule]]\nreason = \"ad\"\nmatch = \"whole\"\nphrases = [\"offre du jour\"]\nnote = \"shop banner\"\n",
    )
    .expect("write");
    polyclean()
        .args(["run", "-", "-o", "-", "--quiet", "--rules"])
        .arg(&rules)
        .write_stdin(format!("{FR}\n\nOffre du jour !\n"))
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "mine.toml: whole \\\"offre du jour\\\"",
        ));
    fs::write(&rules, "lang = \"fr\"\nbogus = 1\n").expect("write");
    polyclean()
        .args(["run", "fixtures", "-o", "-", "--rules"])
        .arg(&rules)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("mine.toml").and(predicate::str::contains("bogus")));
}

#[test]
fn rules_command_lists_every_reason() {
    let assert = polyclean().arg("rules").assert().success();
    let out = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    for reason in polyclean::Reason::ALL {
        assert!(out.contains(reason.as_str()), "{reason} missing");
    }
}

#[test]
fn explain_shows_every_paragraph_with_its_verdict_and_evidence() {
    let assert = polyclean()
        .args(["explain", "fixtures/000_707d7b5693acaa4b.txt", "--quiet"])
        .assert()
        .success();
    let out = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert!(out.starts_with("== 000_707d7b5693acaa4b (fr)"), "{out}");
    assert!(
        !out.contains('\x1b'),
        "no colours when stdout is not a terminal"
    );
    let verdicts = out
        .lines()
        .filter(|l| l.starts_with("KEEP") || l.starts_with("DROP"))
        .count();
    assert_eq!(verdicts, 11, "one line per paragraph:\n{out}");
    assert!(
        out.contains("ad: rules/fr.toml: whole \"publicité\""),
        "{out}"
    );
    assert!(out.contains("comment_form: rules/fr.toml"), "{out}");
}

#[test]
fn explain_colours_on_request() {
    polyclean()
        .args(["explain", "-", "--colour", "always", "--quiet"])
        .write_stdin(format!("{FR}\n\nPublicité\n"))
        .assert()
        .success()
        .stdout(predicate::str::contains("\x1b[31mDROP"));
}

#[test]
fn config_file_adds_rules_disables_rules_and_sets_the_classifier() {
    let dir = tempfile::tempdir().expect("tmp");
    let config = dir.path().join("polyclean.toml");
    fs::write(
        &config,
        "disable = [\"fr.ad.1\"]\n\n[classifier]\nenabled = false\n\n[[rule]]\nlang = \"fr\"\nreason = \"newsletter\"\nmatch = \"whole\"\nphrases = [\"la lettre du matin\"]\nnote = \"our newsletter box\"\n",
    )
    .expect("write");
    let out = polyclean()
        .args(["run", "-", "-o", "-", "--quiet", "--config"])
        .arg(&config)
        .write_stdin(format!("{FR}\n\nPublicité\n\nLa lettre du matin\n"))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let doc: Value = serde_json::from_slice(&out).expect("json");
    let ps = doc["paragraphs"].as_array().expect("paragraphs");
    // `Publicité` is no longer dropped by fr.ad.1 (other lexicons may still know the word).
    assert!(
        ps[1]["evidence"]
            .as_str()
            .is_none_or(|e| !e.contains("[fr.ad.1]")),
        "{}",
        ps[1]
    );
    assert_eq!(ps[2]["reason"], "newsletter");
    assert!(
        ps[2]["evidence"]
            .as_str()
            .expect("evidence")
            .contains("polyclean.toml"),
        "{}",
        ps[2]
    );
}

#[test]
fn config_errors_name_the_file_line_and_key() {
    let dir = tempfile::tempdir().expect("tmp");
    let config = dir.path().join("bad.toml");
    fs::write(&config, "disable = []\n[classifier]\nbais = 1.0\n").expect("write");
    polyclean()
        .args(["run", "fixtures", "-o", "-", "--config"])
        .arg(&config)
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("bad.toml")
                .and(predicate::str::contains("line 3"))
                .and(predicate::str::contains("bais")),
        );
}

#[test]
fn rules_command_lists_ids() {
    polyclean().arg("rules").assert().success().stdout(
        predicate::str::contains("fr.ad.1").and(predicate::str::contains("common.captcha.1")),
    );
}

#[test]
fn paragraphs_repeated_across_documents_are_dropped_with_their_count() {
    let dir = tempfile::tempdir().expect("tmp");
    let sentences = [
        FR,
        EN,
        ES,
        "Der Stadtrat hat am Donnerstag den Haushalt für das kommende Jahr beschlossen.",
    ];
    for (i, s) in sentences.iter().enumerate() {
        fs::write(
            dir.path().join(format!("page{i}.txt")),
            format!("{s}\n\nMentions légales et plan du site\n"),
        )
        .expect("write");
    }
    let run = |repeated: &str| -> Vec<Value> {
        let out = polyclean()
            .arg("run")
            .arg(dir.path())
            .args(["-o", "-", "--quiet", "--repeated", repeated])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        String::from_utf8_lossy(&out)
            .lines()
            .map(|l| serde_json::from_str(l).expect("json"))
            .collect()
    };
    for doc in run("3") {
        let footer = &doc["paragraphs"][1];
        assert_eq!(footer["reason"], "repeated", "{footer}");
        assert_eq!(
            footer["evidence"],
            "occurs in 4 documents of this run (threshold 3)"
        );
        assert_eq!(doc["paragraphs"][0]["kept"], true);
    }
    for doc in run("0") {
        assert_eq!(doc["paragraphs"][1]["kept"], true);
    }
    polyclean()
        .args(["run", "-", "-o", "-", "--quiet"])
        .write_stdin(EN)
        .assert()
        .success()
        .stderr(predicate::str::contains("stdin cannot be read twice"));
}
