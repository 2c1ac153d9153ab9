//! Bad inputs end to end: each is reported naming the file (and line or record), the other
//! inputs are still read, the exit code is 3 and the output is complete. Complements
//! tests/cli.rs (invalid JSON, numeric text, bad CSV, empty/binary/missing files).

use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

const EN: &str =
    "The city council approved next year's budget on Thursday evening after a long debate.";
const FR: &str =
    "Le conseil municipal a voté jeudi soir le budget de la ville pour l'année prochaine.";

fn polyclean() -> Command {
    Command::cargo_bin("polyclean").expect("binary")
}

/// `polyclean run --repeated 0 -o OUT INPUTS…` (one pass over the inputs keeps tests fast).
fn run(out: &Path, inputs: &[&Path]) -> assert_cmd::assert::Assert {
    polyclean()
        .args(["run", "--repeated", "0", "-o"])
        .arg(out)
        .args(inputs)
        .assert()
}

/// A temporary directory with `ok.txt` (English text), whose document id is `ok`.
fn dir_with_ok() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tmp");
    let ok = dir.path().join("ok.txt");
    fs::write(&ok, EN).expect("write");
    (dir, ok)
}

fn ids(path: &Path) -> Vec<String> {
    fs::read_to_string(path)
        .expect("output exists")
        .lines()
        .map(|l| {
            let doc: Value = serde_json::from_str(l).expect("complete JSON line");
            doc["id"].as_str().unwrap_or("").to_string()
        })
        .collect()
}

fn record(id: &str, text: &str) -> String {
    format!("{}\n", serde_json::json!({"id": id, "text": text}))
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).expect("in memory");
    enc.finish().expect("in memory")
}

#[test]
fn truncated_gzip_keeps_the_records_before_the_cut() {
    let (dir, ok) = dir_with_ok();
    // Distinct texts so that gzip cannot shrink them to nothing: the cut lands mid-file.
    let body: String = (0..400)
        .map(|i| {
            record(
                &format!("r{i}"),
                &format!("{EN} Item {i}, {}.", i * 7919 % 1000),
            )
        })
        .collect();
    let whole = gzip(body.as_bytes());
    let input = dir.path().join("cut.jsonl.gz");
    fs::write(&input, &whole[..whole.len() / 2]).expect("write");
    let text = dir.path().join("cut.txt.gz");
    fs::write(&text, &gzip(EN.repeat(50).as_bytes())[..40]).expect("write");
    let out = dir.path().join("out.jsonl");
    let name = input.display().to_string();
    let assert = run(&out, &[&input, &text, &ok]).code(3).stderr(
        predicate::str::is_match(format!(
            r"{}:\d+: cannot read: gzip data is truncated or corrupt .*; rest of the file skipped",
            regex_escape(&name)
        ))
        .expect("regex"),
    );
    assert.stderr(predicate::str::contains(format!(
        "{}: cannot read: gzip data is truncated or corrupt",
        text.display()
    )));
    let got = ids(&out);
    assert_eq!(got.last().map(String::as_str), Some("ok"));
    let kept = &got[..got.len() - 1];
    assert!(
        !kept.is_empty() && kept.len() < 400,
        "{} records kept",
        kept.len()
    );
    let expected: Vec<String> = (0..kept.len()).map(|i| format!("r{i}")).collect();
    assert_eq!(kept, expected);
}

fn regex_escape(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '/' || c == '_' {
                c.to_string()
            } else {
                format!("\\{c}")
            }
        })
        .collect()
}

#[test]
fn a_200_mb_line_is_skipped_and_the_next_line_read() {
    let (dir, ok) = dir_with_ok();
    let input = dir.path().join("huge.jsonl");
    let mut file = BufWriter::new(fs::File::create(&input).expect("create"));
    let chunk = "a".repeat(1 << 20);
    file.write_all(br#"{"id":"huge","text":""#).expect("write");
    for _ in 0..200 {
        file.write_all(chunk.as_bytes()).expect("write");
    }
    file.write_all(b"\"}\n").expect("write");
    file.write_all(record("after", FR).as_bytes())
        .expect("write");
    file.flush().expect("flush");
    drop(file);
    let out = dir.path().join("out.jsonl");
    let len = 200 * (1 << 20) + br#"{"id":"huge","text":""}"#.len() + 1;
    run(&out, &[&input, &ok])
        .code(3)
        .stderr(predicate::str::contains(format!(
            "{}:1: record of {len} bytes is larger than the 64.0 MiB document limit; record skipped (raise it with --max-document-mb)",
            input.display()
        )));
    assert_eq!(ids(&out), ["after", "ok"]);
}

#[test]
fn a_text_file_over_the_limit_is_skipped() {
    let (dir, ok) = dir_with_ok();
    let input = dir.path().join("big.txt");
    fs::write(&input, EN.repeat(30_000)).expect("write");
    let out = dir.path().join("out.jsonl");
    polyclean()
        .args(["run", "--repeated", "0", "--max-document-mb", "1", "-o"])
        .arg(&out)
        .arg(&input)
        .arg(&ok)
        .assert()
        .code(3)
        .stderr(predicate::str::contains(format!(
            "{}: larger than the 1.0 MiB document limit; skipped (raise it with --max-document-mb)",
            input.display()
        )));
    assert_eq!(ids(&out), ["ok"]);
}

#[test]
fn text_fields_that_are_not_strings_or_missing_name_the_line() {
    let (dir, ok) = dir_with_ok();
    let input = dir.path().join("fields.jsonl");
    let body = [
        record("first", EN),
        r#"{"id":"arr","text":["a","b"]}"#.to_string() + "\n",
        r#"{"id":"obj","text":{"body":"x"}}"#.to_string() + "\n",
        r#"{"id":"bool","text":true}"#.to_string() + "\n",
        r#"{"id":"none","body":"x","url":"u"}"#.to_string() + "\n",
        r#"{"id":"null","text":null}"#.to_string() + "\n",
        record("last", FR),
    ]
    .concat();
    fs::write(&input, body).expect("write");
    let out = dir.path().join("out.jsonl");
    let name = input.display().to_string();
    run(&out, &[&input, &ok])
        .code(3)
        .stderr(predicate::str::contains(format!("{name}:2: field `text` is an array, not a string; use --text-field")))
        .stderr(predicate::str::contains(format!("{name}:3: field `text` is an object, not a string")))
        .stderr(predicate::str::contains(format!("{name}:4: field `text` is a boolean, not a string")))
        .stderr(predicate::str::contains(format!(
            "{name}:5: no field `text` (fields: id, body, url); use --text-field to pick another field; record skipped"
        )))
        .stderr(predicate::str::contains(format!("{name}:6: no field `text`")));
    assert_eq!(ids(&out), ["first", "last", "ok"]);
}

#[test]
fn deeply_nested_json_is_refused_without_crashing() {
    let (dir, ok) = dir_with_ok();
    let input = dir.path().join("deep.jsonl");
    let depth = 100_000;
    let body = format!(
        "{}{{\"id\":\"deep\",\"text\":{}{}}}\n{}",
        record("before", EN),
        "[".repeat(depth),
        "]".repeat(depth),
        record("after", FR)
    );
    fs::write(&input, body).expect("write");
    let out = dir.path().join("out.jsonl");
    run(&out, &[&input, &ok])
        .code(3)
        .stderr(predicate::str::contains(format!(
            "{}:2: not valid JSON (recursion limit exceeded",
            input.display()
        )));
    assert_eq!(ids(&out), ["before", "after", "ok"]);
}

#[test]
fn nul_bytes_in_a_record_skip_it_and_escaped_nuls_are_removed() {
    let (dir, ok) = dir_with_ok();
    let input = dir.path().join("nul.jsonl");
    let mut body = record("escaped", &format!("{EN}\u{0}")).into_bytes();
    body.extend(b"{\"id\":\"raw\",\"text\":\"a\0b\"}\n");
    body.extend(record("after", FR).into_bytes());
    fs::write(&input, body).expect("write");
    let out = dir.path().join("out.jsonl");
    run(&out, &[&input, &ok])
        .code(3)
        .stderr(predicate::str::contains(format!(
            "{}:2: binary content (NUL bytes)",
            input.display()
        )));
    assert_eq!(ids(&out), ["escaped", "after", "ok"]);
    let first: Value = serde_json::from_str(
        fs::read_to_string(&out)
            .expect("out")
            .lines()
            .next()
            .expect("line"),
    )
    .expect("JSON");
    assert_eq!(first["text"], EN, "the NUL is not carried into the output");
}

/// Root reads any file whatever its mode, so this uses a file the kernel refuses to read:
/// `/proc/self/mem` opens, then fails with EIO at offset 0.
#[cfg(target_os = "linux")]
#[test]
fn an_unreadable_file_is_reported_and_the_rest_read() {
    let (dir, ok) = dir_with_ok();
    let out = dir.path().join("out.jsonl");
    run(&out, &[Path::new("/proc/self/mem"), &ok])
        .code(3)
        .stderr(predicate::str::contains("/proc/self/mem: cannot read:"));
    assert_eq!(ids(&out), ["ok"]);
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_is_reported_and_the_rest_of_the_folder_read() {
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path().join("in");
    fs::create_dir_all(root.join("sub")).expect("mkdir");
    std::os::unix::fs::symlink("..", root.join("sub/up")).expect("symlink");
    fs::write(root.join("a.txt"), EN).expect("write");
    fs::write(root.join("sub/b.txt"), FR).expect("write");
    let out = dir.path().join("out.jsonl");
    run(&out, &[&root])
        .code(3)
        .stderr(predicate::str::contains(format!(
            "File system loop found: {} points to an ancestor {}",
            root.join("sub/up").display(),
            root.display()
        )));
    assert_eq!(ids(&out), ["a", "b"]);
}

#[test]
fn an_output_inside_the_input_folder_is_not_read_back() {
    let (dir, _ok) = dir_with_ok();
    let out = dir.path().join("out.jsonl");
    run(&out, &[dir.path()]).code(0);
    assert_eq!(ids(&out), ["ok"]);
    // The second run finds the first run's output in its input folder, and names it.
    run(&out, &[dir.path()])
        .code(0)
        .stderr(predicate::str::contains(format!(
            "{}: is an output of this run; not read",
            out.display()
        )));
    assert_eq!(ids(&out), ["ok"]);
    // Named directly as an input too.
    run(&out, &[&out])
        .code(0)
        .stderr(predicate::str::contains("is an output of this run"));
    assert!(ids(&out).is_empty());
}
