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

/// Three files of two pages each, all with the same footer; `z1` copies `x0`'s article.
fn footer_corpus(dir: &Path) -> PathBuf {
    let root = dir.join("footer-corpus");
    fs::create_dir(&root).expect("mkdir");
    let footer = "Le Courrier des Halles paraît chaque jeudi depuis mille neuf cent douze";
    let article = |town: &str, n: &str| {
        format!("Le marché couvert de {town} accueille {n} producteurs venus des fermes voisines.")
    };
    let pages = [
        ("x", [article("Brême", "douze"), article("Dinan", "trente")]),
        ("y", [article("Lisieux", "neuf"), article("Vitré", "onze")]),
        (
            "z",
            [article("Morlaix", "vingt"), article("Brême", "douze")],
        ),
    ];
    for (name, texts) in pages {
        let lines: Vec<String> = texts
            .iter()
            .enumerate()
            .map(|(i, text)| {
                serde_json::json!({"id": format!("{name}{i}"), "text": format!("{text}\n\n{footer}")})
                    .to_string()
            })
            .collect();
        fs::write(root.join(format!("{name}.jsonl")), lines.join("\n")).expect("write");
    }
    root
}

const MERGE_SCRIPT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/slurm/polyclean-merge.sbatch"
);

/// The merge job, as Slurm would run it.
fn merge_job(out: &Path, kind: &str) {
    let status = Command::new("bash")
        .arg(MERGE_SCRIPT)
        .env("POLYCLEAN", env!("CARGO_BIN_EXE_polyclean"))
        .env("OUT", out)
        .env("KIND", kind)
        .status()
        .expect("run bash");
    assert!(status.success(), "merge {kind}");
}

#[test]
fn the_chained_steps_write_the_single_run_with_every_corpus_level_step() {
    let dir = tempfile::tempdir().expect("tmp");
    let input = footer_corpus(dir.path());
    let out = dir.path().join("out");
    let counts = out.join("counts.pctable");
    let counts = counts.to_str().expect("utf-8");
    let dedup = "--dedup --near-dup 0.8";
    // The order submit.sh chains them in.
    for (step, env) in [
        ("hashes", vec![]),
        ("merge", vec![("KIND", "counts")]),
        ("run", vec![("COUNTS", counts), ("DEDUP", dedup)]),
        ("merge", vec![("KIND", "dedup")]),
        ("apply", vec![("DEDUP", dedup)]),
    ] {
        if step == "merge" {
            merge_job(&out, env[0].1);
            continue;
        }
        for t in 0..3 {
            let env = [&env[..], &[("STEP", step)]].concat();
            let output = task(&input, &out, t, 3, &env);
            assert!(
                output.status.success(),
                "{step} {t}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
    }
    let single_path = dir.path().join("single.jsonl");
    let single = Command::new(env!("CARGO_BIN_EXE_polyclean"))
        .arg("run")
        .arg(&input)
        .args(["--dedup", "--near-dup", "0.8", "-q", "-o"])
        .arg(&single_path)
        .output()
        .expect("single run");
    assert!(single.status.success());
    let single = fs::read_to_string(&single_path).expect("single output");
    // Shard by input: part 0 holds x.jsonl, part 1 y.jsonl, part 2 z.jsonl, in input order.
    let parts: Vec<String> = (0..3)
        .flat_map(|t| zstd_lines(&out.join(format!("part-{t:05}-of-00003.jsonl.zst"))))
        .collect();
    assert!(
        single.contains("\"reason\":\"duplicate_document\""),
        "{single}"
    );
    assert!(single.contains("\"reason\":\"repeated\""), "{single}");
    assert_eq!(parts.join("\n") + "\n", single);
}
