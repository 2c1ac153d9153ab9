//! The crontab line and the systemd service of docs/operations.md, run as written: twice over
//! a test folder, the second run reading only the file added in between.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

const DOCS: &str = include_str!("../docs/operations.md");
const FOLDER: &str = "/srv/corpus";

/// The body of the fenced block whose info string is `info`.
fn block(info: &str) -> &'static str {
    let fence = format!("```{info}\n");
    let start = DOCS
        .find(&fence)
        .unwrap_or_else(|| panic!("no ```{info} block"))
        + fence.len();
    let len = DOCS[start..].find("```").expect("closed block");
    &DOCS[start..start + len]
}

fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_polyclean"))
}

/// A copy of the documented folder: the configuration, an inbox with one file.
fn folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tmp");
    fs::write(
        dir.path().join("polyclean.toml"),
        block("toml polyclean.toml"),
    )
    .expect("config");
    for sub in ["inbox", "out", "state"] {
        fs::create_dir(dir.path().join(sub)).expect("mkdir");
    }
    add(dir.path(), "a");
    dir
}

fn add(dir: &Path, name: &str) {
    let text = format!("Le conseil municipal de {name} a voté jeudi soir le budget de la ville pour l'année prochaine.");
    fs::write(dir.join("inbox").join(format!("{name}.txt")), text).expect("write");
}

/// The ids in each cleaned output of `dir/out`, in name (= time) order.
fn cleaned(dir: &Path) -> Vec<Vec<String>> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir.join("out"))
        .expect("out")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().contains("clean-"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|f| {
            let mut text = String::new();
            flate2::read::GzDecoder::new(fs::File::open(f).expect("open"))
                .read_to_string(&mut text)
                .expect("gzip");
            text.lines()
                .map(|l| {
                    serde_json::from_str::<serde_json::Value>(l).expect("JSON")["id"].to_string()
                })
                .collect()
        })
        .collect()
}

/// Run `job` twice on a documented folder, adding a file between the runs.
fn twice(job: impl Fn(&Path) -> std::process::ExitStatus) {
    let dir = folder();
    assert!(job(dir.path()).success());
    assert_eq!(cleaned(dir.path()), [["\"a\""]]);
    std::thread::sleep(Duration::from_millis(1100));
    add(dir.path(), "b");
    assert!(job(dir.path()).success());
    assert_eq!(
        cleaned(dir.path()),
        [["\"a\""], ["\"b\""]],
        "second run: only the new file"
    );
    assert!(dir.path().join("state/polyclean-state.json").exists());
}

#[test]
fn the_crontab_line_runs_incrementally() {
    let line = block("crontab")
        .lines()
        .find(|l| !l.starts_with('#') && !l.trim().is_empty())
        .expect("a crontab entry");
    let command: String = line
        .split_whitespace()
        .skip(5)
        .collect::<Vec<_>>()
        .join(" ");
    let bin_dir = binary().parent().expect("bin dir").to_path_buf();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    twice(|dir| {
        Command::new("sh")
            .arg("-c")
            .arg(command.replace(FOLDER, &dir.display().to_string()))
            .env("PATH", &path)
            .status()
            .expect("sh runs")
    });
}

#[test]
fn the_systemd_service_runs_incrementally() {
    let unit = block("ini polyclean.service");
    let value = |key: &str| {
        unit.lines()
            .find_map(|l| l.strip_prefix(key))
            .unwrap_or_else(|| panic!("no {key} in the unit"))
    };
    let exec: Vec<String> = value("ExecStart=")
        .split_whitespace()
        .map(String::from)
        .collect();
    assert_eq!(exec[0], "/usr/local/bin/polyclean");
    twice(|dir| {
        let here = |s: &str| s.replace(FOLDER, &dir.display().to_string());
        Command::new(binary())
            .args(exec[1..].iter().map(|a| here(a)))
            .current_dir(here(value("WorkingDirectory=")))
            .status()
            .expect("runs")
    });
}
