//! The `polyclean` command: a thin layer over the library.
//!
//! Exit codes: 0 all good; 1 fatal error, nothing written; 2 usage error;
//! 3 finished, but some inputs or records were skipped; 4 the output is locked by another
//! run; 130/143 stopped by SIGINT/SIGTERM, nothing committed.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand};

use polyclean::boilerplate::{Reason, Repetition, RuleFile};
use polyclean::lang::{parse_code, LangConfig, LanguageDetector};
use polyclean::normalize::UnicodeForm;
use polyclean::quality::QualityMode;
use polyclean::read::{self, InputFormat, ReadOptions, Reader};
use polyclean::report::{Report, ReportFormat};
use polyclean::shard::{Part, Shard};
use polyclean::write::{
    self, Compression, Destination, ExplainWriter, Format, LockError, OutputLock, OutputOptions,
    PredictionWriter, RejectedWriter, Sink, SplitByLang, SplitFormat, Tee,
};
use polyclean::{BatchLimits, Config, Pipeline, UserConfig};
use rayon::prelude::*;

mod malloc;
mod monitor;
mod stats_cmd;
mod tables;

use monitor::{log_error, log_issue, log_note, log_summary, log_warning, RunMonitor, StopSignal};
use polyclean::config::LogFormat;
use polyclean::state::{config_hash, Plan, RunState};

const EXIT_FATAL: u8 = 1;
const EXIT_USAGE: u8 = 2;
const EXIT_SKIPPED: u8 = 3;
const EXIT_LOCKED: u8 = 4;

#[derive(Parser)]
#[command(
    name = "polyclean",
    version,
    about = "Clean scraped multilingual web text into language-tagged JSONL/CSV"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Clean inputs (files, directories, `-` for stdin) into one JSONL or CSV output.
    Run(RunArgs),
    /// Show every paragraph of the inputs with its verdict, language, reason and evidence.
    Explain(ExplainArgs),
    /// List the boilerplate rules: reason codes, then every rule with its file and phrases.
    Rules(RulesArgs),
    /// Detect the language of every record (each one a paragraph): JSONL predictions with
    /// the language, confidence, and language spans (code-point offsets).
    Detect(DetectArgs),
    /// Show the effective configuration of `run`: polyclean.toml (or `--config`), the
    /// command line's flags over it, defaults filled in.
    Config(ConfigArgs),
    /// Summarise cleaned corpora written by `run` (JSONL, `.gz`/`.zst`): documents,
    /// paragraphs, words and characters per language, drop reasons, duplicate rates, length
    /// percentiles (see docs/stats.md).
    Stats(stats_cmd::StatsArgs),
    /// Map step of repetition detection across machines: count the documents every
    /// paragraph of the inputs occurs in, into a table file for `polyclean merge` and
    /// `run --counts` (see docs/scale-out.md).
    Hashes(HashesArgs),
    /// Merge table files made on shards (`hashes` repetition counts, `run --dedup-table`
    /// duplicate tables) into one; the result does not depend on the order or grouping of
    /// the merges (docs/scale-out.md).
    Merge(tables::MergeArgs),
    /// Decide duplicates again in a shard's JSONL output with a merged table (docs/dedup.md).
    Dedup(tables::DedupArgs),
}

#[derive(Args)]
struct HashesArgs {
    /// Input files, directories or `-` for stdin, read as by `run` [config: inputs].
    inputs: Vec<PathBuf>,
    /// The table file to write.
    #[arg(short, long)]
    output: PathBuf,
    #[command(flatten)]
    scale: ScaleArgs,
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    pipeline: PipelineArgs,
    #[command(flatten)]
    exec: ExecArgs,
}

#[derive(Args)]
struct ConfigArgs {
    /// Print the effective configuration as TOML (a valid polyclean.toml).
    #[arg(long, required = true)]
    print: bool,
    #[command(flatten)]
    run: RunArgs,
}

#[derive(Args)]
struct DetectArgs {
    /// Input files, directories or `-` for stdin, read as by `run`.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Output file (`-` for stdout).
    #[arg(short, long)]
    output: PathBuf,
    /// Candidate languages, ISO 639-1 or 639-3, comma-separated (e.g. `fr,en,es`); default all.
    #[arg(long, value_delimiter = ',')]
    langs: Vec<String>,
    /// Write ISO 639-3 codes (`fra`, whatlang's) instead of ISO 639-1 (`fr`).
    #[arg(long = "iso-639-3")]
    iso_639_3: bool,
    #[command(flatten)]
    input: InputArgs,
    /// Worker threads (default: one per core). Output bytes do not depend on it.
    #[arg(long)]
    threads: Option<usize>,
}

#[derive(Args)]
struct RunArgs {
    /// Input files, directories (walked recursively, in path order) or `-` for stdin
    /// [config: inputs].
    inputs: Vec<PathBuf>,
    /// Output file (`-` for stdout); written to a temporary file and renamed when complete.
    /// `.gz` / `.zst` at the end compress it (`out.jsonl.zst`).
    #[arg(short, long, conflicts_with = "split_by_lang")]
    output: Option<PathBuf>,
    /// One output per document language in DIR: `fr.jsonl`, `en.jsonl`, `und.jsonl`
    /// (undetermined). DIR is created if missing; its parent must exist.
    #[arg(long, value_name = "DIR", conflicts_with = "format")]
    split_by_lang: Option<PathBuf>,
    /// Format of the `--split-by-lang` files [default: jsonl].
    #[arg(long, value_enum)]
    split_format: Option<SplitFormat>,
    /// Output format; by default from the output's extension (`.csv`, `.csv.gz` → csv, else jsonl).
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// CSV: prefix `'` to every cell that starts with `=`, `+`, `-`, `@`, tab or carriage
    /// return, so spreadsheets show it as text instead of running it as a formula.
    #[arg(long)]
    csv_neutralize_formulas: bool,
    /// Also write every dropped paragraph (doc id, index, reason, evidence, text) as JSONL here
    /// (`.gz` / `.zst` compress it).
    #[arg(long)]
    rejected: Option<PathBuf>,
    /// Incremental run: process only inputs that are new or changed since the run that saved
    /// this state file; the output path must then hold `{timestamp}`, so every run writes its
    /// results to a new file (see docs/operations.md).
    #[arg(long, value_name = "FILE")]
    state: Option<PathBuf>,
    /// Also write the run's duplicate table here (with --dedup / --near-dup), committed with
    /// the output: the map output of a shard, for `polyclean merge` (docs/dedup.md).
    #[arg(long, value_name = "FILE")]
    dedup_table: Option<PathBuf>,
    #[command(flatten)]
    scale: ScaleArgs,
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    pipeline: PipelineArgs,
    #[command(flatten)]
    exec: ExecArgs,
}

#[derive(Args)]
struct ExplainArgs {
    /// Input files, directories or `-` for stdin, read as by `run` [config: inputs].
    inputs: Vec<PathBuf>,
    /// Show whole paragraphs instead of their first 110 characters.
    #[arg(long)]
    full: bool,
    /// Colours: `auto` (when stdout is a terminal and NO_COLOR is unset), `always`, `never`.
    #[arg(long, value_enum, default_value_t = ColourChoice::Auto)]
    colour: ColourChoice,
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    pipeline: PipelineArgs,
    #[command(flatten)]
    exec: ExecArgs,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ColourChoice {
    Auto,
    Always,
    Never,
}

/// Scale-out: one worker's part of a larger run (see docs/scale-out.md).
#[derive(Args)]
struct ScaleArgs {
    /// Process shard I of N (0 ≤ I < N; also `I:N`): whole inputs (input i → shard i mod N)
    /// when there are at least N, else records (record r of input i → shard (i + r) mod N).
    /// The N outputs together hold the records of one run over everything [config: shard].
    #[arg(long, value_name = "I/N")]
    shard: Option<Shard>,
    /// The first input is input K of a larger run (e.g. stdin fed one of many files): its
    /// documents get that run's positions, and record shards count from K [config:
    /// input_index] [default: 0].
    #[arg(long, value_name = "K")]
    input_index: Option<u32>,
}

impl ScaleArgs {
    fn set(&self, c: &mut UserConfig) {
        c.shard = self.shard;
        c.input_index = self.input_index;
    }
}

/// How inputs are read (shared by `run` and `explain`).
#[derive(Args)]
struct InputArgs {
    /// Input layout; `auto` goes by extension (.jsonl/.ndjson, .csv, anything else is text)
    /// [default: auto].
    #[arg(long, value_enum)]
    input_format: Option<InputFormat>,
    /// JSONL field / CSV column holding the text [default: text].
    #[arg(long)]
    text_field: Option<String>,
    /// JSONL field / CSV column holding the document id (when a record has none:
    /// `<file>:<line>`) [default: id].
    #[arg(long)]
    id_field: Option<String>,
    /// Skip (with a message) any record, text file or WARC record larger than this many MiB
    /// [default: 64].
    #[arg(long, value_name = "MB", value_parser = clap::value_parser!(u64).range(1..))]
    max_document_mb: Option<u64>,
    /// The name stdin goes by in `source`, default ids and messages [default: stdin]: a
    /// worker fed one file of a larger run gives the file's path, so its records come out as
    /// a run over the file writes them (docs/scale-out.md).
    #[arg(long, value_name = "NAME")]
    stdin_name: Option<String>,
}

/// What the pipeline does (shared by `run` and `explain`).
#[derive(Args)]
struct PipelineArgs {
    /// Candidate languages, ISO 639-1 or 639-3, comma-separated (e.g. `fr,en,es`); default all.
    #[arg(long, value_delimiter = ',')]
    langs: Vec<String>,
    /// Keep only content in these languages (e.g. `fr`); paragraphs in others are dropped with
    /// reason `language`. Mixed paragraphs count by their main language.
    #[arg(long, value_delimiter = ',', value_name = "LANGS")]
    keep_langs: Vec<String>,
    /// Unicode normalization form [default: nfc].
    #[arg(long, value_enum)]
    unicode: Option<UnicodeForm>,
    /// Extra rule file(s) in the format of `rules/*.toml`, applied after the built-in rules.
    #[arg(long = "rules", value_name = "FILE")]
    rule_files: Vec<PathBuf>,
    /// Rules only: do not run the content classifier (reason `low_content`).
    #[arg(long)]
    no_classifier: bool,
    /// Drop paragraphs found in at least N documents of the run as `repeated` (site
    /// templates); 0 turns it off. Needs a first pass over the inputs, so not with stdin
    /// [default: 3].
    #[arg(long, value_name = "N")]
    repeated: Option<u32>,
    /// Repetition counts made beforehand by `polyclean hashes` (and `polyclean merge`): used
    /// for `repeated` instead of a first pass over the inputs — so it works on stdin, and
    /// across shards judges every paragraph by the whole corpus [config: counts].
    #[arg(long, value_name = "FILE")]
    counts: Option<PathBuf>,
    /// Document quality filters (Gopher, C4, FineWeb; thresholds in polyclean.toml's
    /// `[quality]`, see docs/quality-filters.md): `annotate` writes their scores, `filter` also
    /// drops what fails [default: off].
    #[arg(long, value_enum, value_name = "MODE")]
    quality: Option<QualityMode>,
    /// Drop exact duplicate paragraphs (`duplicate`) and documents (`duplicate_document`)
    /// across the run, compared in CCNet's normal form (docs/dedup.md).
    #[arg(long)]
    dedup: bool,
    /// Duplicate paragraphs: keep the first in input order, or drop every copy (CCNet's
    /// choice; reads the inputs twice, not with stdin) [default: keep-first].
    #[arg(long, value_enum, value_name = "POLICY")]
    dedup_paragraphs: Option<polyclean::dedup::ParagraphPolicy>,
    /// Drop near-duplicate documents (`near_duplicate`): MinHash LSH on word 5-grams at this
    /// Jaccard threshold, e.g. 0.8 (docs/dedup.md).
    #[arg(long, value_name = "T", value_parser = jaccard_threshold)]
    near_dup: Option<f64>,
    /// Configuration file (TOML): any option of this command, extra rules, rules to disable,
    /// classifier settings [default: ./polyclean.toml when it exists]. Flags override it.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

/// How the run is executed (shared by `run` and `explain`).
#[derive(Args)]
struct ExecArgs {
    /// Worker threads (default: one per core). Output bytes do not depend on it.
    #[arg(long)]
    threads: Option<usize>,
    /// Documents per parallel batch (memory stays bounded by the batch) [default: 512].
    #[arg(long)]
    batch_size: Option<usize>,
    /// No summary and no progress bar on stderr (warnings are still printed).
    #[arg(short, long)]
    quiet: bool,
    /// Messages on stderr as plain text, or as JSON lines for log collectors [default: text].
    #[arg(long, value_enum)]
    log_format: Option<LogFormat>,
    /// Also write a run report here after the run: `.json` (figures, stable schema) or `.html`
    /// (a page with charts); `{timestamp}` in the name is replaced; see docs/report.md.
    #[arg(long, value_name = "FILE", value_parser = report_path)]
    report: Option<PathBuf>,
}

/// `--near-dup`'s value: a similarity in (0, 1].
fn jaccard_threshold(value: &str) -> Result<f64, String> {
    match value.parse::<f64>() {
        Ok(t) if t > 0.0 && t <= 1.0 => Ok(t),
        _ => Err("give a Jaccard similarity above 0 and at most 1, e.g. 0.8".to_string()),
    }
}

/// `--report`'s value, refused at once (exit 2) when its extension names no report format.
fn report_path(value: &str) -> Result<PathBuf, String> {
    let path = PathBuf::from(value);
    ReportFormat::from_path(&path).map_err(|_| {
        "the report format follows the file name: use a name ending in .json or .html".to_string()
    })?;
    Ok(path)
}

#[derive(Args)]
struct RulesArgs {
    #[command(flatten)]
    pipeline: PipelineArgs,
}

/// The rayon pool of `threads` workers (default: rayon's, one per core or
/// `RAYON_NUM_THREADS`), each with its own malloc arena.
fn worker_pool(threads: Option<usize>) -> Result<rayon::ThreadPool> {
    let workers = threads.filter(|&n| n > 0).unwrap_or_else(|| {
        std::env::var("RAYON_NUM_THREADS")
            .ok()
            .and_then(|n| n.parse().ok())
            .filter(|&n| n > 0)
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
    });
    malloc::configure(workers);
    rayon::ThreadPoolBuilder::new()
        .num_threads(workers)
        .build()
        .context("cannot start the worker threads")
}

/// An error that is the caller's to fix (exit 2), as opposed to a failure (exit 1).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct UsageError(String);

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(args) => run(args),
        Command::Explain(args) => explain(args),
        Command::Rules(args) => list_rules(args),
        Command::Detect(args) => detect(args),
        Command::Config(args) => print_config(args),
        Command::Hashes(args) => hashes(args),
        Command::Merge(args) => tables::merge(args),
        Command::Dedup(args) => tables::dedup(args),
        Command::Stats(args) => stats_cmd::stats(args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        // A closed pipe (`polyclean rules | head`) is the reader's choice, not a failure.
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) if is_interrupted(&err) => {
            let signal = stop_signal_of(&err);
            log_warning(&format!(
                "stopped by signal {signal}; no output was written, temporary files removed"
            ));
            ExitCode::from(128 + u8::try_from(signal).unwrap_or(0))
        }
        Err(err) => {
            if tracing::dispatcher::has_been_set() {
                log_error(&format!("{err:#}"));
            } else {
                eprintln!("polyclean: error: {err:#}");
            }
            let code = if err.is::<UsageError>() {
                EXIT_USAGE
            } else if matches!(err.downcast_ref(), Some(LockError::Held { .. })) {
                EXIT_LOCKED
            } else {
                EXIT_FATAL
            };
            ExitCode::from(code)
        }
    }
}

impl InputArgs {
    /// The flags given, as a configuration.
    fn set(&self, c: &mut UserConfig) {
        c.input_format = self.input_format;
        c.text_field.clone_from(&self.text_field);
        c.id_field.clone_from(&self.id_field);
        c.max_document_mb = self.max_document_mb;
        c.stdin_name.clone_from(&self.stdin_name);
    }
}

impl PipelineArgs {
    fn set(&self, c: &mut UserConfig) {
        c.langs.clone_from(&self.langs);
        c.keep_langs.clone_from(&self.keep_langs);
        c.unicode = self.unicode;
        c.rule_files.clone_from(&self.rule_files);
        c.no_classifier = self.no_classifier.then_some(true);
        c.repeated = self.repeated;
        c.counts.clone_from(&self.counts);
        c.quality.mode = self.quality;
        c.dedup = self.dedup.then_some(true);
        c.dedup_paragraphs = self.dedup_paragraphs;
        c.near_dup = self.near_dup;
    }

    /// These flags over the configuration file (`--config`, or ./polyclean.toml).
    fn effective(&self, mut cli: UserConfig) -> Result<UserConfig> {
        self.set(&mut cli);
        let file =
            UserConfig::discover(self.config.as_deref()).map_err(|e| UsageError(e.to_string()))?;
        Ok(cli.overlay(file).with_defaults())
    }
}

impl ExecArgs {
    fn set(&self, c: &mut UserConfig) {
        c.threads = self.threads;
        c.batch_size = self.batch_size;
        c.quiet = self.quiet.then_some(true);
        c.log_format = self.log_format;
        c.report.clone_from(&self.report);
    }
}

impl RunArgs {
    /// The run's configuration: flags over the configuration file, defaults filled in.
    fn effective(&self) -> Result<UserConfig> {
        let mut cli = UserConfig {
            inputs: self.inputs.clone(),
            output: self.output.clone(),
            split_by_lang: self.split_by_lang.clone(),
            split_format: self.split_format,
            csv_neutralize_formulas: self.csv_neutralize_formulas.then_some(true),
            format: self.format,
            rejected: self.rejected.clone(),
            state: self.state.clone(),
            dedup_table: self.dedup_table.clone(),
            ..UserConfig::default()
        };
        self.scale.set(&mut cli);
        self.input.set(&mut cli);
        self.exec.set(&mut cli);
        self.pipeline.effective(cli)
    }
}

fn run(args: RunArgs) -> Result<u8> {
    let mut config = args.effective()?;
    let stamp = run_stamp();
    let incremental = config.state.is_some();
    let output = match (&config.output, &config.split_by_lang) {
        (Some(output), None) => Some(stamped(output, &stamp, incremental)?),
        (None, Some(_)) => None,
        _ => bail!(UsageError(
            "give one destination: `-o FILE` (`-` for stdout) or `--split-by-lang DIR` (or `output` / `split_by_lang` in polyclean.toml)".into()
        )),
    };
    config.output.clone_from(&output);
    config.rejected = match &config.rejected {
        Some(path) => Some(stamped(path, &stamp, incremental)?),
        None => None,
    };
    config.report = match &config.report {
        Some(path) => Some(stamped(path, &stamp, false)?),
        None => None,
    };
    if incremental && config.shard.is_some() {
        bail!(UsageError(
            "--state cannot be combined with --shard: a new input shifts the others between shards, so a shard's state would miss or repeat files; run the shards without --state".into()
        ));
    }
    if config.dedup_table.is_some() && !config.dedup_config().enabled() {
        bail!(UsageError(
            "--dedup-table writes the duplicate table: add --dedup and/or --near-dup T".into()
        ));
    }
    let rejected = config.rejected.clone();
    if rejected.is_some() && rejected == output {
        bail!(UsageError(
            "--rejected and --output name the same file; give the rejected paragraphs their own file".into()
        ));
    }
    if rejected.as_ref().is_some_and(|r| r.as_os_str() == "-")
        && output.as_ref().is_some_and(|o| o.as_os_str() == "-")
    {
        bail!(UsageError(
            "--rejected and --output cannot both be stdout".into()
        ));
    }
    init_logging(&config);
    // Held until the outputs are committed; dropping them removes the lock files.
    let locks = claim_outputs(&config)?;
    let mut outputs: Vec<PathBuf> = locks.iter().map(|l| l.path().to_path_buf()).collect();
    outputs.extend(output.iter().chain(&config.split_by_lang).cloned());
    outputs.extend(rejected.iter().cloned());
    outputs.extend(config.dedup_table.iter().cloned());
    let outputs: Vec<Option<&PathBuf>> = outputs.iter().map(Some).collect();
    let neutralize = config.csv_neutralize_formulas == Some(true);
    let positions = config.dedup_config().enabled();
    let open = || match (&config.split_by_lang, &output) {
        (Some(dir), _) => {
            let mut options = config.split_format.unwrap_or_default().options(neutralize);
            options.positions = positions;
            let split: Box<dyn Sink> = Box::new(SplitByLang::new(dir, options));
            with_rejected(split, rejected.as_deref())
        }
        (None, output) => {
            let output = output.as_deref().unwrap_or(Path::new("-"));
            let mut options = OutputOptions::from_path(output);
            options.format = config.format.unwrap_or(options.format);
            options.neutralize_formulas = neutralize;
            options.positions = positions;
            open_sinks(output, &options, rejected.as_deref())
        }
    };
    let code = execute(&config, &outputs, open)?;
    drop(locks);
    Ok(code)
}

/// Logging as the configuration asks (text unless `log_format = "json"`).
fn init_logging(config: &UserConfig) {
    monitor::init_logging(config.log_format.unwrap_or_default());
}

/// Before any work: check the outputs' directories (creating the `--split-by-lang` one), lock
/// every file output and the state file, then remove the temporary files killed runs left next
/// to them — safe only now, since the lock means no live run owns them.
fn claim_outputs(config: &UserConfig) -> Result<Vec<OutputLock>> {
    let mut locks = Vec::new();
    if let Some(dir) = &config.split_by_lang {
        write::ensure_split_dir(dir)?;
        let lock = OutputLock::acquire_dir(dir)?;
        note_taken_over(&lock);
        let removed = write::clean_stale_split_temporaries(dir)
            .with_context(|| format!("cannot clean up old temporary files in {}", dir.display()))?;
        note_removed(&removed);
        locks.push(lock);
    }
    let files = config
        .output
        .iter()
        .chain(&config.rejected)
        .chain(&config.dedup_table);
    // The state's lock keeps two incremental runs (whose outputs differ by their timestamp)
    // from processing the same new files.
    for output in files.chain(&config.state).chain(&config.report) {
        if !is_lockable(output) {
            continue;
        }
        write::check_output_dir(output)?;
        let lock = OutputLock::acquire(output)?;
        note_taken_over(&lock);
        let removed = write::clean_stale_temporaries(output).with_context(|| {
            format!(
                "cannot clean up old temporary files of {}",
                output.display()
            )
        })?;
        note_removed(&removed);
        locks.push(lock);
    }
    Ok(locks)
}

/// Stdout and existing devices or FIFOs (written in place, never renamed) take no lock.
fn is_lockable(output: &Path) -> bool {
    output.as_os_str() != "-" && std::fs::metadata(output).map_or(true, |m| m.is_file())
}

fn note_taken_over(lock: &OutputLock) {
    if let Some(previous) = lock.taken_over() {
        log_note(&format!(
            "{}: taking over the lock of a run that ended without releasing it ({previous})",
            lock.path().display()
        ));
    }
}

fn note_removed(removed: &[PathBuf]) {
    for path in removed {
        log_note(&format!(
            "removed {}, left by an interrupted run",
            path.display()
        ));
    }
}

fn explain(args: ExplainArgs) -> Result<u8> {
    let colour = match args.colour {
        ColourChoice::Always => true,
        ColourChoice::Never => false,
        ColourChoice::Auto => {
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        }
    };
    let mut cli = UserConfig {
        inputs: args.inputs.clone(),
        ..UserConfig::default()
    };
    args.input.set(&mut cli);
    args.exec.set(&mut cli);
    let config = args.pipeline.effective(cli)?;
    let open = || -> Result<Box<dyn Sink>> {
        let dest = Destination::create(Path::new("-")).context("cannot write to stdout")?;
        Ok(Box::new(ExplainWriter::new(dest, colour, args.full)))
    };
    execute(&config, &[], open)
}

/// `polyclean config --print`: the effective configuration of `run`, as TOML.
fn print_config(args: ConfigArgs) -> Result<u8> {
    debug_assert!(args.print);
    let config = args.run.effective()?;
    let mut out = std::io::stdout().lock();
    match &config.source {
        Some(path) => writeln!(
            out,
            "# {} with the command line's flags over it",
            path.display()
        )?,
        None => writeln!(
            out,
            "# no configuration file; the command line's flags and the defaults"
        )?,
    }
    write!(
        out,
        "{}",
        config.to_toml().context("cannot print the configuration")?
    )?;
    Ok(0)
}

/// How inputs are read, from the configuration.
fn read_options(config: &UserConfig) -> ReadOptions {
    ReadOptions {
        format: config.input_format.unwrap_or_default(),
        text_field: config.text_field().to_string(),
        id_field: config.id_field().to_string(),
        max_document_bytes: config.max_document_mb().saturating_mul(1 << 20),
        stdin_name: config.stdin_name.clone(),
    }
}

/// Read the configuration's inputs, run the pipeline and feed the sink `open` creates (after
/// the inputs are listed, so its temporary file is never read as an input); the shared body
/// of `run` and `explain`.
fn execute(
    config: &UserConfig,
    outputs: &[Option<&PathBuf>],
    open: impl FnOnce() -> Result<Box<dyn Sink>>,
) -> Result<u8> {
    if config.inputs.is_empty() {
        bail!(UsageError(
            "no inputs: give files, directories or `-`, or set `inputs` in polyclean.toml".into()
        ));
    }
    monitor::init_logging(config.log_format.unwrap_or_default());
    if let Some(path) = &config.report {
        report_path(&path.to_string_lossy()).map_err(UsageError)?;
    }
    let mut pipeline = build_pipeline(config)?;
    let (inputs, issues) = read::expand(&config.inputs);
    let inputs = without_outputs(inputs, &[outputs, &[config.report.as_ref()]].concat());
    let input_count = inputs.len();
    let (inputs, incremental) = plan_inputs(config, inputs)?;
    if let Some(inc) = &incremental {
        if inputs.is_empty() && issues.is_empty() {
            if config.quiet != Some(true) {
                log_note(&format!(
                    "nothing new: {} inputs unchanged since the last run; no output written",
                    inc.plan.unchanged
                ));
            }
            return Ok(0);
        }
    }
    let options = read_options(config);
    let limits = BatchLimits {
        documents: config.batch_size(),
        ..BatchLimits::default()
    };
    let pool = worker_pool(config.threads)?;
    let quiet = config.quiet == Some(true);
    let stop = StopSignal::install()?;
    let mut monitor = RunMonitor::new(stop.clone(), !quiet);
    let part = Part {
        first_input: config.input_index.unwrap_or(0),
        shard: config.shard,
    };
    let repeated = config.repeated();
    if let (Some(path), true) = (&config.counts, repeated > 0) {
        pipeline.set_repetition(load_counts(path, repeated)?);
    } else if repeated > 0 {
        if inputs.contains(&read::Input::Stdin) {
            log_warning("stdin cannot be read twice; `repeated` detection is off for this run (count the corpus with `polyclean hashes` and pass `--counts`)");
        } else {
            let reader = part.reader(inputs.clone(), options.clone());
            match pool.install(|| pipeline.count_repetition(reader, limits, repeated, &monitor)) {
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {
                    return Err(Stopped(stop.received().unwrap_or(0), e).into())
                }
                other => other.context("the repetition pass failed; nothing was written")?,
            }
        }
    }
    if pipeline.needs_dedup_pass() {
        if inputs.contains(&read::Input::Stdin) {
            bail!(UsageError(
                "--dedup-paragraphs drop-all reads the inputs twice and stdin cannot be read twice; use keep-first, or give files".into()
            ));
        }
        pool.install(|| {
            pipeline.register_duplicates(
                part.reader(inputs.clone(), options.clone()),
                limits,
                &monitor,
            )
        })
        .map_err(|e| Stopped(stop.received().unwrap_or(0), e))?;
    }
    let mut sink = open()?;
    let events = issues
        .into_iter()
        .map(read::Event::Issue)
        .chain(part.reader(inputs, options));
    let result = pool.install(|| pipeline.run(events, sink.as_mut(), limits, &mut monitor));
    monitor.finish();
    let mut stats = match result {
        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {
            return Err(Stopped(stop.received().unwrap_or(0), e).into())
        }
        other => other.context("cannot write the output; nothing was written")?,
    };
    stats.inputs = input_count;
    let table = match (&config.dedup_table, pipeline.dedup_table()) {
        (Some(path), Some(body)) => Some(
            polyclean::table_file::prepare(path, polyclean::table_file::TableKind::Dedup, &body)
                .context("cannot write the duplicate table; nothing was written")?,
        ),
        _ => None,
    };
    sink.finish().context("cannot commit the output")?;
    if let (Some(table), Some(path)) = (table, &config.dedup_table) {
        table
            .commit()
            .with_context(|| format!("cannot commit the duplicate table {}", path.display()))?;
    }
    if let Some(inc) = incremental {
        let unchanged = inc.plan.unchanged;
        RunState::after(inc.plan, &inc.hash).save(&inc.path)?;
        if !quiet && unchanged > 0 {
            log_note(&format!(
                "incremental: {unchanged} inputs unchanged since the last run, not read"
            ));
        }
    }
    if !quiet {
        log_summary(&stats);
    }
    if let Some(path) = &config.report {
        Report::new(&stats).write(path).with_context(|| {
            format!(
                "cannot write the report {}; the output itself is complete",
                path.display()
            )
        })?;
    }
    Ok(if stats.skipped > 0 { EXIT_SKIPPED } else { 0 })
}

/// Repetition counts from a table file, judged with the run's threshold; only the repeated
/// paragraphs are kept for the run.
fn load_counts(path: &Path, repeated: u32) -> Result<Repetition> {
    let counts = Repetition::load(path).map_err(|e| UsageError(e.to_string()))?;
    let made_for = counts.min_documents();
    let judged = counts.with_threshold(repeated).map(|mut c| {
        c.retain_repeated();
        c
    });
    judged.ok_or_else(|| {
        UsageError(format!(
            "{}: counts made for `repeated = {made_for}` cannot judge `repeated = {repeated}`; recount with `polyclean hashes --repeated {repeated}` (or higher)",
            path.display()
        ))
        .into()
    })
}

/// `polyclean hashes`: the first pass of a run, alone, written to a table file.
fn hashes(args: HashesArgs) -> Result<u8> {
    let mut cli = UserConfig {
        inputs: args.inputs.clone(),
        ..UserConfig::default()
    };
    args.input.set(&mut cli);
    args.exec.set(&mut cli);
    args.scale.set(&mut cli);
    let config = args.pipeline.effective(cli)?;
    init_logging(&config);
    if config.inputs.is_empty() {
        bail!(UsageError(
            "no inputs: give files, directories or `-`, or set `inputs` in polyclean.toml".into()
        ));
    }
    let repeated = config.repeated();
    if repeated == 0 {
        bail!(UsageError(
            "`repeated` is 0 (off): there is nothing to count; give `--repeated N`".into()
        ));
    }
    let mut pipeline = build_pipeline(&config)?;
    let (inputs, issues) = read::expand(&config.inputs);
    for issue in &issues {
        log_issue(issue);
    }
    let pool = worker_pool(config.threads)?;
    let stop = StopSignal::install()?;
    let monitor = RunMonitor::new(stop.clone(), false);
    let limits = BatchLimits {
        documents: config.batch_size(),
        ..BatchLimits::default()
    };
    let mut skipped = issues.iter().filter(|i| i.skipped).count();
    let part = Part {
        first_input: config.input_index.unwrap_or(0),
        shard: config.shard,
    };
    let reader = part.reader(inputs, read_options(&config)).inspect(|e| {
        if let read::Event::Issue(issue) = e {
            log_issue(issue);
            skipped += usize::from(issue.skipped);
        }
    });
    pool.install(|| pipeline.count_repetition_table(reader, limits, repeated, &monitor))
        .map_err(|e| Stopped(stop.received().unwrap_or(0), e))?;
    let counts = pipeline
        .repetition()
        .context("the counting pass produced no counts")?;
    counts.save(&args.output)?;
    if config.quiet != Some(true) {
        log_note(&format!(
            "{}: {} distinct paragraphs counted",
            args.output.display(),
            counts.len()
        ));
    }
    Ok(if skipped > 0 { EXIT_SKIPPED } else { 0 })
}

/// The run's start, UTC, as it replaces `{timestamp}` in output paths: `20261122T233650Z`.
fn run_stamp() -> String {
    let now = humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string();
    now.replace(['-', ':'], "")
}

/// `path` with `{timestamp}` replaced; an incremental run must have one (or write to stdout),
/// or each run would replace the previous run's results with only its new ones.
fn stamped(path: &Path, stamp: &str, incremental: bool) -> Result<PathBuf> {
    let text = path.to_string_lossy();
    if incremental && text != "-" && !text.contains("{timestamp}") {
        bail!(UsageError(format!(
            "{}: with --state, put `{{timestamp}}` in the output's name (e.g. out/clean-{{timestamp}}.jsonl) so every run writes its new results to a new file",
            path.display()
        )));
    }
    Ok(PathBuf::from(text.replace("{timestamp}", stamp)))
}

/// An incremental run's plan, and where to save the state once the output is committed.
struct Incremental {
    path: PathBuf,
    hash: String,
    plan: Plan,
}

/// With `--state`, keep only the new or changed inputs.
fn plan_inputs(
    config: &UserConfig,
    inputs: Vec<read::Input>,
) -> Result<(Vec<read::Input>, Option<Incremental>)> {
    let Some(path) = &config.state else {
        return Ok((inputs, None));
    };
    let state = RunState::load(path)?;
    let settings = config
        .output_settings()
        .context("cannot hash the configuration")?;
    let hash = config_hash(&settings);
    let mut plan = state.plan(inputs, &hash);
    if plan.config_changed {
        log_warning(&format!(
            "{}: the configuration changed since the last run; every input is processed again",
            path.display()
        ));
    }
    let inputs = std::mem::take(&mut plan.process);
    let incremental = Incremental {
        path: path.clone(),
        hash,
        plan,
    };
    Ok((inputs, Some(incremental)))
}

/// A run stopped by a signal (SIGINT, SIGTERM) before anything was committed.
#[derive(Debug, thiserror::Error)]
#[error("stopped by signal {0}")]
struct Stopped(i32, #[source] std::io::Error);

fn is_interrupted(err: &anyhow::Error) -> bool {
    err.is::<Stopped>()
}

fn stop_signal_of(err: &anyhow::Error) -> i32 {
    err.downcast_ref::<Stopped>().map_or(0, |s| s.0)
}

/// `polyclean detect`: the language stage alone, on whole records, in parallel batches.
fn detect(args: DetectArgs) -> Result<u8> {
    monitor::init_logging(LogFormat::Text);
    let detector = LanguageDetector::new(LangConfig {
        candidates: parse_langs(&args.langs)?,
        guess_short_texts: true,
        ..LangConfig::default()
    });
    let (inputs, issues) = read::expand(&args.inputs);
    let inputs = without_outputs(inputs, &[Some(&args.output)]);
    let mut cli = UserConfig::default();
    args.input.set(&mut cli);
    let options = read_options(&cli);
    let pool = worker_pool(args.threads)?;
    let dest = Destination::create(&args.output)
        .with_context(|| format!("cannot write {}", args.output.display()))?;
    let mut writer = PredictionWriter::new(dest, args.iso_639_3);
    let mut skipped = 0;
    let mut events = issues
        .into_iter()
        .map(read::Event::Issue)
        .chain(Reader::new(inputs, options))
        .peekable();
    while events.peek().is_some() {
        let mut batch = Vec::with_capacity(DETECT_BATCH);
        for event in events.by_ref().take(DETECT_BATCH) {
            match event {
                read::Event::Document(doc) => batch.push(doc),
                read::Event::Issue(issue) => {
                    skipped += usize::from(issue.skipped);
                    log_issue(&issue);
                }
            }
        }
        let analyses: Vec<_> =
            pool.install(|| batch.par_iter().map(|d| detector.analyse(&d.raw)).collect());
        for (doc, analysis) in batch.iter().zip(&analyses) {
            writer
                .write(&doc.id, &doc.raw, analysis)
                .context("cannot write the predictions; nothing was written")?;
        }
    }
    writer.finish().context("cannot commit the output")?;
    Ok(if skipped > 0 { EXIT_SKIPPED } else { 0 })
}

/// Records per parallel batch of `detect`.
const DETECT_BATCH: usize = 1024;

fn build_pipeline(config: &UserConfig) -> Result<Pipeline> {
    let mut extra_rules = load_rule_files(&config.rule_files)?;
    let name = config
        .source
        .as_ref()
        .map_or("configuration".to_string(), |p| p.display().to_string());
    extra_rules.extend(config.inline_rule_files(&name));
    let config = Config {
        unicode_form: config.unicode.unwrap_or_default(),
        lang: LangConfig {
            candidates: parse_langs(&config.langs)?,
            ..LangConfig::default()
        },
        extra_rules,
        no_classifier: config.no_classifier == Some(true),
        disable: config.disable.clone(),
        classifier: config.classifier.clone(),
        keep_langs: output_codes(&config.keep_langs)?,
        quality: config.quality.clone(),
        dedup: config.dedup_config(),
    };
    Ok(Pipeline::new(config).map_err(|e| UsageError(e.to_string()))?)
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .filter_map(|e| e.downcast_ref::<std::io::Error>())
        .any(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
}

/// `--keep-langs` codes as the output spells them (`fra` → `fr`), languages whatlang does not
/// know (`cym` → `cy`) included.
fn output_codes(codes: &[String]) -> Result<Vec<String>> {
    let (unknown, known): (Vec<String>, Vec<String>) = codes
        .iter()
        .cloned()
        .partition(|c| polyclean::lang::unknown_code(c).is_some());
    let mut out: Vec<String> = parse_lang_list("--keep-langs", &known)?
        .into_iter()
        .map(|l| polyclean::lang::output_code(l).to_string())
        .collect();
    out.extend(
        unknown
            .iter()
            .filter_map(|c| polyclean::lang::unknown_code(c))
            .map(String::from),
    );
    Ok(out)
}

fn parse_langs(codes: &[String]) -> Result<Vec<whatlang::Lang>> {
    parse_lang_list("--langs", codes)
}

fn parse_lang_list(flag: &str, codes: &[String]) -> Result<Vec<whatlang::Lang>> {
    codes
        .iter()
        .filter(|c| !c.trim().is_empty())
        .map(|c| {
            parse_code(c).ok_or_else(|| {
                let message = if polyclean::lang::unknown_code(c).is_some() {
                    format!("{flag}: `{c}` is a language whatlang does not know; polyclean finds it only without --langs (docs/language.md)")
                } else {
                    format!("{flag}: unknown language `{c}`; use ISO 639-1 or 639-3 codes known to whatlang, e.g. fr,en,es")
                };
                UsageError(message).into()
            })
        })
        .collect()
}

fn load_rule_files(paths: &[PathBuf]) -> Result<Vec<(String, RuleFile)>> {
    paths
        .iter()
        .map(|p| {
            let file = RuleFile::load(p).map_err(|e| UsageError(e.to_string()))?;
            Ok((p.display().to_string(), file))
        })
        .collect()
}

/// Drop inputs that are the run's own outputs (a previous run's file in an input folder).
fn without_outputs(inputs: Vec<read::Input>, outputs: &[Option<&PathBuf>]) -> Vec<read::Input> {
    let outputs: Vec<PathBuf> = outputs
        .iter()
        .flatten()
        .filter_map(|p| p.canonicalize().ok())
        .collect();
    inputs
        .into_iter()
        .filter(|input| match input {
            read::Input::File(p) => {
                // `starts_with`: a directory output (--split-by-lang) covers what is inside it.
                let is_output = p
                    .canonicalize()
                    .is_ok_and(|c| outputs.iter().any(|o| c.starts_with(o)));
                if is_output {
                    log_warning(&format!(
                        "{}: is an output of this run; not read",
                        p.display()
                    ));
                }
                !is_output
            }
            read::Input::Stdin => true,
        })
        .collect()
}

fn open_sinks(
    output: &Path,
    options: &OutputOptions,
    rejected: Option<&Path>,
) -> Result<Box<dyn Sink>> {
    let main = write::open(output, options)
        .with_context(|| format!("cannot create {}", output.display()))?;
    with_rejected(main, rejected)
}

/// `main`, plus the `--rejected` file when asked for (compressed as its extension says).
fn with_rejected(main: Box<dyn Sink>, rejected: Option<&Path>) -> Result<Box<dyn Sink>> {
    let Some(rejected) = rejected else {
        return Ok(main);
    };
    let dest = Destination::create(rejected)
        .and_then(|d| write::Output::new(d, Compression::from_path(rejected)))
        .with_context(|| format!("cannot create {}", rejected.display()))?;
    Ok(Box::new(Tee(vec![
        main,
        Box::new(RejectedWriter::new(dest)),
    ])))
}

fn list_rules(args: RulesArgs) -> Result<u8> {
    let pipeline = build_pipeline(&args.pipeline.effective(UserConfig::default())?)?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "Reasons (in precedence order):")?;
    for reason in Reason::ALL {
        writeln!(out, "  {:<16} {}", reason.as_str(), reason.description())?;
    }
    writeln!(
        out,
        "\nRules (id, language, match, phrases, limits — note):"
    )?;
    for rule in pipeline.boilerplate().rules().rules() {
        let r = &rule.rule;
        let max_words = r
            .max_words
            .map_or(String::new(), |m| format!(", max {m} words"));
        let tail = if r.marks_tail {
            ", opens comment section"
        } else if r.marks_thread {
            ", comment header"
        } else if r.subject_heading {
            ", subject heading"
        } else {
            ""
        };
        let zone = if r.zone == polyclean::boilerplate::Zone::Tail {
            ", tail only"
        } else {
            ""
        };
        writeln!(
            out,
            "  {:<26} {:<3} {:<9} {:>3} phrases{max_words}{zone}{tail}  — {}",
            rule.id,
            rule.lang,
            r.kind.as_str(),
            r.phrases.len(),
            r.note
        )?;
    }
    Ok(0)
}
