//! The whole scale-out flow, as an engine's workers run it: every input file piped through
//! polyclean on stdin by its own worker (`--stdin-name`, `--input-index`), repetition counts
//! mapped and merged, the files cleaned with the merged counts while each writes its duplicate
//! table, the tables merged, duplicates decided again — and the concatenated results equal one
//! run over every file, byte for byte, with every corpus-level step on.

use std::fs;
use std::path::Path;

use assert_cmd::Command;

fn polyclean() -> Command {
    Command::cargo_bin("polyclean").expect("binary")
}

const STORIES: [&str; 4] = [
    "The harbour authority opened a new ferry terminal on the eastern quay this spring, and the first crossings sold out within a week of the announcement.",
    "Volunteers planted four hundred oak saplings along the river path over the weekend, guided by the county's forestry officers and a local school.",
    "The regional orchestra announced a season of free concerts in village churches, with programmes ranging from baroque suites to new commissions.",
    "Night trains between the two capitals will run again from the end of September, the operator said, after three years without a sleeper service.",
];
const FOOTER: &str = "The Harbour Gazette is printed at twelve Quay Street by the Marsh family";

/// Two JSONL files: a site footer on every page (a template), an article syndicated in both
/// files (`b2`), a lightly edited copy of it (`b3`), paragraphs met again elsewhere.
fn corpus(dir: &Path) -> Vec<String> {
    let page = |id: &str, body: &str| {
        serde_json::json!({"id": id, "text": format!("{body}\n\n{FOOTER}\n")}).to_string()
    };
    let edited = STORIES[0].replace("this spring", "this April");
    let long = STORIES[..3].join("\n\n");
    let files = [
        vec![
            page("a1", &long),
            page("a2", STORIES[3]),
            page("a3", STORIES[1]),
        ],
        vec![
            page("b1", &format!("{}\n\n{}", STORIES[3], STORIES[2])),
            page("b2", &long),
            page("b3", &long.replace(STORIES[0], &edited)),
        ],
    ];
    let mut paths = Vec::new();
    for (i, lines) in files.iter().enumerate() {
        let path = dir.join(format!("part{i}.jsonl"));
        fs::write(&path, lines.join("\n") + "\n").expect("write");
        paths.push(path.to_str().expect("utf-8").to_string());
    }
    paths
}

/// Run polyclean with `args`, `stdin` piped in; its stdout.
fn pipe(args: &[&str], stdin: Vec<u8>) -> Vec<u8> {
    let out = polyclean().args(args).write_stdin(stdin).assert().success();
    out.get_output().stdout.clone()
}

/// Every corpus-level step; the footer is on pages of four different articles, each story with at most three.
const STEPS: [&str; 6] = ["--dedup", "--near-dup", "0.8", "--repeated", "4", "-q"];

#[test]
fn workers_on_stdin_merged_equal_one_run_byte_for_byte() {
    let dir = tempfile::tempdir().expect("tmp");
    let files = corpus(dir.path());
    let tmp = |name: &str| dir.path().join(name).to_str().expect("utf-8").to_string();

    let single = tmp("single.jsonl");
    let mut args = vec!["run", &files[0], &files[1], "-o", &single];
    args.extend(STEPS);
    polyclean().args(&args).assert().success();
    let single = fs::read(&single).expect("single");

    // Map: repetition counts, one worker per file.
    let mut counts = Vec::new();
    for (i, file) in files.iter().enumerate() {
        let index = i.to_string();
        let out = tmp(&format!("counts{i}"));
        let args = ["hashes", "-", "--stdin-name", file, "--input-index", &index];
        pipe(
            &[&args[..], &["--repeated", "4", "-q", "-o", &out]].concat(),
            fs::read(file).expect("read"),
        );
        counts.push(out);
    }
    let merged_counts = tmp("counts");
    polyclean()
        .args(["merge", &counts[1], &counts[0], "-o", &merged_counts])
        .assert()
        .success();

    // Clean with the merged counts; each worker writes its duplicate table.
    let mut cleaned = Vec::new();
    let mut tables = Vec::new();
    for (i, file) in files.iter().enumerate() {
        let index = i.to_string();
        let table = tmp(&format!("dedup{i}"));
        let mut args = vec!["run", "-", "-o", "-", "--stdin-name", file];
        args.extend(["--input-index", &index, "--counts", &merged_counts]);
        args.extend(["--dedup-table", &table]);
        args.extend(STEPS);
        cleaned.push(pipe(&args, fs::read(file).expect("read")));
        tables.push(table);
    }
    let merged_tables = tmp("dedup");
    polyclean()
        .args(["merge", &tables[1], &tables[0], "-o", &merged_tables])
        .assert()
        .success();

    // Apply: every worker's records decided again with the whole corpus's table.
    let mut distributed = Vec::new();
    for part in cleaned {
        distributed.extend(pipe(
            &["dedup", "--table", &merged_tables, "-", "-o", "-"],
            part,
        ));
    }
    let text = String::from_utf8(single.clone()).expect("utf-8");
    for reason in [
        "\"repeated\"",
        "\"duplicate\"",
        "\"duplicate_document\"",
        "\"near_duplicate\"",
    ] {
        assert!(text.contains(reason), "the corpus exercises {reason}");
    }
    assert!(
        text.contains(&format!("\"source\":\"{}:1\"", files[0])),
        "sources name the files"
    );
    assert_eq!(String::from_utf8(distributed).expect("utf-8"), text);
}

#[test]
fn a_named_stdin_reads_as_the_file_it_stands_for() {
    let dir = tempfile::tempdir().expect("tmp");
    // A text file whose first line looks like a JSON record: only the name says "text".
    let path = dir.path().join("page.txt");
    let text = format!("{{\"id\": 1}} is how the quiz began.\n\n{}\n", STORIES[0]);
    fs::write(&path, &text).expect("write");
    let name = path.to_str().expect("utf-8");
    let from_file = pipe(&["run", name, "-o", "-", "-q"], Vec::new());
    let from_stdin = pipe(
        &["run", "-", "--stdin-name", name, "-o", "-", "-q"],
        text.into_bytes(),
    );
    let from_file = String::from_utf8(from_file).expect("utf-8");
    assert!(from_file.contains("\"id\":\"page\""), "{from_file}");
    assert_eq!(String::from_utf8(from_stdin).expect("utf-8"), from_file);
}
