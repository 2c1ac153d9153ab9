//! `polyclean merge` and `polyclean dedup`: the merge and apply steps of map → merge → apply
//! (docs/dedup.md). The map step is `polyclean run … --dedup-table FILE` on every shard.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::Args;

use polyclean::boilerplate::{Repetition, RepetitionTable};
use polyclean::dedup::apply::apply;
use polyclean::dedup::{Dedup, DedupTable, DedupTableBody, ParagraphPolicy};
use polyclean::table_file::{self, TableKind};
use polyclean::write::{Compression, Destination, Output, OutputRecord};

use super::monitor::{log_issue, log_note};
use super::{UsageError, EXIT_SKIPPED};

#[derive(Args)]
pub(crate) struct MergeArgs {
    /// Table files of one kind: `polyclean hashes` outputs, `run --dedup-table` outputs, or
    /// earlier merges.
    #[arg(required = true)]
    tables: Vec<PathBuf>,
    /// The merged table.
    #[arg(short, long)]
    output: PathBuf,
}

#[derive(Args)]
pub(crate) struct DedupArgs {
    /// JSONL outputs of `run` with --dedup / --near-dup (one shard's), read in order; `-`
    /// reads stdin.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// The merged duplicate table of every shard (`polyclean merge`).
    #[arg(long, value_name = "FILE")]
    table: PathBuf,
    /// Duplicate paragraphs: keep the first in input order, or drop every copy
    /// [default: keep-first].
    #[arg(long, value_enum, value_name = "POLICY")]
    dedup_paragraphs: Option<ParagraphPolicy>,
    /// Output JSONL file (`-` for stdout; `.gz` / `.zst` compress it).
    #[arg(short, long)]
    output: PathBuf,
}

/// `polyclean merge`: the kind of the first table decides how all are merged.
pub(crate) fn merge(args: MergeArgs) -> Result<u8> {
    super::init_logging(&polyclean::UserConfig::default());
    let kind = table_file::kind_of(&args.tables[0]).map_err(|e| UsageError(e.to_string()))?;
    match kind {
        TableKind::Dedup => merge_dedup(&args.tables, &args.output)?,
        TableKind::Repetition => merge_counts(&args.tables, &args.output)?,
    }
    Ok(0)
}

fn merge_counts(tables: &[PathBuf], output: &Path) -> Result<()> {
    let mut merged: Option<Repetition> = None;
    for path in tables {
        let table: RepetitionTable =
            table_file::read(path, TableKind::Repetition).map_err(|e| UsageError(e.to_string()))?;
        match &mut merged {
            None => merged = Some(Repetition::from_table(&table)),
            Some(m) if m.min_documents() != table.min_documents => bail!(UsageError(format!(
                "{}: counted for `repeated = {}`, the first table for {}; count every shard with the same --repeated",
                path.display(),
                table.min_documents,
                m.min_documents()
            ))),
            Some(m) => m.merge(&table),
        }
    }
    if let Some(merged) = merged {
        merged.save(output)?;
    }
    Ok(())
}

fn merge_dedup(paths: &[PathBuf], output: &Path) -> Result<()> {
    let mut merged: Option<DedupTable> = None;
    for path in paths {
        let body: DedupTableBody =
            table_file::read(path, TableKind::Dedup).map_err(|e| UsageError(e.to_string()))?;
        match &mut merged {
            None => merged = Some(DedupTable::from_body(&body)),
            Some(table) => table
                .merge(&body)
                .map_err(|e| UsageError(format!("{}: {e}", path.display())))?,
        }
    }
    let Some(table) = merged else {
        return Ok(());
    };
    table_file::write(output, TableKind::Dedup, &table.to_body())?;
    Ok(())
}

/// `polyclean dedup`: every record of the inputs decided again with the merged table and
/// written as `run` writes it. A line that cannot be read is skipped with a message (exit 3).
pub(crate) fn dedup(args: DedupArgs) -> Result<u8> {
    super::init_logging(&polyclean::UserConfig::default());
    let body: DedupTableBody =
        table_file::read(&args.table, TableKind::Dedup).map_err(|e| UsageError(e.to_string()))?;
    let dedup = Dedup::with_table(
        args.dedup_paragraphs.unwrap_or_default(),
        DedupTable::from_body(&body),
    );
    let dest = Destination::create(&args.output)
        .and_then(|d| Output::new(d, Compression::from_path(&args.output)))
        .with_context(|| format!("cannot create {}", args.output.display()))?;
    let mut out = dest;
    let mut skipped = 0;
    for input in &args.inputs {
        let stream: Box<dyn BufRead> = if input.as_os_str() == "-" {
            Box::new(std::io::stdin().lock())
        } else {
            let file = std::fs::File::open(input)
                .with_context(|| format!("cannot read {}", input.display()))?;
            Box::new(BufReader::new(file))
        };
        for (n, line) in stream.lines().enumerate() {
            let line = line.with_context(|| format!("cannot read {}", input.display()))?;
            if line.trim().is_empty() {
                continue;
            }
            let decided = serde_json::from_str::<OutputRecord>(&line)
                .map_err(|e| e.to_string())
                .and_then(|mut record| {
                    apply(&dedup, &mut record).map_err(|e| e.to_string())?;
                    Ok(record)
                });
            match decided {
                Ok(record) => record
                    .write_line(&mut out)
                    .with_context(|| format!("cannot write {}", args.output.display()))?,
                Err(reason) => {
                    skipped += 1;
                    log_issue(&polyclean::read::Issue {
                        location: format!("{}:{}", input.display(), n + 1),
                        message: format!("{reason}; record not written"),
                        skipped: true,
                    });
                }
            }
        }
    }
    out.flush()?;
    out.finish_encoding()
        .and_then(|d| d.commit())
        .with_context(|| format!("cannot commit {}", args.output.display()))?;
    if skipped > 0 {
        log_note(&format!("{skipped} records skipped"));
        return Ok(EXIT_SKIPPED);
    }
    Ok(0)
}
