//! Unattended runs: stopping cleanly on SIGINT/SIGTERM, machine-readable logs.

use std::fs;
use std::path::Path;
use std::process::{Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::cargo::CommandCargoExt;
use assert_cmd::Command;

/// A JSONL input big enough that a run lasts a few seconds.
fn big_input(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("big.jsonl");
    let paragraph = "Le conseil municipal a voté jeudi soir le budget de la ville pour l'année prochaine, après un long débat sur les transports.";
    let text = [paragraph; 12].join("\\n\\n");
    let lines: Vec<String> = (0..4000)
        .map(|i| format!("{{\"id\":\"d{i}\",\"text\":\"{i} {text}\"}}"))
        .collect();
    fs::write(&path, lines.join("\n")).expect("write input");
    path
}

/// Files in `dir` whose name marks them as polyclean's temporary files.
fn temporaries(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .expect("read dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect()
}

/// Start a long run writing `out.jsonl` in `dir`, and wait until its temporary file exists.
fn start_long_run(dir: &Path) -> std::process::Child {
    let input = big_input(dir);
    let child = StdCommand::cargo_bin("polyclean")
        .expect("binary")
        .args([
            "run",
            "--repeated",
            "0",
            "--batch-size",
            "4",
            "--threads",
            "1",
            "-o",
        ])
        .arg(dir.join("out.jsonl"))
        .arg(&input)
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let started = Instant::now();
    while temporaries(dir).is_empty() && started.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        !temporaries(dir).is_empty(),
        "the run never started writing"
    );
    child
}

/// A long run sent `signal` exits with `code`, leaving no output and no temporary file.
fn assert_stops_cleanly(signal: i32, code: i32) {
    let dir = tempfile::tempdir().expect("tmp");
    let mut child = start_long_run(dir.path());
    let pid = i32::try_from(child.id()).expect("pid");
    // SAFETY: sending a signal to our own child process.
    unsafe { libc::kill(pid, signal) };
    assert_eq!(child.wait().expect("wait").code(), Some(code));
    assert!(!dir.path().join("out.jsonl").exists(), "no partial output");
    assert_eq!(
        temporaries(dir.path()),
        Vec::<String>::new(),
        "temporary removed"
    );
}

#[test]
fn sigint_stops_cleanly_with_exit_130_and_no_output() {
    assert_stops_cleanly(libc::SIGINT, 130);
}

#[test]
fn sigterm_stops_cleanly_with_exit_143_and_no_output() {
    assert_stops_cleanly(libc::SIGTERM, 143);
}

#[test]
fn json_logs_are_one_object_per_line_with_kind_and_location() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = Command::cargo_bin("polyclean")
        .expect("binary")
        .args(["run", "--log-format", "json", "-o"])
        .arg(dir.path().join("out.jsonl"))
        .arg(dir.path().join("missing.txt"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8(out.stderr).expect("utf-8");
    let events: Vec<serde_json::Value> = stderr
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    let skipped = &events[0]["fields"];
    assert_eq!(skipped["kind"], "skipped");
    assert!(skipped["location"]
        .as_str()
        .is_some_and(|l| l.ends_with("missing.txt")));
    let summary = &events.last().expect("a summary")["fields"];
    assert_eq!(summary["skipped"], 1);
    assert_eq!(summary["documents"], 0);
}

/// `polyclean run DIR/in -o DIR/out/c-{timestamp}.jsonl --state DIR/state.json [extra]`.
fn incremental_run(dir: &Path, extra: &[&str]) -> std::process::Output {
    Command::cargo_bin("polyclean")
        .expect("binary")
        .arg("run")
        .arg(dir.join("in"))
        .arg("-o")
        .arg(dir.join("out/c-{timestamp}.jsonl"))
        .arg("--state")
        .arg(dir.join("state.json"))
        .args(extra)
        .output()
        .expect("runs")
}

/// The ids in every output file of `dir/out`, file by file in name order.
fn outputs(dir: &Path) -> Vec<Vec<String>> {
    let mut files: Vec<_> = fs::read_dir(dir.join("out"))
        .expect("out dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    files
        .iter()
        .map(|f| {
            fs::read_to_string(f)
                .expect("read")
                .lines()
                .map(|l| {
                    serde_json::from_str::<serde_json::Value>(l).expect("JSON")["id"].to_string()
                })
                .collect()
        })
        .collect()
}

const DOC: &str =
    "Le conseil municipal a voté jeudi soir le budget de la ville pour l'année prochaine.";

#[test]
fn second_incremental_run_processes_only_the_new_file() {
    let dir = tempfile::tempdir().expect("tmp");
    fs::create_dir_all(dir.path().join("in")).expect("mkdir");
    fs::create_dir_all(dir.path().join("out")).expect("mkdir");
    fs::write(dir.path().join("in/a.txt"), DOC).expect("write");
    fs::write(dir.path().join("in/b.txt"), DOC).expect("write");
    assert!(incremental_run(dir.path(), &[]).status.success());
    assert_eq!(outputs(dir.path()), [["\"a\"", "\"b\""]]);
    // Output names hold the second: make sure the next run gets a new one.
    std::thread::sleep(Duration::from_millis(1100));
    fs::write(dir.path().join("in/c.txt"), DOC).expect("write");
    let second = incremental_run(dir.path(), &[]);
    assert!(second.status.success());
    assert_eq!(outputs(dir.path())[1], ["\"c\""], "only the new file");
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(stderr.contains("2 inputs unchanged"), "{stderr}");
    // Nothing new: no output at all.
    std::thread::sleep(Duration::from_millis(1100));
    let third = incremental_run(dir.path(), &[]);
    assert!(third.status.success());
    assert_eq!(outputs(dir.path()).len(), 2);
    // Another configuration: everything again.
    let fourth = incremental_run(dir.path(), &["--keep-langs", "fr"]);
    assert!(fourth.status.success());
    assert_eq!(outputs(dir.path())[2].len(), 3);
}

#[test]
fn state_without_timestamp_in_the_output_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("tmp");
    fs::create_dir_all(dir.path().join("in")).expect("mkdir");
    Command::cargo_bin("polyclean")
        .expect("binary")
        .arg("run")
        .arg(dir.path().join("in"))
        .arg("-o")
        .arg(dir.path().join("out.jsonl"))
        .arg("--state")
        .arg(dir.path().join("state.json"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("{timestamp}"));
    assert!(!dir.path().join("state.json").exists());
}

#[test]
fn after_kill_9_the_next_run_removes_the_temporary_and_completes() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("out.jsonl");
    let mut child = start_long_run(dir.path());
    child.kill().expect("SIGKILL");
    child.wait().expect("wait");
    let left = temporaries(dir.path());
    assert_eq!(left.len(), 1, "kill -9 leaves the temporary file: {left:?}");
    assert!(!out.exists());
    let small = dir.path().join("small.txt");
    fs::write(&small, DOC).expect("write");
    let next = Command::cargo_bin("polyclean")
        .expect("binary")
        .arg("run")
        .arg(&small)
        .arg("-o")
        .arg(&out)
        .output()
        .expect("runs");
    assert!(next.status.success());
    let stderr = String::from_utf8_lossy(&next.stderr);
    assert!(
        stderr.contains(&left[0]) && stderr.contains("interrupted run"),
        "{stderr}"
    );
    assert_eq!(temporaries(dir.path()), Vec::<String>::new());
    assert_eq!(fs::read_to_string(&out).expect("output").lines().count(), 1);
}
