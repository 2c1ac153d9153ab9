//! examples/slurm/polyclean-array.sbatch run as Slurm would run its array tasks — with bash and
//! the SLURM_* variables set, no sbatch — against a single run over the same inputs.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const SCRIPT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/slurm/polyclean-array.sbatch"
);

/// Three JSONL inputs; `b.jsonl` has a broken line.
fn corpus(dir: &Path) -> PathBuf {
    let root = dir.join("corpus");
    fs::create_dir(&root).expect("mkdir");
    for (name, town) in [("a", "Brême"), ("b", "Lisieux"), ("c", "Morlaix")] {
        let mut lines: Vec<String> = (0..3)
            .map(|i| format!("{{\"id\":\"{name}{i}\",\"text\":\"Le marché couvert de {town} accueille {i} nouveaux producteurs chaque printemps.\\n\\nPublicité\"}}"))
            .collect();
        if name == "b" {
            lines.insert(1, "{\"id\":".into());
        }
        fs::write(root.join(format!("{name}.jsonl")), lines.join("\n")).expect("write");
    }
    root
}

/// The script as array task `task` of `count`.
fn task(input: &Path, out: &Path, task: u32, count: u32, env: &[(&str, &str)]) -> Output {
    Command::new("bash")
        .arg(SCRIPT)
        .arg(input)
        .env("SLURM_ARRAY_TASK_ID", task.to_string())
        .env("SLURM_ARRAY_TASK_COUNT", count.to_string())
        .env("POLYCLEAN", env!("CARGO_BIN_EXE_polyclean"))
        .env("OUT", out)
        .envs(env.iter().copied())
        .output()
        .expect("run bash")
}

fn zstd_lines(path: &Path) -> Vec<String> {
    let bytes = zstd::decode_all(fs::File::open(path).expect("part")).expect("zstd");
    String::from_utf8(bytes)
        .expect("utf-8")
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn the_array_tasks_together_write_the_single_run() {
    let dir = tempfile::tempdir().expect("tmp");
    let input = corpus(dir.path());
    let out = dir.path().join("out");
    let mut codes = Vec::new();
    for t in 0..3 {
        let output = task(&input, &out, t, 3, &[]);
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        codes.push((output.status.code(), stderr));
    }
    // Every task succeeds; the one holding b.jsonl says what it skipped.
    assert!(codes.iter().all(|(c, _)| *c == Some(0)), "{codes:?}");
    assert!(
        codes[1].1.contains("b.jsonl:2") && codes[1].1.contains("skipped"),
        "{}",
        codes[1].1
    );

    let mut union: Vec<String> = (0..3)
        .flat_map(|t| zstd_lines(&out.join(format!("part-{t:05}-of-00003.jsonl.zst"))))
        .collect();
    for t in 0..3 {
        assert!(out
            .join(format!("part-{t:05}-of-00003.report.json"))
            .is_file());
    }
    let single_path = dir.path().join("single.jsonl");
    let single = Command::new(env!("CARGO_BIN_EXE_polyclean"))
        .arg("run")
        .arg(&input)
        .arg("-o")
        .arg(&single_path)
        .args(["--repeated", "0", "--quiet"])
        .output()
        .expect("single run");
    assert_eq!(single.status.code(), Some(3));
    let mut single: Vec<String> = fs::read_to_string(&single_path)
        .expect("single output")
        .lines()
        .map(str::to_string)
        .collect();
    union.sort();
    single.sort();
    // 3 records in each of 3 files; the broken line is an extra line, skipped.
    assert_eq!(single.len(), 9);
    assert_eq!(union, single);

    // STRICT=1 turns the skipped record into a failed task.
    let strict = task(&input, &out, 1, 3, &[("STRICT", "1")]);
    assert_eq!(strict.status.code(), Some(3));
}

#[test]
fn a_failing_task_fails_the_script_with_polyclean_s_exit_code() {
    let dir = tempfile::tempdir().expect("tmp");
    let input = corpus(dir.path());
    let out = dir.path().join("out");
    // Task 3 of 3 (an array that does not start at 0) is a usage error.
    let output = task(&input, &out, 3, 3, &[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("failed with exit code 2"), "{stderr}");
    assert!(stderr.contains("SHARDS=3 sbatch --array=3"), "{stderr}");
    // Not an array task at all.
    let output = Command::new("bash")
        .arg(SCRIPT)
        .arg(&input)
        .env_remove("SLURM_ARRAY_TASK_ID")
        .output()
        .expect("bash");
    assert_ne!(output.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&output.stderr).contains("sbatch --array"));
}
