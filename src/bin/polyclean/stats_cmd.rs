//! `polyclean stats`: read cleaned corpora back and print their figures.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;

use polyclean::config::LogFormat;
use polyclean::corpus_stats::{render_table, CorpusStats};
use polyclean::read::{self, Input, Issue};

use super::monitor::{init_logging, log_issue};
use super::EXIT_SKIPPED;

#[derive(Args)]
pub struct StatsArgs {
    /// Outputs of `polyclean run` (JSONL, optionally `.gz`/`.zst`), directories of them
    /// (walked recursively, in path order), or `-` for stdin.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Print one JSON object (schema in docs/stats.md) instead of the table.
    #[arg(long)]
    json: bool,
}

/// Count every input, report bad lines and unreadable inputs on stderr, and print the
/// figures; exit code 3 when anything was skipped.
pub fn stats(args: StatsArgs) -> Result<u8> {
    init_logging(LogFormat::Text);
    let (inputs, issues) = read::expand(&args.inputs);
    let mut skipped = issues.len();
    for issue in &issues {
        log_issue(issue);
    }
    let mut stats = CorpusStats::new();
    for input in &inputs {
        skipped += count_input(&mut stats, input);
    }
    let summary = stats.summary();
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &summary).context("cannot write to stdout")?;
        writeln!(out)?;
    } else {
        write!(out, "{}", render_table(&summary))?;
    }
    out.flush()?;
    Ok(if skipped > 0 { EXIT_SKIPPED } else { 0 })
}

/// Count one input; returns how many lines or inputs were skipped.
fn count_input(stats: &mut CorpusStats, input: &Input) -> usize {
    let name = input.name();
    let skip = |location: String, message: String| {
        log_issue(&Issue {
            location,
            message,
            skipped: true,
        })
    };
    let stream = match read::open_stream(input) {
        Ok((stream, _)) => stream,
        Err(e) => {
            skip(name, format!("cannot read it ({e}); skipped"));
            return 1;
        }
    };
    let mut bad = 0;
    let result = stats.read(&name, stream, |error| {
        bad += 1;
        skip(
            format!("{}:{}", error.file, error.line),
            format!("{}; line not counted", error.error),
        );
    });
    if let Err((line, e)) = result {
        skip(
            format!("{name}:{line}"),
            format!("cannot read on ({e}); the rest of the file is not counted"),
        );
        bad += 1;
    }
    bad
}
