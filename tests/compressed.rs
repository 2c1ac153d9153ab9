//! Compressed inputs end to end: the format comes from the extension under `.gz`/`.zst`,
//! and magic bytes reveal compression that no extension names.

use std::fs;
use std::io::Write;
use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

const EN: &str =
    "The city council approved next year's budget on Thursday evening after a long debate.";
const FR: &str =
    "Le conseil municipal a voté jeudi soir le budget de la ville pour l'année prochaine.";

fn polyclean() -> Command {
    Command::cargo_bin("polyclean").expect("binary")
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).expect("in memory");
    enc.finish().expect("in memory")
}

fn ids(path: &Path) -> Vec<String> {
    fs::read_to_string(path)
        .expect("output exists")
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).expect("JSON")["id"]
                .as_str()
                .unwrap_or("")
                .to_string()
        })
        .collect()
}

fn jsonl(records: &[(&str, &str)]) -> String {
    records
        .iter()
        .map(|(id, text)| format!("{}\n", serde_json::json!({"id": id, "text": text})))
        .collect()
}

#[test]
fn the_format_comes_from_the_extension_under_the_compression() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path();
    fs::write(
        d.join("a.jsonl.gz"),
        gzip(jsonl(&[("a1", EN), ("a2", FR)]).as_bytes()),
    )
    .expect("w");
    fs::write(d.join("b.txt.gz"), gzip(EN.as_bytes())).expect("w");
    let csv = format!("id,text\nc1,\"{FR}\"\n");
    fs::write(
        d.join("c.csv.zst"),
        zstd::encode_all(csv.as_bytes(), 3).expect("zstd"),
    )
    .expect("w");
    // No extension names the compression: the magic bytes do.
    fs::write(d.join("d.jsonl"), gzip(jsonl(&[("d1", EN)]).as_bytes())).expect("w");
    fs::write(
        d.join("e"),
        zstd::encode_all(FR.as_bytes(), 3).expect("zstd"),
    )
    .expect("w");
    let out = dir.path().join("out.jsonl");
    polyclean()
        .args(["run", "--repeated", "0", "-o"])
        .arg(&out)
        .arg(d)
        .assert()
        .code(0);
    assert_eq!(ids(&out), ["a1", "a2", "b", "c1", "d1", "e"]);
}

#[test]
fn compressed_stdin_is_sniffed() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("out.jsonl");
    let mut body = gzip(jsonl(&[("s1", EN)]).as_bytes());
    body.extend(gzip(jsonl(&[("s2", FR)]).as_bytes()));
    polyclean()
        .args(["run", "--repeated", "0", "-", "-o"])
        .arg(&out)
        .write_stdin(body)
        .assert()
        .code(0);
    assert_eq!(ids(&out), ["s1", "s2"]);
}
