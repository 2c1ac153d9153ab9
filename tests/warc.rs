//! WARC and WET input end to end: files built here as Common Crawl ships them (one gzip
//! member per record) and plain, read by the real binary.

use std::fs;
use std::io::Write;
use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

const FR: &str =
    "Le conseil municipal a voté jeudi soir le budget de la ville pour l'année prochaine.";
const EN: &str =
    "The city council approved next year's budget on Thursday evening after a long debate.";

fn polyclean() -> Command {
    let mut cmd = Command::cargo_bin("polyclean").expect("binary");
    cmd.env("NO_COLOR", "1");
    cmd
}

/// One WARC record: version line, the given fields, Content-Length, the block, `\r\n\r\n`.
fn record(fields: &[(&str, &str)], block: &[u8]) -> Vec<u8> {
    let mut out = b"WARC/1.0\r\n".to_vec();
    for (name, value) in fields {
        out.extend(format!("{name}: {value}\r\n").into_bytes());
    }
    out.extend(format!("Content-Length: {}\r\n\r\n", block.len()).into_bytes());
    out.extend(block);
    out.extend(b"\r\n\r\n");
    out
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).expect("in memory");
    enc.finish().expect("in memory")
}

fn warcinfo() -> Vec<u8> {
    record(
        &[
            ("WARC-Type", "warcinfo"),
            ("WARC-Record-ID", "<urn:uuid:info>"),
        ],
        b"software: test\r\n",
    )
}

fn conversion(id: &str, url: &str, langs: &str, text: &str) -> Vec<u8> {
    record(
        &[
            ("WARC-Type", "conversion"),
            ("WARC-Target-URI", url),
            ("WARC-Date", "2024-05-06T07:08:09Z"),
            ("WARC-Record-ID", &format!("<urn:uuid:{id}>")),
            ("WARC-Identified-Content-Language", langs),
            ("Content-Type", "text/plain"),
        ],
        text.as_bytes(),
    )
}

/// The WET file's records, each gzipped on its own and concatenated.
fn wet_records() -> Vec<Vec<u8>> {
    vec![
        warcinfo(),
        conversion("fr-1", "https://ville.fr/budget", "fra", FR),
        conversion("empty", "https://x.org/", "", ""),
        conversion("en-1", "https://city.org/budget", "eng,fra", EN),
    ]
}

fn read_jsonl(path: &Path) -> Vec<Value> {
    fs::read_to_string(path)
        .expect("output exists")
        .lines()
        .map(|l| serde_json::from_str(l).expect("valid JSON line"))
        .collect()
}

fn run(input: &Path, out: &Path) -> assert_cmd::assert::Assert {
    polyclean()
        .args(["run", "--repeated", "0", "-o"])
        .arg(out)
        .arg(input)
        .assert()
}

#[test]
fn wet_gz_with_one_member_per_record_gives_one_document_per_conversion() {
    let dir = tempfile::tempdir().expect("tmp");
    let input = dir.path().join("CC-MAIN-0001.warc.wet.gz");
    let bytes: Vec<u8> = wet_records().iter().flat_map(|r| gzip(r)).collect();
    fs::write(&input, bytes).expect("write");
    let out = dir.path().join("out.jsonl");
    run(&input, &out).code(0);
    let docs = read_jsonl(&out);
    assert_eq!(docs.len(), 2, "{docs:?}");
    let name = input.display();
    assert_eq!(docs[0]["id"], "urn:uuid:fr-1");
    assert_eq!(docs[0]["source"], format!("{name}:record 2"));
    assert_eq!(docs[0]["text"], FR);
    assert_eq!(docs[0]["lang"], "fr");
    assert_eq!(docs[0]["meta"]["url"], "https://ville.fr/budget");
    assert_eq!(docs[0]["meta"]["date"], "2024-05-06T07:08:09Z");
    assert_eq!(docs[0]["meta"]["warc_languages"], "fra");
    assert_eq!(docs[1]["id"], "urn:uuid:en-1");
    assert_eq!(docs[1]["source"], format!("{name}:record 4"));
    assert_eq!(docs[1]["meta"]["warc_languages"], "eng,fra");
    assert_eq!(docs[1]["lang"], "en");
}

#[test]
fn plain_warc_keeps_text_plain_responses_and_resources_only() {
    let http = |content_type: &str, body: &[u8]| {
        let mut out =
            format!("HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nServer: x\r\n\r\n")
                .into_bytes();
        out.extend(body);
        out
    };
    let response = |id: &str, block: Vec<u8>| {
        record(
            &[
                ("WARC-Type", "response"),
                ("WARC-Record-ID", id),
                ("WARC-Target-URI", "https://ville.fr/"),
                ("Content-Type", "application/http; msgtype=response"),
            ],
            &block,
        )
    };
    // Windows-1252 bytes, declared by the HTTP header.
    let latin: Vec<u8> = FR
        .chars()
        .map(|c| u8::try_from(u32::from(c)).expect("Latin-1 text"))
        .collect();
    let parts = [
        warcinfo(),
        record(
            &[
                ("WARC-Type", "request"),
                ("WARC-Record-ID", "<urn:uuid:req>"),
            ],
            b"GET / HTTP/1.1\r\nHost: ville.fr\r\n\r\n",
        ),
        response(
            "<urn:uuid:html>",
            http("text/html", format!("<p>{EN}</p>").as_bytes()),
        ),
        response(
            "<urn:uuid:latin>",
            http("text/plain; charset=windows-1252", &latin),
        ),
        record(
            &[
                ("WARC-Type", "metadata"),
                ("WARC-Record-ID", "<urn:uuid:meta>"),
            ],
            b"fetchTimeMs: 12\r\n",
        ),
        record(
            &[
                ("WARC-Type", "resource"),
                ("WARC-Record-ID", "<urn:uuid:res>"),
                ("Content-Type", "text/plain"),
            ],
            EN.as_bytes(),
        ),
    ];
    let dir = tempfile::tempdir().expect("tmp");
    let input = dir.path().join("crawl.warc");
    fs::write(&input, parts.concat()).expect("write");
    let out = dir.path().join("out.jsonl");
    run(&input, &out).code(0);
    let docs = read_jsonl(&out);
    let ids: Vec<&str> = docs.iter().filter_map(|d| d["id"].as_str()).collect();
    assert_eq!(ids, ["urn:uuid:latin", "urn:uuid:res"]);
    assert_eq!(docs[0]["text"], FR);
    assert_eq!(docs[0]["meta"]["url"], "https://ville.fr/");
    assert_eq!(docs[1]["text"], EN);
}

#[test]
fn a_malformed_record_is_reported_and_the_next_one_read() {
    let mut bytes = conversion("first", "https://a.fr/", "fra", FR);
    let bad_at = bytes.len();
    bytes.extend(
        b"WARC/1.0\r\nWARC-Type: conversion\r\nContent-Length: many\r\n\r\nlost text\r\n\r\n",
    );
    bytes.extend(conversion("third", "https://c.org/", "eng", EN));
    let dir = tempfile::tempdir().expect("tmp");
    let input = dir.path().join("bad.wet");
    fs::write(&input, bytes).expect("write");
    let out = dir.path().join("out.jsonl");
    let name = input.display().to_string();
    run(&input, &out).code(3).stderr(predicate::str::contains(format!(
        "{name}:record 2: at byte {bad_at}: missing or invalid Content-Length; skipping to the next record"
    )));
    let ids: Vec<Value> = read_jsonl(&out)
        .into_iter()
        .map(|d| d["id"].clone())
        .collect();
    assert_eq!(ids, ["urn:uuid:first", "urn:uuid:third"]);
}

#[test]
fn a_truncated_warc_gz_keeps_the_records_before_the_cut() {
    let mut bytes: Vec<u8> = wet_records()[..2].iter().flat_map(|r| gzip(r)).collect();
    let last = gzip(&conversion("cut", "https://c.org/", "eng", &EN.repeat(20)));
    bytes.extend(&last[..last.len() / 2]);
    let dir = tempfile::tempdir().expect("tmp");
    let input = dir.path().join("cut.warc.gz");
    fs::write(&input, bytes).expect("write");
    let other = dir.path().join("other.txt");
    fs::write(&other, EN).expect("write");
    let out = dir.path().join("out.jsonl");
    let name = input.display().to_string();
    polyclean()
        .args(["run", "--repeated", "0", "-o"])
        .arg(&out)
        .arg(&input)
        .arg(&other)
        .assert()
        .code(3)
        .stderr(predicate::str::contains(format!(
            "{name}:record 3: cannot read: gzip data is truncated or corrupt"
        )));
    let ids: Vec<Value> = read_jsonl(&out)
        .into_iter()
        .map(|d| d["id"].clone())
        .collect();
    assert_eq!(ids, ["urn:uuid:fr-1", "other"]);
}

#[test]
fn warc_on_stdin_is_recognised_even_compressed() {
    let bytes: Vec<u8> = wet_records()
        .iter()
        .flat_map(|r| zstd::encode_all(&r[..], 3).expect("zstd"))
        .collect();
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("out.jsonl");
    polyclean()
        .args(["run", "--repeated", "0", "-", "-o"])
        .arg(&out)
        .write_stdin(bytes)
        .assert()
        .code(0);
    let docs = read_jsonl(&out);
    let ids: Vec<&str> = docs.iter().filter_map(|d| d["id"].as_str()).collect();
    assert_eq!(ids, ["urn:uuid:fr-1", "urn:uuid:en-1"]);
    assert_eq!(docs[0]["source"], "stdin:record 2");
}

#[test]
fn a_warc_record_over_the_size_limit_is_skipped() {
    let big = EN.repeat(1 + (1 << 20) / EN.len());
    let mut bytes = conversion("big", "https://b.org/", "eng", &big);
    bytes.extend(conversion("small", "https://s.org/", "eng", EN));
    let dir = tempfile::tempdir().expect("tmp");
    let input = dir.path().join("limit.warc.zst");
    fs::write(&input, zstd::encode_all(&bytes[..], 3).expect("zstd")).expect("write");
    let out = dir.path().join("out.jsonl");
    let name = input.display().to_string();
    polyclean()
        .args(["run", "--repeated", "0", "--max-document-mb", "1", "-o"])
        .arg(&out)
        .arg(&input)
        .assert()
        .code(3)
        .stderr(predicate::str::contains(format!(
            "{name}:record 1: text of {} bytes is larger than the 1.0 MiB document limit",
            big.len()
        )));
    let ids: Vec<Value> = read_jsonl(&out)
        .into_iter()
        .map(|d| d["id"].clone())
        .collect();
    assert_eq!(ids, ["urn:uuid:small"]);
}
