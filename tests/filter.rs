//! Filter mode, `polyclean run - -o -`, as Spark's `RDD.pipe`, Hadoop Streaming or GNU parallel
//! drive it: a child process fed through a pipe, its output read while it still runs.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

/// Long enough for a debug build on a busy machine; a hang fails instead of blocking the suite.
const PATIENCE: Duration = Duration::from_secs(60);

fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_polyclean")
}

/// One JSONL record with its own sentence (so nothing is `repeated` or dropped).
fn record(id: &str) -> String {
    format!(
        "{{\"id\":\"{id}\",\"text\":\"Le conseil municipal de la commune {id} a voté jeudi soir le budget de l'année prochaine.\"}}\n"
    )
}

/// Start `polyclean run - -o - <args>` with every stream piped, in `dir`.
fn start(dir: &Path, args: &[&str]) -> Child {
    Command::new(binary())
        .args(["run", "-", "-o", "-"])
        .args(args)
        .current_dir(dir)
        .env("TMPDIR", dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start polyclean")
}

/// The child's stdout lines, as they come, on a channel (read on a thread so a test can wait
/// with a timeout).
fn lines(child: &mut Child) -> Receiver<String> {
    let stdout = child.stdout.take().expect("piped stdout");
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if send.send(line).is_err() {
                break;
            }
        }
    });
    receive
}

fn next_id(lines: &Receiver<String>) -> String {
    let line = lines
        .recv_timeout(PATIENCE)
        .expect("a record on stdout before the input ends");
    id_of(&line)
}

fn id_of(line: &str) -> String {
    let value: serde_json::Value = serde_json::from_str(line)
        .unwrap_or_else(|e| panic!("stdout holds only JSON records ({e}): {line}"));
    value["id"].as_str().expect("an id").to_string()
}

fn send(stdin: &mut ChildStdin, text: &str) {
    stdin.write_all(text.as_bytes()).expect("write stdin");
    stdin.flush().expect("flush stdin");
}

/// Close stdin, wait for the end: (exit code, the remaining stdout ids, stderr).
fn finish(mut child: Child, lines: Receiver<String>) -> (i32, Vec<String>, String) {
    drop(child.stdin.take());
    let rest: Vec<String> = lines.iter().map(|l| id_of(&l)).collect();
    let mut stderr = String::new();
    if let Some(mut e) = child.stderr.take() {
        std::io::Read::read_to_string(&mut e, &mut stderr).expect("stderr");
    }
    let status = child.wait().expect("wait");
    (status.code().unwrap_or(-1), rest, stderr)
}

#[test]
fn each_batch_comes_out_before_the_input_ends() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut child = start(dir.path(), &["--batch-size", "3", "--repeated", "0"]);
    let out = lines(&mut child);
    let mut stdin = child.stdin.take().expect("piped stdin");
    send(&mut stdin, &(record("a") + &record("b") + &record("c")));
    // The first batch is complete: its records come out while stdin is still open.
    assert_eq!(
        [next_id(&out), next_id(&out), next_id(&out)],
        ["a", "b", "c"]
    );
    send(&mut stdin, &(record("d") + &record("e")));
    child.stdin = Some(stdin);
    let (code, rest, stderr) = finish(child, out);
    assert_eq!(rest, ["d", "e"], "{stderr}");
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn batch_size_one_answers_record_by_record() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut child = start(dir.path(), &["--batch-size", "1", "--repeated", "0"]);
    let out = lines(&mut child);
    let mut stdin = child.stdin.take().expect("piped stdin");
    for id in ["x1", "x2", "x3"] {
        send(&mut stdin, &record(id));
        assert_eq!(next_id(&out), id);
    }
    child.stdin = Some(stdin);
    let (code, rest, stderr) = finish(child, out);
    assert!(rest.is_empty(), "{rest:?}");
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn a_bad_record_mid_stream_is_named_and_the_rest_comes_out() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut child = start(dir.path(), &["--batch-size", "2", "--repeated", "0"]);
    let out = lines(&mut child);
    let input = [
        record("g1"),
        record("g2"),
        "{\"id\":\"bad\",\"text\":\n".to_string(),
        record("g4"),
        record("g5"),
    ]
    .concat();
    send(child.stdin.as_mut().expect("stdin"), &input);
    let (code, ids, stderr) = finish(child, out);
    assert_eq!(ids, ["g1", "g2", "g4", "g5"]);
    assert!(stderr.contains("stdin:3:"), "{stderr}");
    assert_eq!(code, 3, "{stderr}");
}

#[test]
fn stdout_holds_records_only_and_stderr_no_progress_bar_nor_temporary_files() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut child = start(dir.path(), &[]);
    let out = lines(&mut child);
    let input: String = (0..20).map(|i| record(&format!("r{i}"))).collect();
    send(child.stdin.as_mut().expect("stdin"), &input);
    // `finish` parses every stdout line as a record.
    let (code, ids, stderr) = finish(child, out);
    assert_eq!(ids.len(), 20);
    assert_eq!(code, 0, "{stderr}");
    // The summary and the `repeated` warning go to stderr, as plain lines: no bar drawn on a
    // pipe (it would use carriage returns and escape sequences).
    assert!(stderr.contains("20 documents"), "{stderr}");
    assert!(stderr.contains("stdin cannot be read twice"), "{stderr}");
    assert!(!stderr.contains(['\r', '\u{1b}']), "{stderr:?}");
    // Neither the working directory nor TMPDIR got a file.
    let left: Vec<_> = std::fs::read_dir(dir.path()).expect("dir").collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn a_closed_stdout_ends_the_run_quietly() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut child = start(dir.path(), &["--batch-size", "1", "--repeated", "0"]);
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut stdin = child.stdin.take().expect("stdin");
    send(&mut stdin, &record("first"));
    let mut line = String::new();
    stdout.read_line(&mut line).expect("first record");
    assert_eq!(id_of(&line), "first");
    // The consumer stops reading (`head -1`); polyclean's next write fails with EPIPE.
    drop(stdout);
    for i in 0..50 {
        if stdin
            .write_all(record(&format!("more{i}")).as_bytes())
            .is_err()
        {
            break;
        }
    }
    drop(stdin);
    let output = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("error"), "{stderr}");
}

#[test]
fn input_index_gives_stdin_its_place_in_the_larger_run() {
    let input: String = ["r0", "r1", "r2", "r3"]
        .iter()
        .map(|id| record(id))
        .collect();
    let shard = |extra: &[&str]| {
        let dir = tempfile::tempdir().expect("tmp");
        let mut child = start(
            dir.path(),
            &[&["--shard", "1/2", "--repeated", "0"], extra].concat(),
        );
        let out = lines(&mut child);
        send(child.stdin.as_mut().expect("stdin"), &input);
        let (code, ids, stderr) = finish(child, out);
        assert_eq!(code, 0, "{stderr}");
        ids
    };
    // One input, two shards: by record, record r of input i in shard (i + r) mod 2.
    assert_eq!(shard(&[]), ["r1", "r3"]);
    assert_eq!(shard(&["--input-index", "1"]), ["r0", "r2"]);
    assert_eq!(shard(&["--input-index", "4"]), ["r1", "r3"]);
}

#[test]
fn a_usage_error_writes_nothing_to_stdout_and_exits_2() {
    let dir = tempfile::tempdir().expect("tmp");
    let child = start(dir.path(), &["--shard", "2/2"]);
    let output = child.wait_with_output().expect("wait");
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    assert!(String::from_utf8_lossy(&output.stderr).contains("0 ≤ I < N"));
}
