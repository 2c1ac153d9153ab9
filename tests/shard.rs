//! `--shard I/N`: the N shard outputs together hold exactly the single run's records, byte for
//! byte, under both rules (whole inputs when there are at least N, else records).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A small corpus in three formats, with boilerplate to drop and a broken JSONL line
/// (standing before record 2 of `a.jsonl`).
fn corpus(dir: &Path) -> PathBuf {
    let root = dir.join("corpus");
    fs::create_dir(&root).expect("mkdir");
    let article = |place: &str| {
        format!("La médiathèque de {place} ouvre ses portes le samedi matin pour les familles du quartier.\\n\\nPublicité\\n\\nPartager sur Facebook")
    };
    let a: Vec<String> = (0..6)
        .map(|i| {
            format!(
                "{{\"id\":\"a{i}\",\"text\":\"{}\",\"site\":\"s{i}\"}}",
                article(&format!("Vallon {i}"))
            )
        })
        .collect();
    let a = format!(
        "{}\n{}\n{{\"id\":\"broken\",\n{}\n",
        a[0],
        a[1],
        a[2..].join("\n")
    );
    fs::write(root.join("a.jsonl"), a).expect("write a");
    let b: Vec<String> = (0..4)
        .map(|i| format!("{{\"id\":\"b{i}\",\"text\":\"The harbour ferry {i} leaves at noon on weekdays and carries bicycles for free.\"}}"))
        .collect();
    fs::write(root.join("b.jsonl"), b.join("\n")).expect("write b");
    fs::write(
        root.join("c.txt"),
        "El mercado municipal cambia su horario durante el verano y abre también los domingos.\n\nSuscríbete a nuestro boletín\n",
    )
    .expect("write c");
    fs::write(
        root.join("d.csv"),
        "id,text\nd0,Der Bahnhof wird im Herbst renoviert und bleibt drei Wochen geschlossen.\nd1,Die Bibliothek verlängert ihre Öffnungszeiten am Donnerstag bis zwanzig Uhr.\n",
    )
    .expect("write d");
    root
}

/// Run polyclean over `inputs` into `out`; its exit code and output lines.
fn run(inputs: &[PathBuf], out: &Path, extra: &[&str]) -> (i32, Vec<String>) {
    let output = Command::new(env!("CARGO_BIN_EXE_polyclean"))
        .arg("run")
        .args(inputs)
        .arg("-o")
        .arg(out)
        .args(["--repeated", "0", "--quiet"])
        .args(extra)
        .output()
        .expect("run polyclean");
    let code = output.status.code().unwrap_or(-1);
    assert!(
        code == 0 || code == 3,
        "exit {code}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = fs::read_to_string(out).expect("output written");
    (code, text.lines().map(str::to_string).collect())
}

/// Each shard's exit code and lines, for shards 0..n.
fn shards(inputs: &[PathBuf], dir: &Path, n: u32) -> Vec<(i32, Vec<String>)> {
    (0..n)
        .map(|i| {
            let out = dir.join(format!("part-{i}-of-{n}.jsonl"));
            run(inputs, &out, &["--shard", &format!("{i}/{n}")])
        })
        .collect()
}

fn ids(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("JSON line");
            v["id"].as_str().expect("id").to_string()
        })
        .collect()
}

/// For each n in `counts`, the union of the n shards' lines is the single run's, byte for
/// byte, each line once; the shards of the last n are returned.
fn assert_union_is_single(
    inputs: &[PathBuf],
    dir: &Path,
    counts: &[u32],
) -> Vec<(i32, Vec<String>)> {
    let (_, mut single) = run(inputs, &dir.join("single.jsonl"), &[]);
    single.sort();
    assert!(!single.is_empty());
    let mut parts = Vec::new();
    for &n in counts {
        parts = shards(inputs, dir, n);
        let mut union: Vec<String> = parts.iter().flat_map(|(_, l)| l.clone()).collect();
        union.sort();
        assert_eq!(union, single, "{n} shards");
    }
    parts
}

#[test]
fn shards_by_input_together_equal_the_single_run() {
    let dir = tempfile::tempdir().expect("tmp");
    let inputs = [corpus(dir.path())];
    let parts = assert_union_is_single(&inputs, dir.path(), &[1, 2, 3]);
    // 4 inputs ≥ 3 shards: input i (path order a, b, c, d) goes to shard i mod 3.
    let got: Vec<Vec<String>> = parts.iter().map(|(_, l)| ids(l)).collect();
    assert_eq!(
        got,
        [
            vec!["a0", "a1", "a2", "a3", "a4", "a5", "d0", "d1"],
            vec!["b0", "b1", "b2", "b3"],
            vec!["c"],
        ]
    );
    // Only the shard that read a.jsonl met its broken line.
    let codes: Vec<i32> = parts.iter().map(|(c, _)| *c).collect();
    assert_eq!(codes, [3, 0, 0]);
}

#[test]
fn shards_by_record_together_equal_the_single_run() {
    let dir = tempfile::tempdir().expect("tmp");
    let root = corpus(dir.path());
    let one = [root.join("a.jsonl")];
    let parts = assert_union_is_single(&one, dir.path(), &[2, 3]);
    // One input < 3 shards: record r of input 0 goes to shard r mod 3; the broken line stands
    // before record 2, so shard 2 reports it.
    let got: Vec<Vec<String>> = parts.iter().map(|(_, l)| ids(l)).collect();
    assert_eq!(got, [["a0", "a3"], ["a1", "a4"], ["a2", "a5"]]);
    let codes: Vec<i32> = parts.iter().map(|(c, _)| *c).collect();
    assert_eq!(codes, [0, 0, 3]);

    // Two inputs < 3 shards: record r of input i goes to shard (i + r) mod 3.
    let two = [root.join("b.jsonl"), root.join("d.csv")];
    let parts = assert_union_is_single(&two, dir.path(), &[3]);
    let got: Vec<Vec<String>> = parts.iter().map(|(_, l)| ids(l)).collect();
    // b.jsonl is input 0, d.csv input 1 (d0: (1 + 0) mod 3 = 1).
    assert_eq!(got, [["b0", "b3"], ["b1", "d0"], ["b2", "d1"]]);
}

#[test]
fn shard_from_the_configuration_file_and_state_refused() {
    let dir = tempfile::tempdir().expect("tmp");
    let root = corpus(dir.path());
    let config = dir.path().join("shard.toml");
    fs::write(&config, "shard = \"1/3\"\nrepeated = 0\n").expect("config");
    let (_, lines) = run(
        &[root.join("a.jsonl")],
        &dir.path().join("c.jsonl"),
        &["--config", config.to_str().expect("utf-8")],
    );
    assert_eq!(ids(&lines), ["a1", "a4"]);

    let refused = Command::new(env!("CARGO_BIN_EXE_polyclean"))
        .arg("run")
        .arg(&root)
        .arg("-o")
        .arg(dir.path().join("out-{timestamp}.jsonl"))
        .arg("--state")
        .arg(dir.path().join("state.json"))
        .args(["--shard", "0/2"])
        .output()
        .expect("run");
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("--state cannot be combined with --shard"),
        "{stderr}"
    );
    assert!(!dir.path().join("state.json").exists());
}
