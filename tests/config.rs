//! `polyclean.toml`: found in the working directory or given with `--config`, flags over it,
//! `polyclean config --print`.

use std::fs;

use assert_cmd::Command;
use predicates::prelude::*;

fn polyclean() -> Command {
    Command::cargo_bin("polyclean").expect("binary")
}

const FR: &str =
    "Le conseil municipal a voté jeudi soir le budget de la ville pour l'année prochaine.";

/// A working directory with `in/a.txt` and a `polyclean.toml` of `config`.
fn workdir(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tmp");
    fs::create_dir(dir.path().join("in")).expect("mkdir");
    fs::write(dir.path().join("in/a.txt"), format!("{FR}\n\nPublicité\n")).expect("write");
    fs::write(dir.path().join("polyclean.toml"), config).expect("write config");
    dir
}

#[test]
fn polyclean_toml_in_the_working_directory_drives_a_bare_run() {
    let dir = workdir("inputs = [\"in\"]\noutput = \"out.jsonl\"\nquiet = true\n");
    polyclean()
        .current_dir(dir.path())
        .arg("run")
        .assert()
        .success()
        .stderr("");
    let out = fs::read_to_string(dir.path().join("out.jsonl")).expect("output");
    let doc: serde_json::Value = serde_json::from_str(out.trim()).expect("one JSON line");
    assert_eq!(doc["text"], FR, "the ad is dropped: {out}");
}

#[test]
fn flags_override_the_file() {
    let dir = workdir("inputs = [\"in\"]\noutput = \"from-file.jsonl\"\nquiet = true\n");
    polyclean()
        .current_dir(dir.path())
        .args(["run", "-o", "from-flag.jsonl"])
        .assert()
        .success();
    assert!(dir.path().join("from-flag.jsonl").exists());
    assert!(!dir.path().join("from-file.jsonl").exists());
}

#[test]
fn paths_in_a_config_elsewhere_are_relative_to_that_file() {
    let dir = workdir("inputs = [\"in\"]\noutput = \"out.jsonl\"\nquiet = true\n");
    let elsewhere = tempfile::tempdir().expect("tmp");
    polyclean()
        .current_dir(elsewhere.path())
        .arg("run")
        .arg("--config")
        .arg(dir.path().join("polyclean.toml"))
        .assert()
        .success();
    assert!(dir.path().join("out.jsonl").exists());
}

#[test]
fn config_print_shows_file_flags_and_defaults_as_valid_toml() {
    let dir = workdir("inputs = [\"in\"]\nrepeated = 2\nkeep_langs = [\"fr\"]\n");
    let out = polyclean()
        .current_dir(dir.path())
        .args([
            "config",
            "--print",
            "--repeated",
            "5",
            "--text-field",
            "body",
        ])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let printed: toml::Table = toml::from_str(&text).expect("valid TOML");
    assert_eq!(
        printed["repeated"].as_integer(),
        Some(5),
        "flag wins: {text}"
    );
    assert_eq!(printed["text_field"].as_str(), Some("body"));
    assert_eq!(
        printed["keep_langs"][0].as_str(),
        Some("fr"),
        "from the file"
    );
    assert_eq!(
        printed["id_field"].as_str(),
        Some("id"),
        "default filled in"
    );
}

#[test]
fn unknown_top_level_key_is_an_error_naming_it() {
    let dir = workdir("inputs = [\"in\"]\nouptut = \"x.jsonl\"\n");
    polyclean()
        .current_dir(dir.path())
        .arg("run")
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("polyclean.toml: invalid configuration")
                .and(predicate::str::contains("ouptut"))
                .and(predicate::str::contains("rule file").not()),
        );
}

#[test]
fn no_inputs_anywhere_is_a_usage_error_saying_what_to_do() {
    let dir = tempfile::tempdir().expect("tmp");
    polyclean()
        .current_dir(dir.path())
        .args(["run", "-o", "out.jsonl"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no inputs"));
    assert!(!dir.path().join("out.jsonl").exists());
}
