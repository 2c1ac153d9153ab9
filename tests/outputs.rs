//! Outputs end to end: compression, one file per language, CSV formula neutralisation, the
//! output lock (exit 4), stale temporary files, output directories that cannot be used.

use std::fs::{self, File};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

const FR: &str =
    "Le conseil municipal a voté jeudi soir le budget de la ville pour l'année prochaine.";
const EN: &str =
    "The city council approved next year's budget on Thursday evening after a long debate.";

fn polyclean() -> Command {
    Command::cargo_bin("polyclean").expect("binary")
}

/// A temporary directory with `in/` holding a French, an English and an undecidable
/// (formula-like) document, plus a French page with an ad.
fn corpus() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tmp");
    let input = dir.path().join("in");
    fs::create_dir(&input).expect("mkdir");
    fs::write(input.join("a_fr.txt"), format!("{FR}\n\nPublicité\n")).expect("write");
    fs::write(input.join("b_en.txt"), format!("{EN}\n")).expect("write");
    fs::write(input.join("c_formula.txt"), "=1+2\n\n-3\n").expect("write");
    fs::write(input.join("d_fr.txt"), format!("{FR}\n")).expect("write");
    (dir, input)
}

fn run(input: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    polyclean()
        .arg("run")
        .arg(input)
        .args(args)
        .arg("-q")
        .assert()
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .expect("valid gzip");
    out
}

fn unzstd(bytes: &[u8]) -> Vec<u8> {
    zstd::decode_all(bytes).expect("valid zstd")
}

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("ls")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn ids(jsonl: &str) -> Vec<String> {
    jsonl
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("JSON line");
            v["id"].as_str().expect("id").to_string()
        })
        .collect()
}

#[test]
fn compressed_outputs_hold_the_bytes_of_an_uncompressed_run() {
    let (dir, input) = corpus();
    let out = |name: &str| dir.path().join(name).display().to_string();
    for plain in ["out.jsonl", "out.csv"] {
        run(
            &input,
            &["-o", &out(plain), "--rejected", &out("rej.jsonl")],
        )
        .code(0);
        let expected = fs::read(out(plain)).expect("plain output");
        let rejected = fs::read(out("rej.jsonl")).expect("plain rejected");
        assert!(!expected.is_empty() && !rejected.is_empty());
        for (suffix, decode) in [(".gz", gunzip as fn(&[u8]) -> Vec<u8>), (".zst", unzstd)] {
            let packed = format!("{plain}{suffix}");
            let packed_rejected = format!("rej.jsonl{suffix}");
            run(
                &input,
                &["-o", &out(&packed), "--rejected", &out(&packed_rejected)],
            )
            .code(0);
            let bytes = fs::read(out(&packed)).expect("compressed output");
            assert_ne!(bytes, expected, "{packed} is not compressed");
            assert_eq!(decode(&bytes), expected, "{packed}");
            let bytes = fs::read(out(&packed_rejected)).expect("compressed rejected");
            assert_eq!(decode(&bytes), rejected, "{packed_rejected}");
        }
    }
    // The format is read under the compression suffix: .csv.gz is CSV.
    let csv = String::from_utf8(gunzip(&fs::read(out("out.csv.gz")).expect("read"))).expect("utf8");
    assert!(csv.starts_with("doc_id,index,lang,"), "{csv}");
}

#[test]
fn split_by_lang_writes_one_file_per_document_language() {
    let (dir, input) = corpus();
    let split = dir.path().join("by-lang");
    run(&input, &["--split-by-lang", split.to_str().expect("utf8")]).code(0);
    // Created, holding only the languages present: no empty files, no lock or temporaries left.
    assert_eq!(names(&split), ["en.jsonl", "fr.jsonl", "und.jsonl"]);
    let read = |name: &str| fs::read_to_string(split.join(name)).expect("read");
    assert_eq!(ids(&read("fr.jsonl")), ["a_fr", "d_fr"]);
    assert_eq!(ids(&read("en.jsonl")), ["b_en"]);
    assert_eq!(ids(&read("und.jsonl")), ["c_formula"]);
    let und: Value = serde_json::from_str(read("und.jsonl").trim()).expect("json");
    assert_eq!(und["lang"], Value::Null);
}

#[test]
fn split_format_sets_layout_and_compression() {
    let (dir, input) = corpus();
    let split = dir.path().join("by-lang");
    let split = split.to_str().expect("utf8");
    run(
        &input,
        &["--split-by-lang", split, "--split-format", "csv.zst"],
    )
    .code(0);
    assert_eq!(
        names(Path::new(split)),
        ["en.csv.zst", "fr.csv.zst", "und.csv.zst"]
    );
    let fr = unzstd(&fs::read(Path::new(split).join("fr.csv.zst")).expect("read"));
    let fr = String::from_utf8(fr).expect("utf8");
    assert!(
        fr.starts_with("doc_id,index,lang,confidence,kept,reason,text\r\n"),
        "{fr}"
    );
    assert!(
        fr.contains("a_fr,1,fr,") && fr.contains(",false,ad,Publicité"),
        "{fr}"
    );
}

#[test]
fn split_by_lang_does_not_read_its_own_files_back() {
    let (_dir, input) = corpus();
    let split = input.join("by-lang");
    let split = split.to_str().expect("utf8");
    run(&input, &["--split-by-lang", split]).code(0);
    run(&input, &["--split-by-lang", split]).code(0);
    let fr = fs::read_to_string(Path::new(split).join("fr.jsonl")).expect("read");
    assert_eq!(ids(&fr), ["a_fr", "d_fr"]);
}

#[test]
fn split_by_lang_needs_the_parent_of_its_directory() {
    let (dir, input) = corpus();
    let split = dir.path().join("missing/by-lang");
    polyclean()
        .arg("run")
        .arg(&input)
        .arg("--split-by-lang")
        .arg(&split)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "directory {} does not exist",
            dir.path().join("missing").display()
        )));
    assert!(!dir.path().join("missing").exists());
}

#[test]
fn exactly_one_of_output_and_split_by_lang() {
    let (dir, input) = corpus();
    polyclean().arg("run").arg(&input).assert().code(2);
    polyclean()
        .arg("run")
        .arg(&input)
        .arg("-o")
        .arg(dir.path().join("out.jsonl"))
        .arg("--split-by-lang")
        .arg(dir.path().join("by"))
        .assert()
        .code(2);
    assert_eq!(names(dir.path()), ["in"]);
}

#[test]
fn csv_formulas_are_kept_by_default_and_neutralized_on_request() {
    let (dir, input) = corpus();
    let out = dir.path().join("out.csv");
    run(&input, &["-o", out.to_str().expect("utf8")]).code(0);
    let csv = fs::read_to_string(&out).expect("read");
    assert!(
        csv.contains(",=1+2\r\n") && csv.contains(",-3\r\n"),
        "{csv}"
    );
    run(
        &input,
        &[
            "-o",
            out.to_str().expect("utf8"),
            "--csv-neutralize-formulas",
        ],
    )
    .code(0);
    let csv = fs::read_to_string(&out).expect("read");
    assert!(
        csv.contains(",'=1+2\r\n") && csv.contains(",'-3\r\n"),
        "{csv}"
    );
    assert!(
        csv.contains(&format!(",{FR}\r\n")),
        "other cells unchanged: {csv}"
    );
}

#[test]
fn an_output_locked_by_a_live_run_exits_4_and_names_the_holder() {
    let (dir, input) = corpus();
    let out = dir.path().join("out.jsonl");
    // This test process plays the live run: it holds the lock while the binary starts.
    let mut lock = File::create(dir.path().join("out.jsonl.lock")).expect("lock file");
    lock.try_lock().expect("lock");
    let pid = std::process::id();
    write!(lock, "pid {pid}\nstarted 2030-01-02T03:04:05Z\n").expect("write holder");
    polyclean()
        .arg("run")
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(4)
        .stderr(predicate::str::contains(format!(
            "{} is being written by another polyclean run (pid {pid}, started 2030-01-02T03:04:05Z",
            out.display()
        )))
        .stderr(predicate::str::contains("wait for that run to finish"));
    assert!(!out.exists());
    assert_eq!(
        names(dir.path()),
        ["in", "out.jsonl.lock"],
        "no temporary file"
    );
    drop(lock);
}

#[test]
fn a_locked_split_directory_exits_4() {
    let (dir, input) = corpus();
    let split = dir.path().join("by-lang");
    fs::create_dir(&split).expect("mkdir");
    let lock = File::create(split.join(".polyclean.lock")).expect("lock file");
    lock.try_lock().expect("lock");
    polyclean()
        .arg("run")
        .arg(&input)
        .arg("--split-by-lang")
        .arg(&split)
        .assert()
        .code(4)
        .stderr(predicate::str::contains("pid unknown"));
    assert_eq!(names(&split), [".polyclean.lock"]);
}

#[test]
fn a_lock_file_left_by_a_dead_run_is_taken_over() {
    let (dir, input) = corpus();
    let out = dir.path().join("out.jsonl");
    let lock = dir.path().join("out.jsonl.lock");
    fs::write(&lock, "pid 999999\nstarted 2001-01-01T00:00:00Z\n").expect("stale lock");
    polyclean()
        .arg("run")
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(0)
        .stderr(predicate::str::contains("taking over the lock"))
        .stderr(predicate::str::contains("pid 999999"));
    assert_eq!(ids(&fs::read_to_string(&out).expect("output")).len(), 4);
    assert!(!lock.exists(), "the lock file is removed on release");
}

#[test]
fn temporary_files_of_a_killed_run_are_removed_by_the_next_run() {
    let (dir, input) = corpus();
    let out = dir.path().join("out.jsonl");
    let stale = dir.path().join(".out.jsonl.polyclean-Ab12Cd.tmp");
    let other = dir.path().join(".other.jsonl.polyclean-Ab12Cd.tmp");
    fs::write(&stale, "{\"id\": \"half a li").expect("stale temp");
    fs::write(&other, "another output's").expect("other temp");
    polyclean()
        .arg("run")
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(0)
        .stderr(predicate::str::contains(format!(
            "removed {}, left by an interrupted run",
            stale.display()
        )));
    assert!(!stale.exists());
    assert!(other.exists(), "only this output's temporaries are removed");
    assert_eq!(
        names(dir.path()),
        [".other.jsonl.polyclean-Ab12Cd.tmp", "in", "out.jsonl"]
    );
}

#[test]
fn a_missing_output_directory_is_named_and_nothing_is_written() {
    let (dir, input) = corpus();
    let missing = dir.path().join("no-such-dir");
    polyclean()
        .arg("run")
        .arg(&input)
        .arg("-o")
        .arg(missing.join("out.jsonl"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "directory {} does not exist; create it first",
            missing.display()
        )));
    assert_eq!(names(dir.path()), ["in"]);
}

/// Root ignores permission bits, but sysfs refuses new files even to root: a genuinely
/// unwritable directory on Linux.
#[test]
fn an_unwritable_output_directory_is_named() {
    let probe = Path::new("/sys/polyclean-probe");
    if !Path::new("/sys/kernel").is_dir() || File::create(probe).is_ok() {
        eprintln!("no unwritable /sys here; skipping");
        return;
    }
    let (_dir, input) = corpus();
    polyclean()
        .arg("run")
        .arg(&input)
        .arg("-o")
        .arg("/sys/out.jsonl")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cannot write in directory /sys ("))
        .stderr(predicate::str::contains("check its permissions"));
}
